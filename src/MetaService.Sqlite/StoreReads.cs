using System.Collections.Concurrent;

using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// The store's reads: point reads on pooled connections with a prepared statement each, and ranges on connections of
/// their own inside a read transaction (a snapshot: the revision and the rows read belong together). WAL lets readers
/// and the writer go on without waiting for each other.
/// </summary>
internal sealed class StoreReads : IDisposable
{
    private const string Columns = "kv.key, log.value, kv.create_rev, kv.mod_rev, kv.version";
    private readonly string _connectionString;
    private readonly string _path;

    /// <summary>Connections with a prepared point read, each used by one read at a time.</summary>
    private readonly ConcurrentBag<Getter> _getters = [];
    private volatile bool _disposed;

    public StoreReads(string connectionString, string path)
    {
        _connectionString = connectionString;
        _path = path;
    }

    public KeyValue? Get(string key)
    {
        var getter = TakeGetter();
        try
        {
            var kv = getter.Get(Keys.Encode(key));
            ReturnGetter(getter);
            return kv;
        }
        catch
        {
            getter.Dispose();
            throw;
        }
    }

    /// <summary>The change-log row of the put of <paramref name="key"/> at <paramref name="modRevision"/> (by the log's
    /// revision index: a revision has few rows); null when compacted away, or when no put of the key made that revision.</summary>
    public async Task<KeyValue?> GetAtAsync(string key, long modRevision, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, value, create_rev, rev, version FROM log WHERE rev = $rev AND key = $key AND value IS NOT NULL";
        command.Parameters.AddWithValue("$rev", modRevision);
        command.Parameters.AddWithValue("$key", Keys.Encode(key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadKv(reader) : null;
    }

    /// <summary>Keys under the prefix in key order after <paramref name="startAfter"/>, at most
    /// <paramref name="limit"/> (0: all), with their values or without, and the revision they were read at.</summary>
    public async Task<RangeResult> RangeAsync(string prefix, int limit, string? startAfter, bool withValues, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var snapshot = connection.BeginTransaction(deferred: true);
        var revision = StoreSchema.ReadMeta(connection, "revision", snapshot);
        await using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        var prefixBytes = Keys.Encode(prefix);
        var end = Keys.PrefixEnd(prefixBytes);
        command.CommandText = (withValues ? $"SELECT {Columns} FROM kv JOIN log ON log.id = kv.log_id" : "SELECT key, NULL, create_rev, mod_rev, version FROM kv")
            + " WHERE kv.key >= $from" + (end is null ? string.Empty : " AND kv.key < $end")
            + " ORDER BY kv.key" + (limit > 0 ? " LIMIT $limit" : string.Empty);
        command.Parameters.AddWithValue("$from", startAfter is null ? prefixBytes : [.. Keys.Encode(startAfter), 0]);
        if (end is not null)
        {
            command.Parameters.AddWithValue("$end", end);
        }

        if (limit > 0)
        {
            command.Parameters.AddWithValue("$limit", limit + 1);
        }

        var items = new List<KeyValue>(limit > 0 ? Math.Min(limit + 1, 16_384) : 0);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            // SQLite reads are synchronous: one cancellation check per row instead of a task per row.
            while (!cancellationToken.IsCancellationRequested && reader.Read())
            {
                items.Add(withValues ? ReadKv(reader) : ReadKey(reader));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();

        var more = limit > 0 && items.Count > limit;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new RangeResult(items, revision, more);
    }

    /// <summary>A new reader connection; the caller disposes it. None once the store is disposed: a range read would
    /// otherwise still open the file.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw Unavailable(e);
        }
    }

    /// <summary>Closes the pooled connections; a read still running closes its own when it ends.</summary>
    public void Dispose()
    {
        _disposed = true;
        DisposeGetters();
    }

    /// <summary>A row of <c>key, value, create_rev, mod_rev, version</c> (from column <paramref name="first"/> on); a NULL
    /// value reads as empty.</summary>
    public static KeyValue ReadKv(SqliteDataReader reader, int first = 0) =>
        new(Keys.Decode((byte[])reader[first]), reader.IsDBNull(first + 1) ? [] : (byte[])reader[first + 1], reader.GetInt64(first + 2), reader.GetInt64(first + 3), reader.GetInt64(first + 4));

    /// <summary>A key and its bookkeeping without a value: the key's UTF-8 bytes are read as text straight from the row
    /// (no intermediate array).</summary>
    private static KeyValue ReadKey(SqliteDataReader reader) =>
        new(reader.GetString(0), [], reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));

    private StoreUnavailableException Unavailable(SqliteException e) => new($"cannot open the embedded store {_path}: {e.Message}", e);

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
            throw Unavailable(e);
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

    /// <summary>A reader connection and its prepared point read.</summary>
    private sealed class Getter : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _get;

        public Getter(SqliteConnection connection)
        {
            _connection = connection;
            _get = connection.CreateCommand();
            _get.CommandText = $"SELECT {Columns} FROM kv JOIN log ON log.id = kv.log_id WHERE kv.key = $k";
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
}