namespace MetaService.Server.Shutdown;

/// <summary>
/// On SIGTERM (or Ctrl+C) the host stops Kestrel, which stops accepting connections and lets in-flight
/// requests finish for up to <c>Server:ShutdownTimeoutSeconds</c> (default 30); then the service provider is
/// disposed, which closes the store (the SQLite store finishes its queued commits and closes its file).
/// </summary>
internal static partial class GracefulShutdown
{
    public const string TimeoutKey = "Server:ShutdownTimeoutSeconds";

    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        var seconds = configuration.GetValue<double?>(TimeoutKey) ?? 30;
        if (seconds is < 0 or > 3600)
        {
            throw new Startup.SettingsException($"{TimeoutKey} must be between 0 and 3600 seconds; it is {seconds}.");
        }

        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(seconds));
        services.AddHostedService<ShutdownLog>();
        return services;
    }

    /// <summary>Says when draining starts and ends, so an operator can tell a slow drain from a hang.</summary>
    private sealed partial class ShutdownLog(IHostApplicationLifetime lifetime, ILogger<ShutdownLog> logger, Microsoft.Extensions.Options.IOptions<HostOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopping.Register(() => LogStopping(logger, options.Value.ShutdownTimeout.TotalSeconds));
            lifetime.ApplicationStopped.Register(() => LogStopped(logger));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "stopping: no new connections; in-flight requests get up to {TimeoutSeconds} s")]
        private static partial void LogStopping(ILogger logger, double timeoutSeconds);

        [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "stopped: requests drained; closing the store")]
        private static partial void LogStopped(ILogger logger);
    }
}