using System.Threading.Channels;

using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// The store's one writer: a dedicated thread that commits every transaction waiting at that moment in one SQLite
/// transaction (group commit: one fsync for many acknowledgements). Compares are checked in order inside it, so each
/// transaction sees the ones before it. Once a batch is committed its changes go to the feed, and then its callers
/// hear of it: a caller that reads after its write sees it, and so does a watch.
/// </summary>
internal sealed class StoreWriter : IAsyncDisposable
{
    private readonly Channel<PendingTxn> _queue = Channel.CreateUnbounded<PendingTxn>(new() { SingleReader = true });
    private readonly SqliteStoreOptions _options;
    private readonly SqliteConnection _connection;
    private readonly WriteCommands _writes;
    private readonly ChangeFeed _feed;
    private readonly Task _loop;
    private long _revision;
    private long _compacted;

    public StoreWriter(SqliteStoreOptions options, SqliteConnection connection, ChangeFeed feed)
    {
        _options = options;
        _connection = connection;
        _feed = feed;
        _writes = new WriteCommands(connection, options.Rotation);
        _revision = StoreSchema.ReadMeta(connection, "revision");
        _compacted = StoreSchema.ReadMeta(connection, "compacted");
        _loop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The last committed revision.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>The revision up to which the change history is dropped.</summary>
    public long Compacted => Interlocked.Read(ref _compacted);

    /// <summary>Queues the transaction; the task completes once it is committed (or refused by a compare).</summary>
    public Task<TxnResult> EnqueueAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken)
    {
        var pending = new PendingTxn(compares, writes);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        // The caller may stop waiting, but the transaction, once queued, is committed or not as a whole.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Commits what is queued, then stops the writer and closes its connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _writes.Dispose();
        await _connection.DisposeAsync();
        SqliteConnection.ClearPool(_connection);
    }

    private void WriteLoop()
    {
        // A dedicated thread: the fsync of each commit blocks it, not a thread-pool thread.
        var batch = new List<PendingTxn>(_options.MaxBatch);
        var changes = new List<WatchEvent>();
        using var wake = new ManualResetEventSlim(false, spinCount: 0);
        while (WaitForWork(wake))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            changes.Clear();
            CommitBatch(batch, changes);
        }
    }

    /// <summary>Blocks until a transaction is queued (true) or the queue is closed (false). The wait neither spins
    /// (as <c>Task.Wait</c> does before it sleeps) nor holds a thread-pool thread: the channel wakes the writer from
    /// the thread pool, and the transactions queued meanwhile join the batch.</summary>
    private bool WaitForWork(ManualResetEventSlim wake)
    {
        var ready = _queue.Reader.WaitToReadAsync();
        if (ready.IsCompletedSuccessfully)
        {
            return ready.Result;
        }

        var waiting = ready.AsTask();
        wake.Reset();
        waiting.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(wake.Set);
        wake.Wait();
        return waiting.GetAwaiter().GetResult();
    }

    private void CommitBatch(List<PendingTxn> batch, List<WatchEvent> changes)
    {
        var results = new TxnResult[batch.Count];
        var first = _revision;
        var revision = first;
        var compactTo = 0L;
        try
        {
            using var transaction = _connection.BeginTransaction();
            _writes.Begin(transaction, changes, _compacted);
            for (var i = 0; i < batch.Count; i++)
            {
                var txn = batch[i];
                if (txn.Writes is [AppendUpkeep upkeep])
                {
                    _writes.Appends.Index(now: true);
                    _writes.Appends.Forget(upkeep.Forget);
                    results[i] = new TxnResult(true, revision, Changed: false);
                    continue;
                }

                if (!_writes.HoldsAll(txn.Compares))
                {
                    results[i] = new TxnResult(false, revision);
                    continue;
                }

                if (txn.Writes.Count > 0)
                {
                    revision++;
                    _writes.Apply(txn.Writes, revision);
                }

                results[i] = new TxnResult(true, revision);
            }

            _writes.Appends.Index();
            _writes.SetMeta("revision", revision);

            // Every 1024 revisions: when the batch crosses a multiple of 1024 (a batch of several revisions may step
            // over it).
            var retainFrom = revision - _options.HistoryRetention;
            if (retainFrom > _compacted && revision / 1024 > first / 1024)
            {
                compactTo = retainFrom;

                // Every appended row indexed first, so that compaction finds the log rows they keep in that index rather
                // than among the rows not indexed yet.
                _writes.Appends.Index(now: true);
                _writes.Compact(_compacted, compactTo);
            }

            transaction.Commit();
        }
        catch (Exception e)
        {
            // Nothing of the batch was committed (the transaction rolls back on dispose) and nothing of it reaches
            // the feed; every caller hears of it, and the writer goes on with the next batch.
            var fault = e is SqliteException
                ? new StoreUnavailableException($"the embedded store {_options.DatabasePath} failed to commit: {e.Message}", e)
                : e;
            foreach (var txn in batch)
            {
                txn.Completion.TrySetException(fault);
            }

            return;
        }

        if (compactTo > 0)
        {
            Interlocked.Exchange(ref _compacted, compactTo);
        }

        // Committed: the watchers see the batch before its callers hear of it.
        foreach (var change in changes)
        {
            _feed.Add(change);
        }

        _feed.Publish(revision);
        Interlocked.Exchange(ref _revision, revision);
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(results[i]);
        }
    }

    private sealed record PendingTxn(IReadOnlyList<Compare> Compares, IReadOnlyList<WriteOp> Writes)
    {
        public TaskCompletionSource<TxnResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}