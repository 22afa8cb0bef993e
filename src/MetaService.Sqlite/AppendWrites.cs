using System.Globalization;
using System.Text;

using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// The writer's statements of the append log (<see cref="IAppendLog"/>): an append is one row of <c>appended</c>, a
/// rowid table with no index, so each goes to the right edge of its b-tree and costs the transaction a few hundred bytes
/// and no page split. Every index is built behind the appends, every <see cref="IndexEvery"/> rows in one statement each
/// (many rows of one key land on one page): by key (with the revision), by group, and by the log rows each names
/// (<c>before_log</c>, <c>after_log</c>), each in two generations (<see cref="AppendIndexes"/>). A read merges the
/// indexes with the rows not yet indexed. The log rows an appended row names are kept by compaction while it exists
/// (<see cref="WriteCommands"/>; compaction indexes first), and released when it is forgotten.
/// </summary>
internal sealed class AppendWrites : IDisposable
{
    /// <summary>How many appended rows wait for the key and group indexes at most: what a read scans besides them.</summary>
    public const int IndexEvery = 1024;

    /// <summary>Whether a log row is named by an appended row (SQL, <c>log</c> in scope): by an indexed one, or by one of
    /// the rows not indexed yet (none right after <see cref="Index"/>).</summary>
    public static readonly string LogRowKept = $"""
        ({AppendIndexes.Refer()}
         OR EXISTS (SELECT 1 FROM appended WHERE appended.id > (SELECT value FROM meta WHERE name = 'appended_indexed')
                    AND (appended.before_log = log.id OR appended.after_log = log.id)))
        """;

    /// <summary>Forgets the appended rows whose ids the JSON array <c>$ids</c> holds. The log rows they name go first,
    /// while the rows still say which: those compaction has passed (<c>$compacted</c>), that no key points at and that no
    /// other appended row keeps. Then the rows; their index rows stay until the generation that holds them is emptied
    /// (<see cref="AppendIndexes"/>), and every read skips them meanwhile. Log ids grow with the revisions (the writer takes
    /// them in order), so the rows compaction has passed are those up to the id of the last one: the named ids are
    /// compared with it before any log row is looked up. Compaction keeps the last <c>Store:Sqlite:HistoryRetention</c>
    /// revisions (100,000 by default) and a function's history its last 100 entries, so the rows a trim forgets mostly name
    /// values compaction has not passed, and cost no look-up of the log (1.2–3.6 µs a row before, 0.4–1.0 after;
    /// bench/README.md, session 41).</summary>
    private static readonly string ForgetSql = $"""
        DELETE FROM log WHERE id IN (SELECT before_log FROM appended WHERE id IN (SELECT value FROM json_each($ids)) AND before_log <= (SELECT id FROM log WHERE rev <= $compacted ORDER BY rev DESC, id DESC LIMIT 1)
                                     UNION SELECT after_log FROM appended WHERE id IN (SELECT value FROM json_each($ids)) AND after_log <= (SELECT id FROM log WHERE rev <= $compacted ORDER BY rev DESC, id DESC LIMIT 1))
            AND rev <= $compacted
            AND NOT EXISTS (SELECT 1 FROM kv WHERE kv.key = log.key AND kv.log_id = log.id)
            AND NOT ({AppendIndexes.Refer("SELECT value FROM json_each($ids)")});
        DELETE FROM appended WHERE id IN (SELECT value FROM json_each($ids));
        """;

    private readonly RawStatement _state;
    private readonly RawStatement _insert;
    private readonly RawStatement _release;
    private readonly AppendIndexes _indexes;
    private readonly SqliteCommand _forget;
    private readonly SqliteCommand[] _all;
    private readonly RawStatement[] _raw;

    /// <summary>The log rows each key written by the transaction being applied pointed at before it (0: none) and points
    /// at after it (null: deleted).</summary>
    private readonly Dictionary<string, (long Before, long? After)> _written = new(StringComparer.Ordinal);
    private readonly List<WriteOp.Append> _queued = [];

    /// <summary>Log rows the transaction being applied replaced that compaction has passed.</summary>
    private readonly List<long> _released = [];
    private bool _tracking;
    private bool _stateRead;
    private long _nextId;
    private long _compacted;

    public AppendWrites(SqliteConnection connection, AppendRotation rotation)
    {
        _state = new RawStatement(connection, "SELECT coalesce(max(id), 0) FROM appended");
        _insert = new RawStatement(connection, "INSERT INTO appended(id, rev, time, key, grp, value, before_log, after_log) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        _indexes = new AppendIndexes(connection, rotation);
        _forget = Statements.Prepare(connection, ForgetSql, "$ids", "$compacted");
        // A released value goes once compaction has passed it and its key no longer points at it (as Replaced drops one).
        _release = new RawStatement(
            connection,
            $"DELETE FROM log WHERE id = ?1 AND rev <= ?2 AND NOT EXISTS (SELECT 1 FROM kv WHERE kv.key = log.key AND kv.log_id = log.id) AND NOT {LogRowKept}");
        _all = [_forget];
        _raw = [_state, _insert, _release];
    }

    /// <summary>Binds the statements to the batch's transaction (where the log stands is read once the batch needs it).</summary>
    public void Begin(SqliteTransaction transaction, long compacted)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }

        _indexes.Begin(transaction);
        _compacted = compacted;
        _stateRead = false;
    }

    /// <summary>Starts applying <paramref name="writes"/>; what its keys pointed at is remembered only if it appends.</summary>
    public void StartTransaction(IReadOnlyList<WriteOp> writes)
    {
        _written.Clear();
        _queued.Clear();
        _released.Clear();
        _tracking = false;
        foreach (var write in writes)
        {
            _tracking |= write is WriteOp.Append;
        }
    }

    /// <summary>The transaction being applied wrote <paramref name="key"/>, which pointed at <paramref name="before"/> and
    /// now points at <paramref name="after"/> (null: deleted).</summary>
    public void Wrote(string key, long? before, long? after)
    {
        if (_tracking)
        {
            _written[key] = (_written.TryGetValue(key, out var earlier) ? earlier.Before : before ?? 0, after);
        }
    }

    public void Queue(WriteOp.Append append) => _queued.Add(append);

    /// <summary>The transaction being applied replaced a log row that compaction has passed: it goes at the transaction's
    /// end unless an appended row keeps it.</summary>
    public void Release(long logId) => _released.Add(logId);

    /// <summary>Appends the transaction's rows after its other writes, wherever they stand in it: each names the values
    /// before and after them (<paramref name="current"/>: the log row a key the transaction did not write points at). Then
    /// drops the log rows it released that no appended row keeps.</summary>
    public void EndTransaction(long revision, Func<string, long?> current)
    {
        foreach (var append in _queued)
        {
            long? before = append.Before is null ? null : _written.TryGetValue(append.Before, out var earlier) ? earlier.Before : current(append.Before) ?? 0;
            long? after = append.After is null ? null : _written.TryGetValue(append.After, out var later) ? later.After : current(append.After);
            Insert(append, revision, before is 0 ? null : before, after);
        }

        foreach (var logId in _released)
        {
            ReleaseNow(logId);
        }
    }

    /// <summary>Indexes the rows appended since the last time, when <see cref="IndexEvery"/> of them wait or
    /// <paramref name="now"/> says so.</summary>
    public void Index(bool now = false)
    {
        // A batch that appended nothing has no more rows waiting than the last one left.
        if (!_stateRead && !now)
        {
            return;
        }

        ReadState();
        var last = _nextId - 1;
        if (last > _indexes.Indexed && (now || last - _indexes.Indexed >= IndexEvery))
        {
            _indexes.IndexUpTo(last);
        }
    }

    /// <summary>Removes appended rows, with their index rows, and releases the log rows they kept, in one pass of a few
    /// statements over all of <paramref name="ids"/> (ids no row has are passed over). Every appended row is indexed when
    /// this runs (the writer indexes first).</summary>
    public void Forget(IReadOnlyList<long> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var json = new StringBuilder(ids.Count * 8).Append('[');
        foreach (var id in ids)
        {
            json.Append(json.Length > 1 ? "," : "").Append(id.ToString(CultureInfo.InvariantCulture));
        }

        _forget.Parameters[0].Value = json.Append(']').ToString();
        _forget.Parameters[1].Value = _compacted;
        _forget.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }

        foreach (var statement in _raw)
        {
            statement.Dispose();
        }

        _indexes.Dispose();
    }

    /// <summary>Reads where the log stands in the batch's transaction, once a batch.</summary>
    private void ReadState()
    {
        if (_stateRead)
        {
            return;
        }

        var newest = _state.First(static row => row.Int64(0))!.Value;
        _indexes.ReadState();

        // Never below the indexed ids (trimming may have removed the newest rows): reads take those above as not indexed,
        // and an index row of a forgotten id must never name a new row.
        _nextId = Math.Max(newest, _indexes.Indexed) + 1;
        _stateRead = true;
    }

    private void Insert(WriteOp.Append append, long revision, long? beforeLog, long? afterLog)
    {
        ReadState();
        _insert.Bind(1, _nextId++).Bind(2, revision).Bind(3, append.Time.ToUnixTimeMilliseconds()).Bind(4, Keys.Encode(append.Key))
            .Bind(5, Keys.Encode(append.Group)).Bind(6, append.Value).Bind(7, beforeLog).Bind(8, afterLog).Execute();
    }

    /// <summary>Drops the log row unless compaction has not passed it, its key points at it, or an appended row keeps it.</summary>
    private void ReleaseNow(long logId)
    {
        _release.Bind(1, logId).Bind(2, _compacted).Execute();
    }
}

/// <summary>The append log's upkeep, queued to the writer like a transaction but making no revision: index what waits
/// now, or forget these rows.</summary>
internal sealed record AppendUpkeep(IReadOnlyList<long> Forget) : WriteOp("");