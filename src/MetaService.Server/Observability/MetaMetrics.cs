using System.Diagnostics.Metrics;
using System.Reflection;

using MetaService.Core.Catalog;

namespace MetaService.Server.Observability;

/// <summary>
/// The service's own series: refusals by error code (4134 is a revisionId conflict), function and version
/// counts per tenant (the function catalog's, read when <c>/metrics</c> is scraped: no store read), and build info.
/// </summary>
internal sealed class MetaMetrics
{
    public const string MeterName = "MetaService";

    private readonly Counter<long> _refusals;
    public MetaMetrics(IMeterFactory meters, FunctionCatalog catalog)
    {
        var meter = meters.Create(MeterName);
        _refusals = meter.CreateCounter<long>("metaservice.refusals", description: "Answers with an error body, by openYuanrong error code.");
        meter.CreateObservableGauge("metaservice.functions", () => catalog.Counts().Select(c => Tagged(c.Functions, c.Tenant)), description: "Functions per tenant.");
        meter.CreateObservableGauge("metaservice.function.versions", () => catalog.Counts().Select(c => Tagged(c.Versions, c.Tenant)), description: "Published versions per tenant (drafts not counted).");
        var version = typeof(MetaMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        meter.CreateObservableGauge("metaservice.build.info", () => new Measurement<long>(1,
            new KeyValuePair<string, object?>("version", version),
            new KeyValuePair<string, object?>("runtime", Environment.Version.ToString())), description: "Always 1; the labels name the build.");
    }

    public void Refused(int code) => _refusals.Add(1, new KeyValuePair<string, object?>("code", code));

    private static Measurement<long> Tagged(long value, string tenant) => new(value, new KeyValuePair<string, object?>("tenant", tenant));
}