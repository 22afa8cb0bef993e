using MetaService.Core.Storage;

namespace MetaService.Core.Tests.Pools;

/// <summary>The real store with another writer racing every transaction: before each one it lets <c>Rival</c> write
/// to the store first (as the platform or another request would between a read and a write), and counts the
/// transactions it was asked to commit.</summary>
internal sealed class RacingStore(IMetaStore inner) : IMetaStore
{
    /// <summary>Runs before each transaction on the store underneath; the number is how many came before (0, 1, …).</summary>
    public Func<IMetaStore, int, Task> Rival { get; set; } = (_, _) => Task.CompletedTask;

    public int Transactions { get; private set; }

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<KeyValue?> GetAtAsync(string key, long modRevision, CancellationToken cancellationToken = default) =>
        inner.GetAtAsync(key, modRevision, cancellationToken);

    public Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        inner.RangeAsync(prefix, limit, startAfter, cancellationToken);

    public Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        inner.RangeKeysAsync(prefix, limit, startAfter, cancellationToken);

    public async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        await Rival(inner, Transactions++);
        return await inner.TxnAsync(compares, writes, cancellationToken);
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => inner.GetRevisionAsync(cancellationToken);

    public Task<bool> KeepsRevisionAsync(long revision, CancellationToken cancellationToken = default) => inner.KeepsRevisionAsync(revision, cancellationToken);

    /// <summary>The store underneath belongs to its <see cref="TempStore"/>.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}