using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>The prepared statements of the writer, bound to one SQLite transaction.</summary>
internal sealed class WriteCommands : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly SqliteCommand _modRevision;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _log;
    private int _seq;

    public WriteCommands(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
        _modRevision = Prepare("SELECT mod_rev FROM kv WHERE key = $k", "$k");
        _upsert = Prepare(
            """
            INSERT INTO kv(key, value, create_rev, mod_rev, version) VALUES ($k, $v, $rev, $rev, 1)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, mod_rev = excluded.mod_rev, version = kv.version + 1
            RETURNING create_rev, version
            """,
            "$k",
            "$v",
            "$rev");
        _delete = Prepare("DELETE FROM kv WHERE key = $k RETURNING create_rev, version", "$k");
        _log = Prepare("INSERT INTO log(rev, seq, key, value, create_rev, version) VALUES ($rev, $seq, $k, $v, $c, $ver)", "$rev", "$seq", "$k", "$v", "$c", "$ver");
    }

    public bool Holds(Compare compare)
    {
        _modRevision.Parameters["$k"].Value = Keys.Encode(compare.Key);
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
                    Put(Keys.Encode(put.Key), put.Value, revision);
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
        using var command = Command("UPDATE meta SET value = $v WHERE name = $n");
        command.Parameters.AddWithValue("$v", value);
        command.Parameters.AddWithValue("$n", name);
        command.ExecuteNonQuery();
    }

    /// <summary>Drops change history up to and including <paramref name="revision"/>.</summary>
    public void Compact(long revision)
    {
        using var command = Command("DELETE FROM log WHERE rev <= $r");
        command.Parameters.AddWithValue("$r", revision);
        command.ExecuteNonQuery();
        SetMeta("compacted", revision);
    }

    public void Dispose()
    {
        _modRevision.Dispose();
        _upsert.Dispose();
        _delete.Dispose();
        _log.Dispose();
    }

    private void Put(byte[] key, byte[] value, long revision)
    {
        _upsert.Parameters["$k"].Value = key;
        _upsert.Parameters["$v"].Value = value;
        _upsert.Parameters["$rev"].Value = revision;
        using var reader = _upsert.ExecuteReader();
        reader.Read();
        Log(revision, key, value, reader.GetInt64(0), reader.GetInt64(1));
    }

    private void Delete(byte[] key, long revision)
    {
        _delete.Parameters["$k"].Value = key;
        using var reader = _delete.ExecuteReader();
        if (reader.Read())
        {
            Log(revision, key, null, reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    private void Log(long revision, byte[] key, byte[]? value, long createRevision, long version)
    {
        _log.Parameters["$rev"].Value = revision;
        _log.Parameters["$seq"].Value = _seq++;
        _log.Parameters["$k"].Value = key;
        _log.Parameters["$v"].Value = (object?)value ?? DBNull.Value;
        _log.Parameters["$c"].Value = createRevision;
        _log.Parameters["$ver"].Value = version;
        _log.ExecuteNonQuery();
    }

    private List<byte[]> KeysWithPrefix(byte[] prefix)
    {
        var end = Keys.PrefixEnd(prefix);
        using var command = Command("SELECT key FROM kv WHERE key >= $from" + (end is null ? string.Empty : " AND key < $end"));
        command.Parameters.AddWithValue("$from", prefix);
        if (end is not null)
        {
            command.Parameters.AddWithValue("$end", end);
        }

        var keys = new List<byte[]>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add((byte[])reader[0]);
        }

        return keys;
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = Command(sql);
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }
}