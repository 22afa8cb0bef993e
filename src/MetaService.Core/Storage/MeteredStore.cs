using System.Diagnostics.Metrics;

namespace MetaService.Core.Storage;

/// <summary>
/// The store seam, measured: how long each transaction takes and how many lose a compare (a concurrent
/// writer got there first; what ends as 4134 or a retry). Reads and watches pass through unmeasured.
/// </summary>
public sealed class MeteredStore : IMetaStore
{
    public const string MeterName = "MetaService.Store";

    private readonly IMetaStore _inner;
    private readonly TimeProvider _clock;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _conflicts;

    public MeteredStore(IMetaStore inner, IMeterFactory meters, TimeProvider clock)
    {
        _inner = inner;
        _clock = clock;
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram(
            "metaservice.store.transaction.duration",
            unit: "s",
            description: "Time of one store transaction, by outcome (committed or conflict).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _conflicts = meter.CreateCounter<long>(
            "metaservice.store.transaction.conflicts",
            description: "Transactions whose compares failed because another writer committed first.");
    }

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => _inner.GetAsync(key, cancellationToken);

    public Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        _inner.RangeAsync(prefix, limit, startAfter, cancellationToken);

    public Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        _inner.RangeKeysAsync(prefix, limit, startAfter, cancellationToken);

    public async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        var started = _clock.GetTimestamp();
        var result = await _inner.TxnAsync(compares, writes, cancellationToken);
        var outcome = result.Succeeded ? "committed" : "conflict";
        _duration.Record(_clock.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        if (!result.Succeeded)
        {
            _conflicts.Add(1);
        }

        return result;
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        _inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => _inner.GetRevisionAsync(cancellationToken);

    public Task<KeyValue?> GetAtAsync(string key, long modRevision, CancellationToken cancellationToken = default) => _inner.GetAtAsync(key, modRevision, cancellationToken);

    public Task<bool> KeepsRevisionAsync(long revision, CancellationToken cancellationToken = default) => _inner.KeepsRevisionAsync(revision, cancellationToken);

    public IAppendLog? Appends => _inner.Appends;

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}