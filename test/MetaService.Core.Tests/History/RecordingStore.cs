using MetaService.Core.Storage;

namespace MetaService.Core.Tests.History;

/// <summary>The real store, with what passes through it recorded: the writes of each transaction, and a hook run before
/// each range read (to make a write land between two pages of one read).</summary>
internal sealed class RecordingStore(IMetaStore inner) : IMetaStore
{
    public List<int> TransactionSizes { get; } = [];

    public Func<int, Task>? BeforeRange { get; set; }

    private int _ranges;

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public async Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
    {
        if (BeforeRange is { } hook)
        {
            await hook(++_ranges);
        }

        return await inner.RangeAsync(prefix, limit, startAfter, cancellationToken);
    }

    public Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        inner.RangeKeysAsync(prefix, limit, startAfter, cancellationToken);

    public Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        TransactionSizes.Add(compares.Count + writes.Count);
        return inner.TxnAsync(compares, writes, cancellationToken);
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => inner.GetRevisionAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}