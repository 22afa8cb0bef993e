using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

using MetaService.Core.Storage;
using MetaService.Sqlite;
using MetaService.Sqlite.Backup;

using Xunit;

namespace MetaService.Store.Tests.Backup;

/// <summary>Online backup of the embedded store: taken while writers commit, it restores to one revision the writers
/// were told of, with every key exactly as of that revision.</summary>
public sealed class SqliteBackupTests : IDisposable
{
    private const int Writers = 4;
    private const int CommitsPerWriter = 150;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "metaservice-backup-" + Guid.NewGuid().ToString("N"));

    private string Source => Path.Combine(_root, "source");

    private string BackupFile => Path.Combine(_root, "backup.db");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task ABackupOfAFileThatIsNotAStore_IsRefused_AndLeavesNoFileBehind()
    {
        Directory.CreateDirectory(Source);
        StoreFileQuery.Execute(Path.Combine(Source, "meta.db"), "CREATE TABLE other(id INTEGER PRIMARY KEY)");

        var refusal = Assert.Throws<MaintenanceRefusedException>(() => SqliteBackup.Backup(Source, BackupFile, overwrite: false));

        Assert.Equal("the backup is an SQLite file but not a MetaService store (it lacks the kv, log and meta tables)", refusal.Message);
        Assert.Empty(Directory.GetFiles(_root));
    }

    [Fact]
    public async Task Backup_UnderWriteLoad_RestoresToAnAcknowledgedRevision_WithEveryKeyAsOfIt()
    {
        var acknowledged = new ConcurrentDictionary<long, int>();
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SqliteStoreInfo backup;
        long finalRevision;
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = Source, MaxBatch = 8 }))
        {
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(store, w, acknowledged, halfway))).ToArray();
            await halfway.Task.WaitAsync(TestContext.Current.CancellationToken);

            backup = await Task.Run(() => SqliteBackup.Backup(Source, BackupFile, overwrite: false), TestContext.Current.CancellationToken);
            await Task.WhenAll(writers);
            finalRevision = await store.GetRevisionAsync(TestContext.Current.CancellationToken);
        }

        var restored = Path.Combine(_root, "restored");
        SqliteBackup.Restore(BackupFile, restored, force: false);
        await using var copy = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = restored });
        var revision = await copy.GetRevisionAsync(TestContext.Current.CancellationToken);
        var counter = await copy.GetAsync("/load/counter", TestContext.Current.CancellationToken);

        Assert.Equal(backup.Revision, revision);
        Assert.True(acknowledged.ContainsKey(revision), $"revision {revision} was never acknowledged to a writer");
        Assert.True(revision < finalRevision, "the writers went on after the backup");
        Assert.Equal(Writers * CommitsPerWriter, finalRevision);
        Assert.Equal(revision, Number(counter!.Value));
        Assert.Equal("ok", await copy.CheckIntegrityAsync(TestContext.Current.CancellationToken));
        for (var w = 0; w < Writers; w++)
        {
            // The writer's last commit at or before the revision, which both keys of its pair must show.
            var expected = acknowledged.Where(a => a.Value == w && a.Key <= revision).Select(a => a.Key).DefaultIfEmpty(0).Max();
            var a = await copy.GetAsync($"/load/{w}/a", TestContext.Current.CancellationToken);
            var b = await copy.GetAsync($"/load/{w}/b", TestContext.Current.CancellationToken);
            Assert.Equal(expected, a is null ? 0 : Number(a.Value));
            Assert.Equal(expected, b is null ? 0 : Number(b.Value));
            Assert.Equal(expected, a?.ModRevision ?? 0);
        }
    }

    [Fact]
    public async Task Backup_IsAStoreFileInWalMode_WrittenWhole_WithNothingBesideIt()
    {
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = Source }))
        {
            await store.TxnAsync([], [new WriteOp.Put("/k", [0, 255, 1])], TestContext.Current.CancellationToken);
        }

        var info = SqliteBackup.Backup(Source, BackupFile, overwrite: false);

        var header = new byte[20];
        await using (var file = File.OpenRead(BackupFile))
        {
            await file.ReadExactlyAsync(header, TestContext.Current.CancellationToken);
        }

        Assert.Equal((byte)2, header[18]);
        Assert.Equal((byte)2, header[19]);
        Assert.Equal([Path.GetFileName(BackupFile), "source"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(new SqliteStoreInfo(1, 0, 1), info);
        var served = Path.Combine(_root, "served");
        Directory.CreateDirectory(served);
        File.Copy(BackupFile, Path.Combine(served, "meta.db"));
        await using var opened = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = served });
        Assert.Equal([0, 255, 1], (await opened.GetAsync("/k", TestContext.Current.CancellationToken))!.Value);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ABackupAndARestore_LeaveNoDescriptorOpen_OnTheDirectoriesTheySynced()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/fd");
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = Source }))
        {
            await store.TxnAsync([], [new WriteOp.Put("/k", [1])], TestContext.Current.CancellationToken);
        }

        var backups = Path.Combine(_root, "backups");
        Directory.CreateDirectory(backups);
        var file = Path.Combine(backups, "backup.db");
        var restored = Path.Combine(_root, "restored");

        SqliteBackup.Backup(Source, file, overwrite: false);
        SqliteBackup.Restore(file, restored, force: false);

        Assert.True(File.Exists(Path.Combine(restored, StoreFile.FileName)), "the restore put no store into place");
        Assert.Empty(SqliteStoreTests.OpenFilesBelow(_root));
    }

    [Fact]
    public async Task Backup_RefusesAnExistingFile_UnlessForced_AndAMissingStore()
    {
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = Source }))
        {
            await store.TxnAsync([], [new WriteOp.Put("/k", [1])], TestContext.Current.CancellationToken);
        }

        await File.WriteAllTextAsync(BackupFile, "older", TestContext.Current.CancellationToken);

        var exists = Assert.Throws<MaintenanceRefusedException>(() => SqliteBackup.Backup(Source, BackupFile, overwrite: false));
        var missing = Assert.Throws<MaintenanceRefusedException>(() => SqliteBackup.Backup(Path.Combine(_root, "nothing"), BackupFile, overwrite: true));
        var replaced = SqliteBackup.Backup(Source, BackupFile, overwrite: true);

        Assert.Contains("--force", exists.Message, StringComparison.Ordinal);
        Assert.Contains("no store", missing.Message, StringComparison.Ordinal);
        Assert.Equal(1, replaced.Keys);
    }

    /// <summary>Commits <see cref="CommitsPerWriter"/> transactions, each moving the shared counter on by one (a compare on
    /// its mod revision) and setting the writer's two keys to the revision the transaction will get: only these
    /// transactions write, so that revision is the counter's new value.</summary>
    private static async Task WriteAsync(SqliteMetaStore store, int writer, ConcurrentDictionary<long, int> acknowledged, TaskCompletionSource halfway)
    {
        var committed = 0;

        // Bounded: a lost compare means another writer committed, so at most Writers × CommitsPerWriter attempts fail.
        for (var attempt = 0; committed < CommitsPerWriter && attempt < Writers * CommitsPerWriter * 2; attempt++)
        {
            var counter = await store.GetAsync("/load/counter", TestContext.Current.CancellationToken);
            var next = (counter is null ? 0 : Number(counter.Value)) + 1;
            var value = Encoding.UTF8.GetBytes(next.ToString(CultureInfo.InvariantCulture));
            var result = await store.TxnAsync(
                [new Compare("/load/counter", counter?.ModRevision ?? 0)],
                [new WriteOp.Put("/load/counter", value), new WriteOp.Put($"/load/{writer}/a", value), new WriteOp.Put($"/load/{writer}/b", value)],
                TestContext.Current.CancellationToken);
            if (!result.Succeeded)
            {
                continue;
            }

            Assert.Equal(next, result.Revision);
            acknowledged[result.Revision] = writer;
            committed++;
            if (acknowledged.Count >= Writers * CommitsPerWriter / 3)
            {
                halfway.TrySetResult();
            }
        }

        Assert.Equal(CommitsPerWriter, committed);
    }

    private static long Number(byte[] value) => long.Parse(Encoding.UTF8.GetString(value), CultureInfo.InvariantCulture);
}