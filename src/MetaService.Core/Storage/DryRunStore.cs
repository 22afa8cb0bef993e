namespace MetaService.Core.Storage;

/// <summary>
/// The store as a dry run sees it: reads go to <paramref name="inner"/>; a transaction checks its compares against the
/// current state and applies nothing to the store. A service built on it runs every check a write runs, its
/// compare-and-swap included, and leaves the store as it was. What its own transactions would have written is
/// remembered for the rest of the request (for the compares and point reads that follow, as when one request creates
/// several pools), so a dry run answers as the write would. Compares are read one by one, not atomically: enough for an
/// answer that says what the write would do now, since nothing is written on it. One instance serves one request.
/// </summary>
public sealed class DryRunStore(IMetaStore inner) : IMetaStore
{
    // Keys this dry run would have put (with the value) or deleted (null), and prefixes it would have deleted.
    private readonly Dictionary<string, KeyValue?> _written = new(StringComparer.Ordinal);
    private readonly List<string> _deletedPrefixes = [];

    public async Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        _written.TryGetValue(key, out var written) ? written
        : _deletedPrefixes.Exists(p => key.StartsWith(p, StringComparison.Ordinal)) ? null
        : await inner.GetAsync(key, cancellationToken);

    public Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        inner.RangeAsync(prefix, limit, startAfter, cancellationToken);

    public Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        inner.RangeKeysAsync(prefix, limit, startAfter, cancellationToken);

    public async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        var revision = await inner.GetRevisionAsync(cancellationToken);
        foreach (var compare in compares)
        {
            var current = await GetAsync(compare.Key, cancellationToken);
            if ((current?.ModRevision ?? 0) != compare.ModRevision)
            {
                return new TxnResult(false, revision, Changed: false);
            }
        }

        // Remembered at the revision the write would have made.
        foreach (var write in writes)
        {
            switch (write)
            {
                case WriteOp.Put put:
                    _written[put.Key] = new KeyValue(put.Key, put.Value, revision + 1, revision + 1, 1);
                    break;
                case WriteOp.Delete delete:
                    _written[delete.Key] = null;
                    break;
                case WriteOp.DeletePrefix prefix:
                    _deletedPrefixes.Add(prefix.Key);
                    foreach (var key in _written.Keys.Where(k => k.StartsWith(prefix.Key, StringComparison.Ordinal)).ToList())
                    {
                        _written[key] = null;
                    }

                    break;
            }
        }

        return new TxnResult(true, revision, Changed: false);
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => inner.GetRevisionAsync(cancellationToken);

    /// <summary>The inner store's log, read as it is; a dry run's appends are dropped with its other writes.</summary>
    public IAppendLog? Appends => inner.Appends;

    /// <summary>The inner store is not this one's to close.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}