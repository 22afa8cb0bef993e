using System.Net;

using MetaService.Server.Startup;
using MetaService.Server.Wire;

using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.Memory;

namespace MetaService.Server.OriginalConfig;

/// <summary>
/// Starts MetaService from openYuanrong's meta_service files, with the original's flags
/// (<c>-config_path FILE</c>, <c>-log_config_path FILE</c>, see <see cref="CommandLineSwitches"/>): the files become
/// MetaService settings below the command line (which still overrides them), and the server listens where
/// <c>server</c> and <c>mutualSSLConfig</c> say. Without the flags nothing changes.
/// </summary>
internal static partial class OriginalConfigRegistration
{
    public const string ConfigPathKey = "Original:ConfigPath";
    public const string LogConfigPathKey = "Original:LogConfigPath";

    /// <summary>The port of the original's TLS health listener (Kubernetes probes it when TLS is on); 0: none.</summary>
    public const string TlsHealthPortKey = "Original:TlsHealthPort";

    public static WebApplicationBuilder AddOriginalConfig(this WebApplicationBuilder builder)
    {
        var configPath = builder.Configuration[ConfigPathKey];
        var logPath = builder.Configuration[LogConfigPathKey];
        if (string.IsNullOrEmpty(configPath) && string.IsNullOrEmpty(logPath))
        {
            return builder;
        }

        var config = string.IsNullOrEmpty(configPath) ? null : ConfigFile.Read(configPath, Environment.GetEnvironmentVariable("POD_IP"));
        var log = string.IsNullOrEmpty(logPath) ? null : LogFile.Read(logPath);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in (config?.Settings ?? new Dictionary<string, string?>()).Concat(log?.Settings ?? []))
        {
            settings[key] = value;
        }

        // Just below the command line (which overrides them), else last. (Kept a statement: in a conditional argument,
        // Stryker's mutation of Count made the whole method a compile error.)
        var sources = builder.Configuration.Sources;
        var below = sources.ToList().FindLastIndex(s => s is CommandLineConfigurationSource);
        if (below < 0)
        {
            below = sources.Count;
        }

        sources.Insert(below, new MemoryConfigurationSource { InitialData = settings });

        if (config is not null)
        {
            var healthPort = builder.Configuration.GetValue(TlsHealthPortKey, 8090);
            builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, config, healthPort));
            if (config.Tls is not null && healthPort > 0)
            {
                builder.Services.AddSingleton<IStartupFilter>(new HealthPortOnly(healthPort));
            }
        }

        builder.Services.AddSingleton(new Summary(
            [.. Unused(configPath, config?.Unused), .. Unused(logPath, log?.Unused)],
            [.. new[] { config?.Tls?.Note, log?.Note }.OfType<string>()],
            config is null ? null : $"{(config.Tls is null ? "http" : "https")}://{config.Address}:{config.Port}",
            config?.Tls?.Authenticates ?? false));
        builder.Services.AddHostedService<SummaryLog>();
        return builder;
    }

    private static void Listen(KestrelServerOptions kestrel, ConfigFile config, int healthPort)
    {
        kestrel.Listen(config.Address, config.Port, listen =>
        {
            if (config.Tls is { } tls)
            {
                listen.UseHttps(tls.Main());
            }
        });
        if (config.Tls is { } health && healthPort > 0)
        {
            kestrel.Listen(config.Address, healthPort, listen => listen.UseHttps(health.Health()));
        }
    }

    private static IEnumerable<string> Unused(string? file, IReadOnlyList<string>? members) =>
        file is null || members is null || members.Count == 0 ? [] : [$"{file}: {string.Join(", ", members)}"];

    /// <summary>What the start-up log says about the files, once.</summary>
    private sealed record Summary(IReadOnlyList<string> Unused, IReadOnlyList<string> Notes, string? Listen, bool Authenticates);

    private sealed partial class SummaryLog(Summary summary, ILoggerFactory loggers) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var logger = loggers.CreateLogger(StartupLog.Category);
            foreach (var note in summary.Notes)
            {
                LogNote(logger, note);
            }

            if (summary.Unused.Count > 0)
            {
                var members = string.Join("; ", summary.Unused);
                LogUnused(logger, members);
            }

            if (summary.Listen is not null && !summary.Authenticates)
            {
                LogAuthenticationOff(logger, summary.Listen);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "{Note}")]
        private static partial void LogNote(ILogger logger, string note);

        [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "openYuanrong settings MetaService does not use: {Members}")]
        private static partial void LogUnused(ILogger logger, string members);

        [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "authentication is off: whoever reaches {Listen} may create, change and delete functions "
            + "(as with the original). Turn it on with mutualSSLConfig: sslEnable true, moduleCertFile, moduleKeyFile, rootCAFile and clientAuthType "
            + "RequireAndVerifyClientCert (callers then need a certificate signed by rootCAFile), or keep the port reachable only by the platform")]
        private static partial void LogAuthenticationOff(ILogger logger, string listen);
    }

    /// <summary>The TLS health listener answers <c>/healthz</c> and nothing else: it asks for no client certificate.</summary>
    private sealed class HealthPortOnly(int port) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Connection.LocalPort == port && context.Request.Path != "/healthz")
                {
                    context.Response.StatusCode = (int)HttpStatusCode.NotFound;
                    return context.Response.WriteAsJsonAsync(
                        new ErrorBody(404, $"the health port {port} answers GET /healthz only; the API is on the main port"), WireJson.Default.ErrorBody, cancellationToken: context.RequestAborted);
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}