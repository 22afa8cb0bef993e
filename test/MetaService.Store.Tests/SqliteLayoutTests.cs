using System.Text;

using MetaService.Core.Storage;
using MetaService.Sqlite;
using MetaService.Sqlite.Backup;

using Microsoft.Data.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The store file's layout: each value written once (in the change log, which the key's row points at),
/// current values kept through compaction, and files of the earlier layout (values in <c>kv</c> and again in
/// <c>log</c>) brought to this one when the store opens them.</summary>
public sealed class SqliteLayoutTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-layout-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string File => Path.Combine(_directory, "meta.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Put_WritesItsValueOnce_AndAnUpdateKeepsTheEarlierOneAsHistory()
    {
        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        await PutAsync(store, "/f", "first-value");
        await PutAsync(store, "/f", "second-value");

        Assert.Equal(1, Count("SELECT count(*) FROM log WHERE value = CAST('first-value' AS BLOB)"));
        Assert.Equal(1, Count("SELECT count(*) FROM log WHERE value = CAST('second-value' AS BLOB)"));
        Assert.Equal(0, Count("SELECT count(*) FROM pragma_table_info('kv') WHERE name = 'value'"));
        Assert.Equal("second-value", Text((await store.GetAsync("/f", Cancel))!.Value));
    }

    [Fact]
    public async Task Compaction_KeepsEveryCurrentValue_AndDropsItOnceTheKeyChanges()
    {
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory, HistoryRetention = 10 }))
        {
            await PutAsync(store, "/keep", "kept-value");
            await PutAsync(store, "/gone", "deleted-value");
            for (var i = 0; i < 1100; i++)
            {
                await PutAsync(store, "/busy", "v" + i);
            }

            // Compacted past /keep's revision: its value stays, and is read by gets and ranges.
            Assert.Equal("kept-value", Text((await store.GetAsync("/keep", Cancel))!.Value));
            Assert.Equal(["kept-value"], (await store.RangeAsync("/keep", cancellationToken: Cancel)).Items.Select(kv => Text(kv.Value)));
            Assert.True(Count("SELECT count(*) FROM log") < 100, "compaction left the history of /busy");

            await PutAsync(store, "/keep", "new-value");
            await store.TxnAsync([], [new WriteOp.Delete("/gone")], Cancel);

            Assert.Equal(0, Count("SELECT count(*) FROM log WHERE value = CAST('kept-value' AS BLOB)"));
            Assert.Equal(0, Count("SELECT count(*) FROM log WHERE value = CAST('deleted-value' AS BLOB)"));
        }

        await using var reopened = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory, HistoryRetention = 10 });
        Assert.Equal("new-value", Text((await reopened.GetAsync("/keep", Cancel))!.Value));
        Assert.Null(await reopened.GetAsync("/gone", Cancel));
        Assert.Equal("ok", await reopened.CheckIntegrityAsync(Cancel));
    }

    [Fact]
    public async Task EarlierLayout_IsBroughtToThisOne_KeepingKeysRevisionsAndValues()
    {
        WriteEarlierLayout();
        await using (var snapshot = SqliteSnapshot.Open(_directory))
        {
            // A backup or copy of a file the server has not opened yet reads it as it is.
            Assert.Equal(["one", "two"], await TextsAsync(snapshot.ReadAsync("/", Cancel)));
        }

        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });

        var a = (await store.GetAsync("/a", Cancel))!;
        Assert.Equal(("one", 1L, 3L, 2L), (Text(a.Value), a.CreateRevision, a.ModRevision, a.Version));
        Assert.Equal(["/a", "/b"], (await store.RangeAsync("/", cancellationToken: Cancel)).Items.Select(kv => kv.Key));
        Assert.Equal(3, await store.GetRevisionAsync(Cancel));
        Assert.Equal(0, Count("SELECT count(*) FROM sqlite_master WHERE name IN ('kv_earlier', 'log_earlier', 'kv_keys')"));

        // The earlier history is compacted away: a watch starts after the revision the file had.
        await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
        {
            await foreach (var change in store.WatchAsync("/", 1, Cancel))
            {
                Assert.Fail($"no event should come from the earlier history, got {change.Kv.Key}");
            }
        });

        var put = await PutAsync(store, "/a", "three");
        Assert.Equal((4L, 1L, 3L), (put.Revision, (await store.GetAsync("/a", Cancel))!.CreateRevision, (await store.GetAsync("/a", Cancel))!.Version));
        await foreach (var change in store.WatchAsync("/", 4, Cancel))
        {
            Assert.Equal(("/a", "three"), (change.Kv.Key, Text(change.Kv.Value)));
            break;
        }

        Assert.Equal("ok", await store.CheckIntegrityAsync(Cancel));
    }

    [Fact]
    public async Task ABackupOfTheEarlierLayout_RestoredOverAStoreThatGotFurther_IsBroughtToThisOne_PastItsRevision()
    {
        WriteEarlierLayout();
        var backup = _directory + "-backup.db";
        var target = _directory + "-target";
        try
        {
            SqliteBackup.Backup(_directory, backup, overwrite: false);
            await using (var further = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = target }))
            {
                for (var i = 0; i < 5; i++)
                {
                    await PutAsync(further, "/further", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            var restored = SqliteBackup.Restore(backup, target, force: true);

            Assert.Equal((6L, 6L, 2L), (restored.Revision, restored.Compacted, restored.Keys));
            await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = target });
            Assert.Equal(["one", "two"], await TextsAsync(ReadAllAsync(store)));
            Assert.Equal(7, (await PutAsync(store, "/b", "three")).Revision);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            System.IO.File.Delete(backup);
            Directory.Delete(target, recursive: true);
        }
    }

    private static async IAsyncEnumerable<KeyValue> ReadAllAsync(SqliteMetaStore store)
    {
        foreach (var kv in (await store.RangeAsync("/", cancellationToken: Cancel)).Items)
        {
            yield return kv;
        }
    }

    /// <summary>A store file as the earlier layout wrote it: /a put at 1 and again at 3, /b put at 2.</summary>
    private void WriteEarlierLayout()
    {
        Directory.CreateDirectory(_directory);
        using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE kv(key BLOB PRIMARY KEY, value BLOB NOT NULL, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, version INTEGER NOT NULL);
            CREATE INDEX kv_keys ON kv(key, mod_rev, create_rev, version);
            CREATE TABLE log(rev INTEGER NOT NULL, seq INTEGER NOT NULL, key BLOB NOT NULL, value BLOB, create_rev INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY(rev, seq));
            CREATE TABLE meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO meta(name, value) VALUES ('revision', 3), ('compacted', 0);
            INSERT INTO kv VALUES (CAST('/a' AS BLOB), CAST('one' AS BLOB), 1, 3, 2), (CAST('/b' AS BLOB), CAST('two' AS BLOB), 2, 2, 1);
            INSERT INTO log VALUES (1, 0, CAST('/a' AS BLOB), CAST('zero' AS BLOB), 1, 1), (2, 0, CAST('/b' AS BLOB), CAST('two' AS BLOB), 2, 1), (3, 0, CAST('/a' AS BLOB), CAST('one' AS BLOB), 1, 2);
            """;
        command.ExecuteNonQuery();
    }

    private long Count(string sql) => (long)StoreFileQuery.Scalar(File, sql)!;

    private static Task<TxnResult> PutAsync(SqliteMetaStore store, string key, string value) =>
        store.TxnAsync([], [new WriteOp.Put(key, Encoding.UTF8.GetBytes(value))], Cancel);

    private static async Task<List<string>> TextsAsync(IAsyncEnumerable<KeyValue> items)
    {
        var texts = new List<string>();
        await foreach (var kv in items)
        {
            texts.Add(Text(kv.Value));
        }

        return texts;
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}