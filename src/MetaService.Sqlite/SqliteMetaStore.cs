using System.Runtime.CompilerServices;

using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so an acknowledged transaction is
/// on disk. Its parts: the tables (<see cref="StoreSchema"/>: each value written once, in the change log), one writer
/// with group commit (<see cref="StoreWriter"/>), reads on pooled connections that see a snapshot
/// (<see cref="StoreReads"/>), and watches that read the latest changes from memory (a <see cref="ChangeFeed"/> the
/// writer fills after each commit) and older ones from the change-log table (<see cref="ChangeLogReads"/>).
/// </summary>
public sealed class SqliteMetaStore : IMetaStore
{
    private readonly SqliteStoreOptions _options;
    private readonly StoreReads _reads;
    private readonly ChangeLogReads _log;
    private readonly StoreWriter _writer;
    private readonly ChangeFeed _feed;
    private volatile bool _disposed;

    private SqliteMetaStore(SqliteStoreOptions options, SqliteConnection writer)
    {
        _options = options;
        _reads = new StoreReads(writer.ConnectionString, options.DatabasePath);
        _log = new ChangeLogReads(_reads);
        _feed = new ChangeFeed(options.FeedCapacityBytes, StoreSchema.ReadMeta(writer, "revision"));
        _writer = new StoreWriter(options, writer, _feed);
        Appends = new AppendReads(_reads, _writer);
    }

    /// <summary>Opens (creating when needed) the store file under the data directory.</summary>
    public static SqliteMetaStore Open(SqliteStoreOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.FeedCapacityBytes);
        PrivateFiles.CreateDirectory(options.DataDirectory);
        PrivateFiles.CreateFile(options.DatabasePath);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var writer = new SqliteConnection(connectionString);
        try
        {
            writer.Open();
            StoreSchema.Prepare(writer);
            return new SqliteMetaStore(options, writer);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>One key, read with a statement prepared once on a connection the store keeps for point reads.</summary>
    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_reads.Get(key));
    }

    /// <summary>The change-log row of that put, while compaction keeps it.</summary>
    public Task<KeyValue?> GetAtAsync(string key, long modRevision, CancellationToken cancellationToken = default) =>
        _reads.GetAtAsync(key, modRevision, cancellationToken);

    public Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        _reads.RangeAsync(prefix, limit, startAfter, withValues: true, cancellationToken);

    public Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        _reads.RangeAsync(prefix, limit, startAfter, withValues: false, cancellationToken);

    public Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default) =>
        _writer.EnqueueAsync(compares, writes, cancellationToken);

    /// <summary>The history's stream (<see cref="AppendWrites"/>, <see cref="AppendReads"/>).</summary>
    public IAppendLog Appends { get; }

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => Task.FromResult(_writer.Revision);

    /// <summary>Revisions from the compacted one on are kept (as etcd still reads at its compaction revision).</summary>
    public Task<bool> KeepsRevisionAsync(long revision, CancellationToken cancellationToken = default) => Task.FromResult(revision >= _writer.Compacted && revision <= _writer.Revision);

    /// <summary>How many times a watch read the change-log table (its position was older than the feed's window).</summary>
    internal long LogReads => _log.Reads;

    /// <summary>
    /// Changes from <paramref name="fromRevision"/> on: from the feed while the position lies inside its window
    /// (waiting there for the next publish when caught up), else from the change-log table, a page at a time, until
    /// the position reaches the window. Both give whole revisions only, in revision then write order. A watch from a
    /// compacted revision is refused (<see cref="RevisionCompactedException"/>); one that has begun goes on while the
    /// window holds its position, however far compaction has gone meanwhile, as an etcd watch does: otherwise a watcher
    /// that the thread pool was slow to run while other prefixes were written would lose its watch.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = Math.Max(fromRevision, 1);
        byte[]? prefixBytes = null;
        var following = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var read = _feed.Read(prefix, next, ChangeLogReads.Page);
            var compacted = _writer.Compacted;
            if (next <= compacted && !(following && read.Held))
            {
                throw new RevisionCompactedException(next, compacted);
            }

            following = true;
            if (read.Held)
            {
                foreach (var change in read.Events)
                {
                    yield return change;
                }

                next = read.Next;
                if (read.Events.Count < ChangeLogReads.Page)
                {
                    // The read went up to the last published revision: wait for the next (the task was taken with
                    // the read, so a publish since then has completed it already).
                    await read.Changed.WaitAsync(cancellationToken);
                }

                continue;
            }

            // Older than the window: the log has every committed revision from the compacted one on.
            prefixBytes ??= Keys.Encode(prefix);
            var (events, snapshot, complete) = await _log.ReadAsync(prefixBytes, Keys.PrefixEnd(prefixBytes), next, cancellationToken);
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
        await using var connection = await _reads.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _disposed = true;
        _reads.Dispose();

        // Wakes the watchers waiting on the feed; they find the store disposed.
        _feed.Reset(_writer.Revision);
    }
}