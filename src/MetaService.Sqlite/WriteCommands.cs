using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// The writer's statements, prepared once for the store's lifetime (SQLite parses each only once); each batch
/// binds them to its transaction with <see cref="Begin"/>. A write reads the key's row first and then inserts, updates
/// or deletes it by rowid: no <c>RETURNING</c>, which opens a temporary b-tree at every execution. Every change written
/// to the log is also collected as the watch event its log row stands for, for the writer to hand to the feed once
/// the batch is committed.
/// </summary>
internal sealed class WriteCommands : IDisposable
{
    private readonly SqliteCommand _current;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _log;
    private readonly SqliteCommand _setMeta;
    private readonly SqliteCommand _rowsFrom;
    private readonly SqliteCommand _rowsBetween;
    private readonly SqliteCommand _compact;
    private readonly SqliteCommand[] _all;
    private List<WatchEvent> _changes = [];
    private int _seq;

    public WriteCommands(SqliteConnection connection)
    {
        _current = Prepare(connection, "SELECT rowid, create_rev, version, mod_rev FROM kv WHERE key = $k", "$k");
        _insert = Prepare(connection, "INSERT INTO kv(key, value, create_rev, mod_rev, version) VALUES ($k, $v, $rev, $rev, 1)", "$k", "$v", "$rev");
        _update = Prepare(connection, "UPDATE kv SET value = $v, mod_rev = $rev, version = $ver WHERE rowid = $id", "$v", "$rev", "$ver", "$id");
        _delete = Prepare(connection, "DELETE FROM kv WHERE rowid = $id", "$id");
        _log = Prepare(connection, "INSERT INTO log(rev, seq, key, value, create_rev, version) VALUES ($rev, $seq, $k, $v, $c, $ver)", "$rev", "$seq", "$k", "$v", "$c", "$ver");
        _setMeta = Prepare(connection, "UPDATE meta SET value = $v WHERE name = $n", "$v", "$n");
        _rowsFrom = Prepare(connection, "SELECT rowid, key, create_rev, version FROM kv WHERE key >= $from ORDER BY key", "$from");
        _rowsBetween = Prepare(connection, "SELECT rowid, key, create_rev, version FROM kv WHERE key >= $from AND key < $end ORDER BY key", "$from", "$end");
        _compact = Prepare(connection, "DELETE FROM log WHERE rev <= $r", "$r");
        _all = [_current, _insert, _update, _delete, _log, _setMeta, _rowsFrom, _rowsBetween, _compact];
    }

    /// <summary>Binds every statement to <paramref name="transaction"/>; the changes of the batch go to
    /// <paramref name="changes"/>.</summary>
    public void Begin(SqliteTransaction transaction, List<WatchEvent> changes)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }

        _changes = changes;
    }

    public bool Holds(Compare compare) => (Find(Keys.Encode(compare.Key))?.ModRevision ?? 0) == compare.ModRevision;

    public void Apply(IReadOnlyList<WriteOp> writes, long revision)
    {
        _seq = 0;
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
                default:
                    throw new ArgumentException($"unknown write {write.GetType().Name}", nameof(writes));
            }
        }
    }

    public void SetMeta(string name, long value)
    {
        _setMeta.Parameters[0].Value = value;
        _setMeta.Parameters[1].Value = name;
        _setMeta.ExecuteNonQuery();
    }

    /// <summary>Drops change history up to and including <paramref name="revision"/>.</summary>
    public void Compact(long revision)
    {
        _compact.Parameters[0].Value = revision;
        _compact.ExecuteNonQuery();
        SetMeta("compacted", revision);
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }

    private Row? Find(byte[] key)
    {
        _current.Parameters[0].Value = key;
        using var reader = _current.ExecuteReader();
        return reader.Read() ? new Row(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)) : null;
    }

    private void Put(string key, byte[] value, long revision)
    {
        var keyBytes = Keys.Encode(key);
        long createRevision, version;
        if (Find(keyBytes) is { } row)
        {
            createRevision = row.CreateRevision;
            version = row.Version + 1;
            _update.Parameters[0].Value = value;
            _update.Parameters[1].Value = revision;
            _update.Parameters[2].Value = version;
            _update.Parameters[3].Value = row.RowId;
            _update.ExecuteNonQuery();
        }
        else
        {
            createRevision = revision;
            version = 1;
            _insert.Parameters[0].Value = keyBytes;
            _insert.Parameters[1].Value = value;
            _insert.Parameters[2].Value = revision;
            _insert.ExecuteNonQuery();
        }

        Log(keyBytes, value, revision, createRevision, version);

        // The feed keeps the caller's array (a put's value is not changed once handed over; see WriteOp.Put).
        _changes.Add(new WatchEvent(WatchEventType.Put, new KeyValue(key, value, createRevision, revision, version)));
    }

    private void Delete(string key, byte[] keyBytes, Row row, long revision)
    {
        _delete.Parameters[0].Value = row.RowId;
        _delete.ExecuteNonQuery();
        Log(keyBytes, null, revision, row.CreateRevision, row.Version);
        _changes.Add(new WatchEvent(WatchEventType.Delete, new KeyValue(key, [], row.CreateRevision, revision, row.Version)));
    }

    private void Log(byte[] key, byte[]? value, long revision, long createRevision, long version)
    {
        _log.Parameters[0].Value = revision;
        _log.Parameters[1].Value = _seq++;
        _log.Parameters[2].Value = key;
        _log.Parameters[3].Value = (object?)value ?? DBNull.Value;
        _log.Parameters[4].Value = createRevision;
        _log.Parameters[5].Value = version;
        _log.ExecuteNonQuery();
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
            rows.Add(((byte[])reader[1], new Row(reader.GetInt64(0), reader.GetInt64(2), reader.GetInt64(3), 0)));
        }

        return rows;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    /// <summary>A key's row: its rowid and etcd bookkeeping.</summary>
    private readonly record struct Row(long RowId, long CreateRevision, long Version, long ModRevision);
}