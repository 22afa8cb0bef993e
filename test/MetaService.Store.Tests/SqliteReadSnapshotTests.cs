using MetaService.Core.Storage;
using MetaService.Sqlite;
using MetaService.Sqlite.Backup;

using Microsoft.Data.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>A trim's reads (<c>ReadSnapshot</c>): one read transaction with a page cache of its own size, which the pooled
/// connection no longer has once the snapshot ends.</summary>
public sealed class SqliteReadSnapshotTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-read-snapshot-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ASnapshot_ReadsTheFileAsItWasAtItsFirstRead_WithItsOwnCache_AndGivesTheConnectionBackAsItWas()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_directory, StoreFile.FileName);
        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        await store.TxnAsync([], [new WriteOp.Put("/k", [1])], ct);

        // A pool of its own (this connection string), so that every connection it hands out is one the snapshots used.
        var pooled = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 31 }.ToString();
        var reads = new StoreReads(pooled, path);
        var own = CacheSize(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());

        await using (var snapshot = await ReadSnapshot.OpenAsync(reads, 1234, ct))
        {
            Assert.Equal(-1234, Scalar(snapshot, "PRAGMA cache_size"));
            Assert.Equal(1, Scalar(snapshot, Value));
            await store.TxnAsync([], [new WriteOp.Put("/k", [2])], ct);
            Assert.Equal(1, Scalar(snapshot, Value));
        }

        await using (var snapshot = await ReadSnapshot.OpenAsync(reads, 99, ct))
        {
            Assert.Equal(2, Scalar(snapshot, Value));
        }

        Assert.NotEqual(-1234, own);
        Assert.Equal(own, CacheSize(pooled));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ReadSnapshot.OpenAsync(reads, 0, ct));
    }

    private const string Value = "SELECT log.value FROM kv JOIN log ON log.id = kv.log_id WHERE kv.key = CAST('/k' AS BLOB)";

    private static long Scalar(ReadSnapshot snapshot, string sql)
    {
        using var command = snapshot.Command(sql);
        return command.ExecuteScalar() switch
        {
            long number => number,
            byte[] bytes => bytes.Single(),
            var other => throw new InvalidOperationException($"{sql} read {other}"),
        };
    }

    private static long CacheSize(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size";
        return (long)command.ExecuteScalar()!;
    }
}