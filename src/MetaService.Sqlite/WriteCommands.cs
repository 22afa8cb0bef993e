using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// The writer's statements, prepared once for the store's lifetime (SQLite parses each only once); each batch
/// binds them to its transaction with <see cref="Begin"/>. A put writes its value once, as a new log row, and points
/// the key's <c>kv</c> row at it (see <see cref="StoreSchema"/>); no <c>RETURNING</c>, which opens a temporary b-tree
/// at every execution. Every change written to the log is also collected as the watch event its log row stands for, for
/// the writer to hand to the feed once the batch is committed.
/// </summary>
internal sealed class WriteCommands : IDisposable
{
    private readonly RawStatement _current;
    private readonly RawStatement _insert;
    private readonly RawStatement _update;
    private readonly RawStatement _delete;
    private readonly RawStatement _log;
    private readonly RawStatement _lastLogId;
    private readonly RawStatement _setMeta;
    private readonly RawStatement[] _raw;
    private readonly SqliteCommand _rowsFrom;
    private readonly SqliteCommand _rowsBetween;
    private readonly SqliteCommand _compact;
    private readonly SqliteCommand[] _all;
    private readonly AppendWrites _appends;

    private List<WatchEvent> _changes = [];
    private long _nextLogId;
    private long _compacted;

    public WriteCommands(SqliteConnection connection, AppendRotation rotation)
    {
        _current = new RawStatement(connection, "SELECT create_rev, version, mod_rev, log_id FROM kv WHERE key = ?1");
        _insert = new RawStatement(connection, "INSERT INTO kv(key, create_rev, mod_rev, version, log_id) VALUES (?1, ?2, ?2, 1, ?3)");
        _update = new RawStatement(connection, "UPDATE kv SET mod_rev = ?1, version = ?2, log_id = ?3 WHERE key = ?4");
        _delete = new RawStatement(connection, "DELETE FROM kv WHERE key = ?1");
        _log = new RawStatement(connection, "INSERT INTO log(id, rev, key, value, create_rev, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        _lastLogId = new RawStatement(connection, "SELECT coalesce(max(id), 0) FROM log");
        _setMeta = new RawStatement(connection, "UPDATE meta SET value = ?1 WHERE name = ?2");
        _raw = [_current, _insert, _update, _delete, _log, _lastLogId, _setMeta];
        _rowsFrom = Statements.Prepare(connection, "SELECT key, create_rev, version, mod_rev, log_id FROM kv WHERE key >= $from ORDER BY key", "$from");
        _rowsBetween = Statements.Prepare(connection, "SELECT key, create_rev, version, mod_rev, log_id FROM kv WHERE key >= $from AND key < $end ORDER BY key", "$from", "$end");

        // Only the revisions this compaction adds: the rows older than the last one that it kept are dropped when their
        // keys change (see Replaced) or when the appended rows that keep them go (AppendWrites.Forget).
        _compact = Statements.Prepare(
            connection,
            $"DELETE FROM log WHERE rev > $after AND rev <= $r AND NOT EXISTS (SELECT 1 FROM kv WHERE kv.key = log.key AND kv.log_id = log.id) AND NOT {AppendWrites.LogRowKept}",
            "$after",
            "$r");
        _all = [_rowsFrom, _rowsBetween, _compact];
        _appends = new AppendWrites(connection, rotation);
    }

    /// <summary>Binds every statement to <paramref name="transaction"/>; the changes of the batch go to
    /// <paramref name="changes"/>; <paramref name="compacted"/> is the store's compacted revision.</summary>
    public void Begin(SqliteTransaction transaction, List<WatchEvent> changes, long compacted)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }

        _changes = changes;
        _compacted = compacted;
        _appends.Begin(transaction, compacted);

        // Read in the batch's transaction: a batch rolled back leaves no ids behind.
        _nextLogId = _lastLogId.First(static row => row.Int64(0))!.Value + 1;
    }

    public bool HoldsAll(IReadOnlyList<Compare> compares)
    {
        for (var i = 0; i < compares.Count; i++)
        {
            if ((Find(Keys.Encode(compares[i].Key))?.ModRevision ?? 0) != compares[i].ModRevision)
            {
                return false;
            }
        }

        return true;
    }

    public void Apply(IReadOnlyList<WriteOp> writes, long revision)
    {
        _appends.StartTransaction(writes);
        foreach (var write in writes)
        {
            switch (write)
            {
                case WriteOp.Put put:
                    Put(put.Key, put.Value, revision);
                    break;
                case WriteOp.Delete delete:
                    var key = Keys.Encode(delete.Key);
                    if (Find(key) is { } row)
                    {
                        Delete(delete.Key, key, row, revision);
                    }

                    break;
                case WriteOp.DeletePrefix deletePrefix:
                    foreach (var (prefixed, found) in RowsWithPrefix(Keys.Encode(deletePrefix.Key)))
                    {
                        Delete(Keys.Decode(prefixed), prefixed, found, revision);
                    }

                    break;
                case WriteOp.Append append:
                    _appends.Queue(append);
                    break;
                default:
                    throw new ArgumentException($"unknown write {write.GetType().Name}", nameof(writes));
            }
        }

        _appends.EndTransaction(revision, key => Find(Keys.Encode(key))?.LogId);
    }

    /// <summary>The append log's writes: its rows, their indexes and the log rows they keep.</summary>
    public AppendWrites Appends => _appends;

    public void SetMeta(string name, long value)
    {
        _setMeta.Bind(1, value).Bind(2, name).Execute();
    }

    /// <summary>Drops change history after <paramref name="compacted"/> up to and including
    /// <paramref name="revision"/>, keeping the rows that hold keys' current values.</summary>
    public void Compact(long compacted, long revision)
    {
        _compact.Parameters[0].Value = compacted;
        _compact.Parameters[1].Value = revision;
        _compact.ExecuteNonQuery();
        SetMeta("compacted", revision);
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

        _appends.Dispose();
    }

    private Row? Find(byte[] key) =>
        _current.Bind(1, key).First(static row => new Row(row.Int64(0), row.Int64(1), row.Int64(2), row.Int64(3)));

    private void Put(string key, byte[] value, long revision)
    {
        var keyBytes = Keys.Encode(key);
        var row = Find(keyBytes);
        var createRevision = row?.CreateRevision ?? revision;
        var version = (row?.Version ?? 0) + 1;
        var logId = Log(keyBytes, value, revision, createRevision, version);
        _appends.Wrote(key, row?.LogId, logId);
        if (row is { } found)
        {
            _update.Bind(1, revision).Bind(2, version).Bind(3, logId).Bind(4, keyBytes).Execute();
            Replaced(found);
        }
        else
        {
            _insert.Bind(1, keyBytes).Bind(2, revision).Bind(3, logId).Execute();
        }

        // The feed keeps the caller's array (a put's value is not changed once handed over; see WriteOp.Put).
        _changes.Add(new WatchEvent(WatchEventType.Put, new KeyValue(key, value, createRevision, revision, version)));
    }

    private void Delete(string key, byte[] keyBytes, Row row, long revision)
    {
        _appends.Wrote(key, row.LogId, null);
        _delete.Bind(1, keyBytes).Execute();
        Log(keyBytes, null, revision, row.CreateRevision, row.Version);
        Replaced(row);
        _changes.Add(new WatchEvent(WatchEventType.Delete, new KeyValue(key, [], row.CreateRevision, revision, row.Version)));
    }

    /// <summary>The key no longer points at the log row of its earlier value. A row older than the compacted revision
    /// was kept only for that, or for an appended row that names it: without one, it goes at the end of the transaction
    /// (one of its own appends may name it). A newer one stays in the history until a compaction takes it.</summary>
    private void Replaced(Row earlier)
    {
        if (earlier.ModRevision <= _compacted)
        {
            _appends.Release(earlier.LogId);
        }
    }

    /// <summary>Appends a change to the log (a NULL value: a delete) and returns its row's id.</summary>
    private long Log(byte[] key, byte[]? value, long revision, long createRevision, long version)
    {
        var id = _nextLogId++;
        _log.Bind(1, id).Bind(2, revision).Bind(3, key).Bind(4, value).Bind(5, createRevision).Bind(6, version).Execute();
        return id;
    }

    /// <summary>The keys under <paramref name="prefix"/> with their rows, in key order.</summary>
    private List<(byte[] Key, Row Row)> RowsWithPrefix(byte[] prefix)
    {
        var end = Keys.PrefixEnd(prefix);
        var command = end is null ? _rowsFrom : _rowsBetween;
        command.Parameters[0].Value = prefix;
        if (end is not null)
        {
            command.Parameters[1].Value = end;
        }

        var rows = new List<(byte[], Row)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(((byte[])reader[0], new Row(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4))));
        }

        return rows;
    }

    /// <summary>A key's row: its etcd bookkeeping and the log row that holds its value.</summary>
    private readonly record struct Row(long CreateRevision, long Version, long ModRevision, long LogId);
}