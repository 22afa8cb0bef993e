using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so an acknowledged
/// transaction is on disk. All writes go through one writer that commits every transaction waiting at
/// that moment in one SQLite transaction (group commit: one fsync for many acknowledgements); compares
/// are checked in order inside it, so each transaction sees the ones before it. Reads use pooled
/// connections and see a snapshot. Watches read the latest changes from memory (a <see cref="ChangeFeed"/>
/// the writer fills after each commit) and older ones from the change-log table.
/// </summary>
public sealed class SqliteMetaStore : IMetaStore
{
    /// <summary>The most changes one watch read returns (more when one revision holds more).</summary>
    private const int LogPage = 10_000;
    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly Channel<PendingTxn> _queue = Channel.CreateUnbounded<PendingTxn>(new() { SingleReader = true });
    private readonly SqliteConnection _writer;
    private readonly WriteCommands _writes;
    private readonly Task _writerLoop;
    private readonly ChangeFeed _feed;

    /// <summary>Connections with a prepared point read, each used by one GetAsync at a time.</summary>
    private readonly ConcurrentBag<Getter> _getters = [];
    private long _revision;
    private long _compacted;
    private long _logReads;
    private volatile bool _disposed;

    private SqliteMetaStore(SqliteStoreOptions options, SqliteConnection writer, long revision, long compacted)
    {
        _options = options;
        _connectionString = writer.ConnectionString;
        _writer = writer;
        _writes = new WriteCommands(writer);
        _revision = revision;
        _compacted = compacted;
        _feed = new ChangeFeed(options.FeedCapacityBytes, revision);
        _writerLoop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Opens (creating when needed) the store file under the data directory.</summary>
    public static SqliteMetaStore Open(SqliteStoreOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.FeedCapacityBytes);
        Directory.CreateDirectory(options.DataDirectory);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var writer = new SqliteConnection(connectionString);
        writer.Open();

        // Rowid tables, not WITHOUT ROWID: a ~2 KB value fits a 4 KB table page, where the index-shaped rows of a
        // WITHOUT ROWID table spill every value past ~1 KB into an overflow page (3× the file, 5× slower full
        // reads at 100k functions). Files made with the older layout keep it and work as before. kv_keys covers a
        // keys-only range (the catalog's load at start-up): 100k keys are read from ~10 MB of index instead of
        // every row's table page (0.09 s instead of 1 s warm, 0.14 s instead of 21 s from a cold page cache).
        Execute(writer, """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            CREATE TABLE IF NOT EXISTS kv(key BLOB PRIMARY KEY, value BLOB NOT NULL, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, version INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS kv_keys ON kv(key, mod_rev, create_rev, version);
            CREATE TABLE IF NOT EXISTS log(rev INTEGER NOT NULL, seq INTEGER NOT NULL, key BLOB NOT NULL, value BLOB, create_rev INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY(rev, seq));
            CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            INSERT OR IGNORE INTO meta(name, value) VALUES ('revision', 0), ('compacted', 0);
            """);
        return new SqliteMetaStore(options, writer, ReadMeta(writer, "revision"), ReadMeta(writer, "compacted"));
    }

    /// <summary>One key, read with a statement prepared once on a connection the store keeps for point reads.</summary>
    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var getter = TakeGetter();
        try
        {
            var kv = getter.Get(Keys.Encode(key));
            ReturnGetter(getter);
            return Task.FromResult(kv);
        }
        catch
        {
            getter.Dispose();
            throw;
        }
    }

    public Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        RangeAsync(prefix, limit, startAfter, withValues: true, cancellationToken);

    public Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        RangeAsync(prefix, limit, startAfter, withValues: false, cancellationToken);

    private async Task<RangeResult> RangeAsync(string prefix, int limit, string? startAfter, bool withValues, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var snapshot = connection.BeginTransaction(deferred: true);
        var revision = ReadMeta(connection, "revision", snapshot);
        await using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        var prefixBytes = Keys.Encode(prefix);
        var end = Keys.PrefixEnd(prefixBytes);
        command.CommandText = "SELECT key, " + (withValues ? "value" : "NULL") + ", create_rev, mod_rev, version FROM kv WHERE key >= $from"
            + (end is null ? string.Empty : " AND key < $end")
            + " ORDER BY key" + (limit > 0 ? " LIMIT $limit" : string.Empty);
        command.Parameters.AddWithValue("$from", startAfter is null ? prefixBytes : [.. Keys.Encode(startAfter), 0]);
        if (end is not null)
        {
            command.Parameters.AddWithValue("$end", end);
        }

        if (limit > 0)
        {
            command.Parameters.AddWithValue("$limit", limit + 1);
        }

        var items = new List<KeyValue>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(ReadKv(reader));
            }
        }

        var more = limit > 0 && items.Count > limit;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new RangeResult(items, revision, more);
    }

    public Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        var pending = new PendingTxn(compares, writes);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        // The caller may stop waiting, but the transaction, once queued, is committed or not as a whole.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => Task.FromResult(Interlocked.Read(ref _revision));

    /// <summary>How many times a watch read the change-log table (its position was older than the feed's window).</summary>
    internal long LogReads => Interlocked.Read(ref _logReads);

    /// <summary>
    /// Changes from <paramref name="fromRevision"/> on: from the feed while the position lies inside its window
    /// (waiting there for the next publish when caught up), else from the change-log table, a page at a time, until
    /// the position reaches the window. Both give whole revisions only, in revision then write order.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = Math.Max(fromRevision, 1);
        byte[]? prefixBytes = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var compacted = Interlocked.Read(ref _compacted);
            if (next <= compacted)
            {
                throw new RevisionCompactedException(next, compacted);
            }

            var read = _feed.Read(prefix, next, LogPage);
            if (read.Held)
            {
                foreach (var change in read.Events)
                {
                    yield return change;
                }

                next = read.Next;
                if (read.Events.Count < LogPage)
                {
                    // The read went up to the last published revision: wait for the next (the task was taken with
                    // the read, so a publish since then has completed it already).
                    await read.Changed.WaitAsync(cancellationToken);
                }

                continue;
            }

            // Older than the window: the log has every committed revision from the compacted one on.
            prefixBytes ??= Keys.Encode(prefix);
            var (events, snapshot, complete) = await ReadLogAsync(prefixBytes, Keys.PrefixEnd(prefixBytes), next, cancellationToken);
            foreach (var change in events)
            {
                yield return change;
            }

            if (events.Count > 0)
            {
                next = Math.Max(next, events[^1].Kv.ModRevision + 1);
            }

            if (complete)
            {
                // The read saw every revision up to the snapshot's.
                next = Math.Max(next, snapshot + 1);
            }
        }
    }

    /// <summary>Runs SQLite's integrity check; "ok" when the file is sound.</summary>
    public async Task<string> CheckIntegrityAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerLoop;
        _disposed = true;
        DisposeGetters();

        // Wakes the watchers waiting on the feed; they find the store disposed.
        _feed.Reset(Interlocked.Read(ref _revision));
        _writes.Dispose();
        await _writer.DisposeAsync();
        SqliteConnection.ClearPool(_writer);
    }

    /// <summary>The log's changes under the prefix from <paramref name="from"/> on, at most <see cref="LogPage"/> of
    /// them but never part of a revision, the revision of the snapshot they were read in, and whether they are every
    /// change up to that revision.</summary>
    private async Task<(List<WatchEvent> Events, long Snapshot, bool Complete)> ReadLogAsync(byte[] prefix, byte[]? end, long from, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _logReads);
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var snapshot = connection.BeginTransaction(deferred: true);

        // Checked in the snapshot the log is read in: a compaction committed before it shows here.
        var revision = ReadMeta(connection, "revision", snapshot);
        var compacted = ReadMeta(connection, "compacted", snapshot);
        if (from <= compacted)
        {
            throw new RevisionCompactedException(from, compacted);
        }

        await using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        var range = end is null ? string.Empty : " AND key < $end";
        command.CommandText = "SELECT key, value, create_rev, rev, version, seq FROM log WHERE rev >= $rev AND key >= $from" + range + " ORDER BY rev, seq LIMIT " + LogPage;
        command.Parameters.AddWithValue("$rev", from);
        command.Parameters.AddWithValue("$from", prefix);
        if (end is not null)
        {
            command.Parameters.AddWithValue("$end", end);
        }

        var events = new List<WatchEvent>();
        var lastSeq = await ReadEventsAsync(command, events, cancellationToken);
        var complete = events.Count < LogPage;
        if (!complete)
        {
            var last = events[^1].Kv.ModRevision;
            if (events[0].Kv.ModRevision != last)
            {
                // The page may end inside a revision: leave that revision to the next read.
                events.RemoveAll(e => e.Kv.ModRevision == last);
            }
            else
            {
                // One revision fills the page: read the rest of it, so that it is never cut in two.
                command.CommandText = "SELECT key, value, create_rev, rev, version, seq FROM log WHERE rev = $rev AND seq > $seq AND key >= $from" + range + " ORDER BY seq";
                command.Parameters["$rev"].Value = last;
                command.Parameters.AddWithValue("$seq", lastSeq);
                await ReadEventsAsync(command, events, cancellationToken);
            }
        }

        return (events, revision, complete);
    }

    /// <summary>Appends the log rows the command reads; returns the seq of the last.</summary>
    private static async Task<long> ReadEventsAsync(SqliteCommand command, List<WatchEvent> events, CancellationToken cancellationToken)
    {
        long seq = -1;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new WatchEvent(reader.IsDBNull(1) ? WatchEventType.Delete : WatchEventType.Put, ReadKv(reader)));
            seq = reader.GetInt64(5);
        }

        return seq;
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw new StoreUnavailableException($"cannot open the embedded store {_options.DatabasePath}: {e.Message}", e);
        }
    }

    private Getter TakeGetter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_getters.TryTake(out var getter))
        {
            return getter;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            return new Getter(connection);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StoreUnavailableException($"cannot open the embedded store {_options.DatabasePath}: {e.Message}", e);
        }
    }

    private void ReturnGetter(Getter getter)
    {
        _getters.Add(getter);
        if (_disposed)
        {
            // Disposed meanwhile: the bag may already have been emptied.
            DisposeGetters();
        }
    }

    private void DisposeGetters()
    {
        while (_getters.TryTake(out var getter))
        {
            getter.Dispose();
        }
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
        try
        {
            using var transaction = _writer.BeginTransaction();
            _writes.Begin(transaction, changes);
            for (var i = 0; i < batch.Count; i++)
            {
                var txn = batch[i];
                if (!Holds(txn.Compares))
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

            _writes.SetMeta("revision", revision);
            // Every 1024 revisions: when the batch crosses a multiple of 1024 (a batch of several revisions may
            // step over it).
            var compactTo = revision - _options.HistoryRetention;
            var compact = compactTo > _compacted && revision / 1024 > first / 1024;
            if (compact)
            {
                _writes.Compact(compactTo);
            }

            transaction.Commit();
            if (compact)
            {
                Interlocked.Exchange(ref _compacted, compactTo);
            }
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

    private bool Holds(IReadOnlyList<Compare> compares)
    {
        for (var i = 0; i < compares.Count; i++)
        {
            if (!_writes.Holds(compares[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static KeyValue ReadKv(SqliteDataReader reader) =>
        new(Keys.Decode((byte[])reader[0]), reader.IsDBNull(1) ? [] : (byte[])reader[1], reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long ReadMeta(SqliteConnection connection, string name, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE name = $n";
        command.Parameters.AddWithValue("$n", name);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>A reader connection and its prepared point read.</summary>
    private sealed class Getter : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _get;

        public Getter(SqliteConnection connection)
        {
            _connection = connection;
            _get = connection.CreateCommand();
            _get.CommandText = "SELECT key, value, create_rev, mod_rev, version FROM kv WHERE key = $k";
            _get.Parameters.Add(new SqliteParameter { ParameterName = "$k" });
            _get.Prepare();
        }

        public KeyValue? Get(byte[] key)
        {
            _get.Parameters[0].Value = key;
            using var reader = _get.ExecuteReader();
            return reader.Read() ? ReadKv(reader) : null;
        }

        public void Dispose()
        {
            _get.Dispose();
            _connection.Dispose();
        }
    }

    private sealed record PendingTxn(IReadOnlyList<Compare> Compares, IReadOnlyList<WriteOp> Writes)
    {
        public TaskCompletionSource<TxnResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}