using System.Reflection;

using MetaService.Etcd;

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Startup;

/// <summary>
/// What an operator needs from the first lines: each misspelled key under <c>Meta:</c>, <c>Store:</c> or
/// <c>Server:</c>, then one line naming the version, the store (its file or endpoints and prefix) and the listen URLs.
/// </summary>
internal static partial class StartupLog
{
    public const string Category = "MetaService.Startup";

    public static IServiceCollection AddStartupLog(this IServiceCollection services) => services.AddHostedService<Report>();

    /// <summary>The version, e.g. <c>1.0.0+5f2c…</c>.</summary>
    public static string Version { get; } =
        typeof(StartupLog).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The store as the start line names it.</summary>
    public static string DescribeStore(IConfiguration configuration, IServiceProvider services)
    {
        var store = configuration.GetSection("Store");
        if (!string.Equals(store["Kind"], "etcd", StringComparison.OrdinalIgnoreCase))
        {
            return "the embedded store " + Path.Combine(Path.GetFullPath(store["DataDirectory"] ?? "./data"), "meta.db");
        }

        var etcd = services.GetRequiredService<IOptions<EtcdStoreOptions>>().Value;
        return $"etcd {etcd.EndpointList}" + (string.IsNullOrEmpty(etcd.KeyPrefix) ? " (no key prefix)" : $" (prefix /{etcd.KeyPrefix.Trim('/')})");
    }

    private sealed partial class Report(IConfiguration configuration, IServiceProvider services, IServer server, IHostApplicationLifetime lifetime, ILoggerFactory loggers) : IHostedService
    {
        private readonly ILogger _logger = loggers.CreateLogger(Category);

        public Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var unknown in SettingsKeys.Unknown(configuration))
            {
                LogUnknownKey(_logger, unknown);
            }

            lifetime.ApplicationStarted.Register(() =>
            {
                var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                var store = DescribeStore(configuration, services);
                var urls = string.Join(", ", addresses);
                LogStarted(_logger, Version, store, urls);
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "{Problem}")]
        private static partial void LogUnknownKey(ILogger logger, string problem);

        [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "MetaService {Version} on {Store}, listening on {Urls}")]
        private static partial void LogStarted(ILogger logger, string version, string store, string urls);
    }
}