using System.Runtime.CompilerServices;

using MetaService.Core.Storage;

namespace MetaService.Tests.Fixtures;

/// <summary>A store over another whose watch can be held: what is written meanwhile reaches the store, but whoever
/// follows the watch (a catalog) hears nothing until it is released, as a replica trailing another's writes. It counts
/// the point reads and the transactions made through it, and can lose every transaction (as to a writer always
/// ahead).</summary>
public sealed class HeldWatchStore(IMetaStore inner) : DelegatingStore(inner)
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

    public override Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        return base.GetAsync(key, cancellationToken);
    }

    public override Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _txns);
        return LoseEveryTxn ? LostAsync(cancellationToken) : base.TxnAsync(compares, writes, cancellationToken);
    }

    public override async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var change in base.WatchAsync(prefix, fromRevision, cancellationToken))
        {
            await _open.Task.WaitAsync(cancellationToken);
            yield return change;
        }
    }

    /// <summary>Lets a held watch go, so that nothing still following it is left waiting.</summary>
    public override ValueTask DisposeAsync()
    {
        Release();
        return base.DisposeAsync();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.TrySetResult();
        return open;
    }
}