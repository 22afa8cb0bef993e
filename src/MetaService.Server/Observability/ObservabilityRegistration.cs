using MetaService.Core.Storage;

using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MetaService.Server.Observability;

/// <summary>Metrics (Prometheus text at <c>/metrics</c>, through OpenTelemetry), the access log and trace ids.</summary>
internal static class ObservabilityRegistration
{
    public const string MetricsPath = "/metrics";

    /// <summary>The OpenTelemetry <c>service.name</c>.</summary>
    public const string ServiceName = "metaservice";

    /// <summary>Metrics and their exporter (the store's own series come from <see cref="MeteredStore"/>, which the store's
    /// registration puts around it).</summary>
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddSingleton<MetaMetrics>();
        // The resource names the service on every series it exports (Prometheus: the target_info series).
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: Startup.StartupLog.Version))
            .WithMetrics(metrics => metrics
            .AddMeter(MetaMetrics.MeterName, MeteredStore.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>The access log around everything, and the scrape endpoint.</summary>
    public static WebApplication UseObservability(this WebApplication app)
    {
        app.UseAccessLog();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}