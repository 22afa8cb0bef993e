using System.Runtime.CompilerServices;

using MetaService.Core.Storage;

namespace MetaService.Core.Tests.Functions;

/// <summary>A store over another whose watch can be held (what is written meanwhile reaches the store, but a catalog
/// following it hears nothing until it is released: a catalog trailing another replica's writes), that counts the
/// point reads and transactions made through it, and that can lose every transaction (as to a writer always ahead).</summary>
internal sealed class HeldWatchStore(IMetaStore inner) : IMetaStore
{
    private volatile TaskCompletionSource _open = Opened();
    private int _gets;
    private int _txns;

    /// <summary>Point reads made through this store.</summary>
    public int Gets => Volatile.Read(ref _gets);

    /// <summary>Transactions tried through this store.</summary>
    public int Txns => Volatile.Read(ref _txns);

    /// <summary>When set, every transaction fails its compares (and writes nothing).</summary>
    public bool LoseEveryTxn { get; set; }

    public void Hold() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _open.TrySetResult();

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        return inner.GetAsync(key, cancellationToken);
    }

    public Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        inner.RangeAsync(prefix, limit, startAfter, cancellationToken);

    public async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _txns);
        return LoseEveryTxn
            ? new TxnResult(false, await inner.GetRevisionAsync(cancellationToken), Changed: false)
            : await inner.TxnAsync(compares, writes, cancellationToken);
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var change in inner.WatchAsync(prefix, fromRevision, cancellationToken))
        {
            await _open.Task.WaitAsync(cancellationToken);
            yield return change;
        }
    }

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => inner.GetRevisionAsync(cancellationToken);

    /// <summary>The store below belongs to the test's <see cref="TempStore"/>.</summary>
    public ValueTask DisposeAsync()
    {
        Release();
        return ValueTask.CompletedTask;
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.TrySetResult();
        return open;
    }
}