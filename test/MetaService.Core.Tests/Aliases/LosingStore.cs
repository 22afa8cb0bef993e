using MetaService.Core.Storage;

namespace MetaService.Core.Tests.Aliases;

/// <summary>The store, where the next <see cref="Losses"/> transactions lose their compares (as to another writer that
/// committed first) without writing anything.</summary>
internal sealed class LosingStore(IMetaStore inner) : IMetaStore
{
    public int Losses { get; set; }

    public int Transactions { get; private set; }

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        inner.RangeAsync(prefix, limit, startAfter, cancellationToken);

    public async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        Transactions++;
        if (Losses > 0)
        {
            Losses--;
            return new TxnResult(false, await inner.GetRevisionAsync(cancellationToken), Changed: false);
        }

        return await inner.TxnAsync(compares, writes, cancellationToken);
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => inner.GetRevisionAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}