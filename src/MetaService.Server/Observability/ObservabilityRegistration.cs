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

    /// <summary>Call after the store is registered: the store is wrapped in a <see cref="MeteredStore"/>.</summary>
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddSingleton<MetaMetrics>();
        // The resource names the service on every series it exports (Prometheus: the target_info series).
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: Startup.StartupLog.Version))
            .WithMetrics(metrics => metrics
            .AddMeter(MetaMetrics.MeterName, MeteredStore.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));

        var store = services.Single(d => d.ServiceType == typeof(IMetaStore));
        var factory = store.ImplementationFactory ?? throw new InvalidOperationException("the store is expected to be registered by a factory");
        services.Remove(store);
        services.AddSingleton<IMetaStore>(sp => new MeteredStore((IMetaStore)factory(sp), sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<TimeProvider>()));
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