using System.Runtime.CompilerServices;

using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite.Backup;

/// <summary>
/// The embedded store as of one revision, read by a connection of its own inside one read transaction, so a running
/// server may go on writing meanwhile (WAL: readers and the writer do not wait for each other) and every key read
/// belongs to <see cref="Revision"/>. The keys stream from one cursor: memory does not grow with the store.
/// </summary>
public sealed class SqliteSnapshot : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    /// <summary>A file of the earlier layout (each value held in its <c>kv</c> row), which a snapshot reads as it is:
    /// the server brings it to the current layout when it opens it.</summary>
    private readonly bool _earlierLayout;

    private SqliteSnapshot(SqliteConnection connection, SqliteTransaction transaction, long revision)
    {
        _connection = connection;
        _transaction = transaction;
        Revision = revision;
        _earlierLayout = StoreSchema.IsEarlierLayout(connection, transaction);
    }

    /// <summary>The store revision every key of this snapshot is as of.</summary>
    public long Revision { get; }

    /// <summary>Opens the store in <paramref name="dataDirectory"/>, which must exist, and pins its current revision.</summary>
    public static SqliteSnapshot Open(string dataDirectory)
    {
        var path = Path.Combine(Path.GetFullPath(dataDirectory), StoreFile.FileName);
        if (!File.Exists(path))
        {
            throw new MaintenanceRefusedException($"there is no store in {dataDirectory} ({path} does not exist)");
        }

        var connection = StoreFile.Open(path, SqliteOpenMode.ReadWrite);
        try
        {
            var transaction = connection.BeginTransaction(deferred: true);

            // The first read inside the transaction fixes its snapshot; everything after reads the same one.
            var revision = ReadRevision(connection, transaction);
            return new SqliteSnapshot(connection, transaction, revision);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Every key under <paramref name="prefix"/>, in key order, with its value and revisions.</summary>
    public async IAsyncEnumerable<KeyValue> ReadAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = Keys.Encode(prefix);
        var end = Keys.PrefixEnd(from);
        await using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = (_earlierLayout ? "SELECT kv.key, kv.value" : "SELECT kv.key, log.value")
            + ", kv.create_rev, kv.mod_rev, kv.version FROM kv" + (_earlierLayout ? string.Empty : " JOIN log ON log.id = kv.log_id") + " WHERE kv.key >= $from"
            + (end is null ? string.Empty : " AND kv.key < $end") + " ORDER BY kv.key";
        command.Parameters.AddWithValue("$from", from);
        if (end is not null)
        {
            command.Parameters.AddWithValue("$end", end);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new KeyValue(Keys.Decode((byte[])reader[0]), (byte[])reader[1], reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private static long ReadRevision(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE name = 'revision'";
        return (long)command.ExecuteScalar()!;
    }
}