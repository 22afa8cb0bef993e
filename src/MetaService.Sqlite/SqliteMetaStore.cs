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
/// connections and see a snapshot.
/// </summary>
public sealed class SqliteMetaStore : IMetaStore
{
    /// <summary>The most change-log rows one watch read returns.</summary>
    private const int LogPage = 10_000;
    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly Channel<PendingTxn> _queue = Channel.CreateUnbounded<PendingTxn>(new() { SingleReader = true });
    private readonly SqliteConnection _writer;
    private readonly WriteCommands _writes;
    private readonly Task _writerLoop;
    private TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _revision;
    private long _compacted;
    private volatile bool _disposed;

    private SqliteMetaStore(SqliteStoreOptions options, SqliteConnection writer, long revision, long compacted)
    {
        _options = options;
        _connectionString = writer.ConnectionString;
        _writer = writer;
        _writes = new WriteCommands(writer);
        _revision = revision;
        _compacted = compacted;
        _writerLoop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Opens (creating when needed) the store file under the data directory.</summary>
    public static SqliteMetaStore Open(SqliteStoreOptions options)
    {
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
        // reads at 100k functions). Files made with the older layout keep it and work as before.
        Execute(writer, """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            CREATE TABLE IF NOT EXISTS kv(key BLOB PRIMARY KEY, value BLOB NOT NULL, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS log(rev INTEGER NOT NULL, seq INTEGER NOT NULL, key BLOB NOT NULL, value BLOB, create_rev INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY(rev, seq));
            CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            INSERT OR IGNORE INTO meta(name, value) VALUES ('revision', 0), ('compacted', 0);
            """);
        return new SqliteMetaStore(options, writer, ReadMeta(writer, "revision"), ReadMeta(writer, "compacted"));
    }

    public async Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, value, create_rev, mod_rev, version FROM kv WHERE key = $k";
        command.Parameters.AddWithValue("$k", Keys.Encode(key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadKv(reader) : null;
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

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = Math.Max(fromRevision, 1);
        var prefixBytes = Keys.Encode(prefix);
        var end = Keys.PrefixEnd(prefixBytes);
        while (!cancellationToken.IsCancellationRequested)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var signal = Volatile.Read(ref _committed).Task;

            // Every change up to this revision is committed, so the read below sees all of them.
            var committed = Interlocked.Read(ref _revision);
            var compacted = Interlocked.Read(ref _compacted);
            if (next <= compacted)
            {
                throw new RevisionCompactedException(next, compacted);
            }

            var events = await ReadLogAsync(prefixBytes, end, next, cancellationToken);
            var full = events.Count == LogPage;
            if (full && events[0].Kv.ModRevision != events[^1].Kv.ModRevision)
            {
                // The page may end inside a revision: leave that revision to the next read.
                var last = events[^1].Kv.ModRevision;
                events.RemoveAll(e => e.Kv.ModRevision == last);
            }

            foreach (var change in events)
            {
                yield return change;
            }

            if (events.Count > 0)
            {
                next = Math.Max(next, events[^1].Kv.ModRevision + 1);
            }

            if (!full)
            {
                next = Math.Max(next, committed + 1);
                if (Interlocked.Read(ref _revision) < next)
                {
                    await signal.WaitAsync(cancellationToken);
                }
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
        Volatile.Read(ref _committed).TrySetResult();
        _writes.Dispose();
        await _writer.DisposeAsync();
        SqliteConnection.ClearPool(_writer);
    }

    private async Task<List<WatchEvent>> ReadLogAsync(byte[] prefix, byte[]? end, long from, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, value, create_rev, rev, version FROM log WHERE rev >= $rev AND key >= $from"
            + (end is null ? string.Empty : " AND key < $end") + " ORDER BY rev, seq LIMIT " + LogPage;
        command.Parameters.AddWithValue("$rev", from);
        command.Parameters.AddWithValue("$from", prefix);
        if (end is not null)
        {
            command.Parameters.AddWithValue("$end", end);
        }

        var events = new List<WatchEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var deleted = reader.IsDBNull(1);
            var kv = new KeyValue(Keys.Decode((byte[])reader[0]), deleted ? [] : (byte[])reader[1], reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
            events.Add(new WatchEvent(deleted ? WatchEventType.Delete : WatchEventType.Put, kv));
        }

        return events;
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

    private void WriteLoop()
    {
        // A dedicated thread: the fsync of each commit blocks it, not a thread-pool thread.
        var batch = new List<PendingTxn>(_options.MaxBatch);
        using var wake = new ManualResetEventSlim(false, spinCount: 0);
        while (WaitForWork(wake))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            CommitBatch(batch);
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

    private void CommitBatch(List<PendingTxn> batch)
    {
        var results = new TxnResult[batch.Count];
        var revision = _revision;
        try
        {
            using var transaction = _writer.BeginTransaction();
            _writes.Begin(transaction);
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
            var compactTo = revision - _options.HistoryRetention;
            var compact = compactTo > _compacted && revision % 1024 == 0;
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
            // Nothing of the batch was committed (the transaction rolls back on dispose); every caller
            // hears of it, and the writer goes on with the next batch.
            var fault = e is SqliteException
                ? new StoreUnavailableException($"the embedded store {_options.DatabasePath} failed to commit: {e.Message}", e)
                : e;
            foreach (var txn in batch)
            {
                txn.Completion.TrySetException(fault);
            }

            return;
        }

        Interlocked.Exchange(ref _revision, revision);
        Interlocked.Exchange(ref _committed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
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

    private sealed record PendingTxn(IReadOnlyList<Compare> Compares, IReadOnlyList<WriteOp> Writes)
    {
        public TaskCompletionSource<TxnResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}