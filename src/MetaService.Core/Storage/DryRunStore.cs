namespace MetaService.Core.Storage;

/// <summary>
/// The store as a dry run sees it: reads go to <paramref name="inner"/>; a transaction checks its compares against the
/// current state and applies nothing. A service built on it runs every check a write runs, its compare-and-swap
/// included, and leaves the store as it was. The compares are read one by one, not atomically: enough for an answer
/// that says what the write would do now, since nothing is written on it.
/// </summary>
public sealed class DryRunStore(IMetaStore inner) : IMetaStore
{
    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        inner.RangeAsync(prefix, limit, startAfter, cancellationToken);

    public Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        inner.RangeKeysAsync(prefix, limit, startAfter, cancellationToken);

    public async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        var revision = await inner.GetRevisionAsync(cancellationToken);
        foreach (var compare in compares)
        {
            var current = await inner.GetAsync(compare.Key, cancellationToken);
            if ((current?.ModRevision ?? 0) != compare.ModRevision)
            {
                return new TxnResult(false, revision, Changed: false);
            }
        }

        return new TxnResult(true, revision, Changed: false);
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => inner.GetRevisionAsync(cancellationToken);

    /// <summary>The inner store is not this one's to close.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}