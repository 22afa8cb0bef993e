using System.Diagnostics.Metrics;
using System.Reflection;

namespace MetaService.Server.Observability;

/// <summary>
/// The service's own series: refusals by error code (4134 is a revisionId conflict), function and version
/// counts per tenant (read from the store when <c>/metrics</c> is scraped), and build info.
/// </summary>
internal sealed class MetaMetrics
{
    public const string MeterName = "MetaService";

    private readonly Counter<long> _refusals;
    private volatile IReadOnlyList<TenantCount> _counts = [];

    public MetaMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _refusals = meter.CreateCounter<long>("metaservice.refusals", description: "Answers with an error body, by openYuanrong error code.");
        meter.CreateObservableGauge("metaservice.functions", () => _counts.Select(c => Tagged(c.Functions, c.Tenant)), description: "Functions per tenant.");
        meter.CreateObservableGauge("metaservice.function.versions", () => _counts.Select(c => Tagged(c.Versions, c.Tenant)), description: "Published versions per tenant (drafts not counted).");
        var version = typeof(MetaMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        meter.CreateObservableGauge("metaservice.build.info", () => new Measurement<long>(1,
            new KeyValuePair<string, object?>("version", version),
            new KeyValuePair<string, object?>("runtime", Environment.Version.ToString())), description: "Always 1; the labels name the build.");
    }

    public void Refused(int code) => _refusals.Add(1, new KeyValuePair<string, object?>("code", code));

    public void SetCounts(IReadOnlyList<TenantCount> counts) => _counts = counts;

    private static Measurement<long> Tagged(long value, string tenant) => new(value, new KeyValuePair<string, object?>("tenant", tenant));
}

/// <summary>How many functions and published versions one tenant has.</summary>
internal sealed record TenantCount(string Tenant, long Functions, long Versions);