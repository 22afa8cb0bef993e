using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// The writer's statements, prepared once for the store's lifetime (SQLite parses each only once); each batch
/// binds them to its transaction with <see cref="Begin"/>.
/// </summary>
internal sealed class WriteCommands : IDisposable
{
    private readonly SqliteCommand _modRevision;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _log;
    private readonly SqliteCommand _setMeta;
    private readonly SqliteCommand _keysFrom;
    private readonly SqliteCommand _keysBetween;
    private readonly SqliteCommand _compact;
    private readonly SqliteCommand[] _all;
    private int _seq;

    public WriteCommands(SqliteConnection connection)
    {
        _modRevision = Prepare(connection, "SELECT mod_rev FROM kv WHERE key = $k", "$k");
        _upsert = Prepare(
            connection,
            """
            INSERT INTO kv(key, value, create_rev, mod_rev, version) VALUES ($k, $v, $rev, $rev, 1)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, mod_rev = excluded.mod_rev, version = kv.version + 1
            RETURNING create_rev, version
            """,
            "$k",
            "$v",
            "$rev");
        _delete = Prepare(connection, "DELETE FROM kv WHERE key = $k RETURNING create_rev, version", "$k");
        _log = Prepare(connection, "INSERT INTO log(rev, seq, key, value, create_rev, version) VALUES ($rev, $seq, $k, $v, $c, $ver)", "$rev", "$seq", "$k", "$v", "$c", "$ver");
        _setMeta = Prepare(connection, "UPDATE meta SET value = $v WHERE name = $n", "$v", "$n");
        _keysFrom = Prepare(connection, "SELECT key FROM kv WHERE key >= $from", "$from");
        _keysBetween = Prepare(connection, "SELECT key FROM kv WHERE key >= $from AND key < $end", "$from", "$end");
        _compact = Prepare(connection, "DELETE FROM log WHERE rev <= $r", "$r");
        _all = [_modRevision, _upsert, _delete, _log, _setMeta, _keysFrom, _keysBetween, _compact];
    }

    /// <summary>Binds every statement to <paramref name="transaction"/>.</summary>
    public void Begin(SqliteTransaction transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
    }

    public bool Holds(Compare compare)
    {
        _modRevision.Parameters[0].Value = Keys.Encode(compare.Key);
        var current = _modRevision.ExecuteScalar() as long? ?? 0;
        return current == compare.ModRevision;
    }

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
                    Delete(Keys.Encode(delete.Key), revision);
                    break;
                case WriteOp.DeletePrefix deletePrefix:
                    foreach (var key in KeysWithPrefix(Keys.Encode(deletePrefix.Key)))
                    {
                        Delete(key, revision);
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

    private void Put(string key, byte[] value, long revision)
    {
        var keyBytes = Keys.Encode(key);
        _upsert.Parameters[0].Value = keyBytes;
        _upsert.Parameters[1].Value = value;
        _upsert.Parameters[2].Value = revision;
        long createRevision, version;
        using (var reader = _upsert.ExecuteReader())
        {
            reader.Read();
            createRevision = reader.GetInt64(0);
            version = reader.GetInt64(1);
        }

        Log(keyBytes, value, revision, createRevision, version);
    }

    private void Delete(byte[] keyBytes, long revision)
    {
        _delete.Parameters[0].Value = keyBytes;
        long createRevision, version;
        using (var reader = _delete.ExecuteReader())
        {
            if (!reader.Read())
            {
                return;
            }

            createRevision = reader.GetInt64(0);
            version = reader.GetInt64(1);
        }

        Log(keyBytes, null, revision, createRevision, version);
    }

    private void Log(byte[] keyBytes, byte[]? value, long revision, long createRevision, long version)
    {
        _log.Parameters[0].Value = revision;
        _log.Parameters[1].Value = _seq++;
        _log.Parameters[2].Value = keyBytes;
        _log.Parameters[3].Value = (object?)value ?? DBNull.Value;
        _log.Parameters[4].Value = createRevision;
        _log.Parameters[5].Value = version;
        _log.ExecuteNonQuery();
    }

    private List<byte[]> KeysWithPrefix(byte[] prefix)
    {
        var end = Keys.PrefixEnd(prefix);
        var command = end is null ? _keysFrom : _keysBetween;
        command.Parameters[0].Value = prefix;
        if (end is not null)
        {
            command.Parameters[1].Value = end;
        }

        var keys = new List<byte[]>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add((byte[])reader[0]);
        }

        return keys;
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
}