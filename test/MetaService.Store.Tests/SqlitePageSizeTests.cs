using MetaService.Core.Storage;
using MetaService.Sqlite;

using Microsoft.Data.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The embedded store's page size: a new file has pages of 8 KB (three function records a page of the log, where
/// a 4 KB page holds one); a file made with another size keeps it and works as before.</summary>
public sealed class SqlitePageSizeTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-pages-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_directory, "meta.db");

    [Fact]
    public async Task ANewFile_HasPagesOf8KB()
    {
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }))
        {
            await store.TxnAsync([], [new WriteOp.Put("/k", new byte[2400])], Cancel);
        }

        Assert.Equal(8192, Pragma("page_size"));
        Assert.Equal("wal", PragmaText("journal_mode"));
    }

    [Fact]
    public async Task AFileMadeWith4KBPages_KeepsThem_AndServesAsBefore()
    {
        Directory.CreateDirectory(_directory);
        using (var made = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            made.Open();
            using var command = made.CreateCommand();
            command.CommandText = "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE early(x INTEGER);";
            command.ExecuteNonQuery();
        }

        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }))
        {
            var put = await store.TxnAsync([], [new WriteOp.Put("/k", "v"u8.ToArray())], Cancel);
            Assert.True(put.Succeeded);
            Assert.Equal("v"u8.ToArray(), (await store.GetAsync("/k", Cancel))!.Value);
            Assert.Equal("ok", await store.CheckIntegrityAsync(Cancel));
        }

        Assert.Equal(4096, Pragma("page_size"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private long Pragma(string name) => Convert.ToInt64(PragmaText(name), System.Globalization.CultureInfo.InvariantCulture);

    private string PragmaText(string name) =>
        Convert.ToString(StoreFileQuery.Scalar(DatabasePath, $"PRAGMA {name}"), System.Globalization.CultureInfo.InvariantCulture)!;
}