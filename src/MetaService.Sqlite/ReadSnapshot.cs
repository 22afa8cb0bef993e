using MetaService.Sqlite.Backup;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// Many reads on one reader connection in one read transaction, with a page cache of their own, of the size it is
/// opened with. A connection's page cache lasts only as long as the file does not change: every read transaction that
/// begins after a commit of the writer (each statement outside a transaction begins one, and the writer commits hundreds
/// of times a second) starts with an empty cache and reads every page it needs from the file again. Statements that read
/// the same pages one after another (a trim reads the rows of many keys, interleaved on the same pages of the append
/// log) therefore read each page once here instead of once per statement. The cache is allocated as pages are read.
/// When the snapshot ends, the connection's own cache size is set back, which frees it, and the transaction ends, which
/// until then keeps the writer's checkpoints from passing the snapshot: keep a snapshot to one pass of reads.
/// </summary>
internal sealed class ReadSnapshot : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly long _cacheSize;

    private ReadSnapshot(SqliteConnection connection, SqliteTransaction transaction, long cacheSize)
    {
        _connection = connection;
        _transaction = transaction;
        _cacheSize = cacheSize;
    }

    public static async Task<ReadSnapshot> OpenAsync(StoreReads reads, int cacheKiB, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cacheKiB);
        var connection = await reads.OpenAsync(cancellationToken);
        try
        {
            var cacheSize = StoreFile.Scalar<long>(connection, "PRAGMA cache_size");
            StoreFile.Execute(connection, $"PRAGMA cache_size = -{cacheKiB}");
            return new ReadSnapshot(connection, connection.BeginTransaction(deferred: true), cacheSize);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A statement of the snapshot; the caller disposes it.</summary>
    public SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _transaction.DisposeAsync();
            StoreFile.Execute(_connection, $"PRAGMA cache_size = {_cacheSize}");
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}