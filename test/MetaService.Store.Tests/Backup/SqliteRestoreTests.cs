using System.Text;

using MetaService.Core.Storage;
using MetaService.Sqlite;
using MetaService.Sqlite.Backup;

using Xunit;

namespace MetaService.Store.Tests.Backup;

/// <summary>Restore: refusals that keep data safe, and the revision after a restore over a store that got further.</summary>
public sealed class SqliteRestoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "metaservice-restore-" + Guid.NewGuid().ToString("N"));

    private string Source => Path.Combine(_root, "source");

    private string Target => Path.Combine(_root, "target");

    private string BackupFile => Path.Combine(_root, "backup.db");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Restore_RefusesWhileAServerHasTheStoreOpen()
    {
        await WriteAsync(Source, "/a", 3);
        SqliteBackup.Backup(Source, BackupFile, overwrite: false);
        await using var served = Open(Target);
        await served.TxnAsync([], [new WriteOp.Put("/served", [1])], TestContext.Current.CancellationToken);

        var refusal = Assert.Throws<MaintenanceRefusedException>(() => SqliteBackup.Restore(BackupFile, Target, force: true));

        Assert.Contains("running server", refusal.Message, StringComparison.Ordinal);
        Assert.True(SqliteBackup.InUse(Target));
        Assert.NotNull(await served.GetAsync("/served", TestContext.Current.CancellationToken));

        // The refused attempts hold nothing: once the server has stopped, the restore goes ahead.
        await served.DisposeAsync();
        Assert.False(SqliteBackup.InUse(Target));
        Assert.Equal(3, SqliteBackup.Restore(BackupFile, Target, force: true).Keys);
    }

    [Fact]
    public async Task Restore_OfAMissingFile_OrOfAnSqliteFileThatIsNotAStore_IsRefusedNamingIt_AndChangesNothing()
    {
        await WriteAsync(Target, "/kept", 1);
        var missing = Path.Combine(_root, "missing.db");
        var other = Path.Combine(_root, "other.db");
        StoreFileQuery.Execute(other, "CREATE TABLE kv(key BLOB PRIMARY KEY)");

        var absent = Assert.Throws<MaintenanceRefusedException>(() => SqliteBackup.Restore(missing, Target, force: true));
        var notAStore = Assert.Throws<MaintenanceRefusedException>(() => SqliteBackup.Restore(other, Target, force: true));

        Assert.Equal($"{missing} does not exist: give a file made by the backup command", absent.Message);
        Assert.Equal($"{other} is an SQLite file but not a MetaService store (it lacks the kv, log and meta tables)", notAStore.Message);
        Assert.Equal(["meta.db"], Directory.GetFiles(Target).Select(Path.GetFileName));
        await using var untouched = Open(Target);
        Assert.NotNull(await untouched.GetAsync("/kept/0", TestContext.Current.CancellationToken));
        Assert.Equal(1, await untouched.GetRevisionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Restore_RefusesAStoreThatHoldsAnything_UnlessForced()
    {
        await WriteAsync(Source, "/from-backup", 2);
        SqliteBackup.Backup(Source, BackupFile, overwrite: false);
        await WriteAsync(Target, "/kept", 1);

        var refusal = Assert.Throws<MaintenanceRefusedException>(() => SqliteBackup.Restore(BackupFile, Target, force: false));
        await using (var untouched = Open(Target))
        {
            Assert.NotNull(await untouched.GetAsync("/kept/0", TestContext.Current.CancellationToken));
        }

        var restored = SqliteBackup.Restore(BackupFile, Target, force: true);

        Assert.Contains("--force", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(2, restored.Keys);
        await using var store = Open(Target);
        Assert.Null(await store.GetAsync("/kept/0", TestContext.Current.CancellationToken));
        Assert.NotNull(await store.GetAsync("/from-backup/1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Restore_OverAStoreThatHoldsNothing_NeedsNoForce()
    {
        await WriteAsync(Source, "/from-backup", 2);
        SqliteBackup.Backup(Source, BackupFile, overwrite: false);
        await WriteAsync(Target, "/none", 0);
        Assert.True(File.Exists(Path.Combine(Target, "meta.db")));

        var restored = SqliteBackup.Restore(BackupFile, Target, force: false);

        Assert.Equal((2, 2), (restored.Revision, restored.Keys));
        await using var store = Open(Target);
        Assert.NotNull(await store.GetAsync("/from-backup/1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ABackupOfAnEmptyStore_RestoresAtRevisionZero()
    {
        await WriteAsync(Source, "/none", 0);
        var backup = SqliteBackup.Backup(Source, BackupFile, overwrite: false);

        var restored = SqliteBackup.Restore(BackupFile, Target, force: false);

        Assert.Equal((0, 0, 0), (backup.Revision, restored.Revision, restored.Keys));
        await using var store = Open(Target);
        Assert.Equal(0, await store.GetRevisionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ABackup_IsAStoreInWalMode_AloneOnDisk()
    {
        await WriteAsync(Source, "/k", 3);

        SqliteBackup.Backup(Source, BackupFile, overwrite: false);

        // The file format's read and write versions (bytes 18 and 19 of the header) are 2 in WAL mode, 1 in the rollback
        // journal's; no -wal or -shm is left beside it.
        var header = new byte[20];
        using (var file = File.OpenRead(BackupFile))
        {
            file.ReadExactly(header);
        }

        Assert.Equal((2, 2), (header[18], header[19]));
        Assert.Equal([BackupFile], Directory.GetFiles(_root, "backup.db*"));
    }

    [Fact]
    public async Task Restore_IntoAFreshDirectory_KeepsTheRevisionAndTheWatchHistory()
    {
        await WriteAsync(Source, "/k", 5);
        var backup = SqliteBackup.Backup(Source, BackupFile, overwrite: false);

        SqliteBackup.Restore(BackupFile, Target, force: false);

        await using var store = Open(Target);
        Assert.Equal(5, backup.Revision);
        Assert.Equal(5, await store.GetRevisionAsync(TestContext.Current.CancellationToken));
        var history = await ReadHistoryAsync(store, from: 1, through: 5);
        Assert.Equal(["/k/0", "/k/1", "/k/2", "/k/3", "/k/4"], history.Select(e => e.Kv.Key));
        Assert.Equal([1L, 2, 3, 4, 5], history.Select(e => e.Kv.ModRevision));
    }

    [Fact]
    public async Task Restore_OverAStoreThatGotFurther_MovesTheRevisionOn_AndCompactsTheHistory()
    {
        await WriteAsync(Target, "/k", 3);
        SqliteBackup.Backup(Target, BackupFile, overwrite: false);
        await WriteAsync(Target, "/later", 4);

        var restored = SqliteBackup.Restore(BackupFile, Target, force: true);

        await using var store = Open(Target);
        Assert.Equal(8, restored.Revision);
        Assert.Equal(8, await store.GetRevisionAsync(TestContext.Current.CancellationToken));
        Assert.Null(await store.GetAsync("/later/0", TestContext.Current.CancellationToken));
        Assert.Equal(3, (await store.GetAsync("/k/2", TestContext.Current.CancellationToken))!.ModRevision);
        await Assert.ThrowsAsync<RevisionCompactedException>(() => ReadHistoryAsync(store, from: 4, through: 8));
        var next = await store.TxnAsync([], [new WriteOp.Put("/after", [1])], TestContext.Current.CancellationToken);
        Assert.Equal(9, next.Revision);
        Assert.Equal(["/after"], (await ReadHistoryAsync(store, from: 9, through: 9)).Select(e => e.Kv.Key));
    }

    [Fact]
    public async Task Restore_OverAStoreAtTheSameRevision_StillMovesTheRevisionOn_AndCompactsTheHistory()
    {
        // Another store that happens to be at the backup's revision: its history does not lead to the backup's keys.
        await WriteAsync(Source, "/k", 3);
        SqliteBackup.Backup(Source, BackupFile, overwrite: false);
        await WriteAsync(Target, "/other", 3);

        var restored = SqliteBackup.Restore(BackupFile, Target, force: true);

        await using var store = Open(Target);
        Assert.Equal(4, restored.Revision);
        Assert.Equal(4, await store.GetRevisionAsync(TestContext.Current.CancellationToken));
        Assert.Null(await store.GetAsync("/other/0", TestContext.Current.CancellationToken));
        Assert.NotNull(await store.GetAsync("/k/2", TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<RevisionCompactedException>(() => ReadHistoryAsync(store, from: 1, through: 4));
    }

    [Fact]
    public async Task Restore_OverAStoreThatIsBehind_KeepsTheBackupsRevisionAndHistory()
    {
        await WriteAsync(Source, "/k", 5);
        SqliteBackup.Backup(Source, BackupFile, overwrite: false);
        await WriteAsync(Target, "/behind", 2);

        var restored = SqliteBackup.Restore(BackupFile, Target, force: true);

        await using var store = Open(Target);
        Assert.Equal(5, restored.Revision);
        Assert.Equal(5, await store.GetRevisionAsync(TestContext.Current.CancellationToken));
        Assert.Null(await store.GetAsync("/behind/0", TestContext.Current.CancellationToken));
        var history = await ReadHistoryAsync(store, from: 1, through: 5);
        Assert.Equal(["/k/0", "/k/1", "/k/2", "/k/3", "/k/4"], history.Select(e => e.Kv.Key));
    }

    [Fact]
    public async Task Restore_IntoADirectoryWithAStaleWal_IsNotReplayedIntoTheRestoredStore()
    {
        // What a store file deleted by hand while its server ran leaves behind: a write-ahead log full of another
        // store's pages. SQLite would replay it into whatever file takes the name next.
        await WriteAsync(Source, "/k", 3);
        SqliteBackup.Backup(Source, BackupFile, overwrite: false);
        var other = Path.Combine(_root, "other");
        await using (var open = Open(other))
        {
            for (var i = 0; i < 20; i++)
            {
                await open.TxnAsync([], [new WriteOp.Put($"/stale/{i}", new byte[2000])], TestContext.Current.CancellationToken);
            }

            Directory.CreateDirectory(Target);
            var wal = Path.Combine(other, StoreFile.FileName + "-wal");
            Assert.True(new FileInfo(wal).Length > 0);
            File.Copy(wal, Path.Combine(Target, StoreFile.FileName + "-wal"));
            File.Copy(Path.Combine(other, StoreFile.FileName + "-shm"), Path.Combine(Target, StoreFile.FileName + "-shm"));
        }

        var restored = SqliteBackup.Restore(BackupFile, Target, force: false);

        Assert.False(File.Exists(Path.Combine(Target, StoreFile.FileName + "-wal")) && new FileInfo(Path.Combine(Target, StoreFile.FileName + "-wal")).Length > 0);
        await using var store = Open(Target);
        Assert.Equal(3, restored.Revision);
        Assert.Equal(3, await store.GetRevisionAsync(TestContext.Current.CancellationToken));
        Assert.Null(await store.GetAsync("/stale/0", TestContext.Current.CancellationToken));
        Assert.Equal(["/k/0", "/k/1", "/k/2"], (await store.RangeAsync("/", cancellationToken: TestContext.Current.CancellationToken)).Items.Select(k => k.Key));
    }

    /// <summary>The changes of revisions <paramref name="from"/> to <paramref name="through"/>, every key, from a watch.</summary>
    private static async Task<List<WatchEvent>> ReadHistoryAsync(SqliteMetaStore store, long from, long through)
    {
        // Bounds the wait should a revision never come; the history asked for is already committed.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(30));
        var events = new List<WatchEvent>();
        await foreach (var change in store.WatchAsync("/", from, stop.Token))
        {
            events.Add(change);
            if (change.Kv.ModRevision >= through)
            {
                break;
            }
        }

        return events;
    }

    private static SqliteMetaStore Open(string directory) => SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = directory });

    /// <summary>Puts <paramref name="count"/> keys under <paramref name="prefix"/>, one transaction each, and closes the store.</summary>
    private static async Task WriteAsync(string directory, string prefix, int count)
    {
        await using var store = Open(directory);
        for (var i = 0; i < count; i++)
        {
            await store.TxnAsync([], [new WriteOp.Put($"{prefix}/{i}", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))], TestContext.Current.CancellationToken);
        }
    }
}