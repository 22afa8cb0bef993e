using MetaService.Core.Storage;
using MetaService.Sqlite;
using MetaService.Sqlite.Backup;

using Microsoft.Data.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The pooled connections of point reads: a read that ends after the store's reads were disposed closes its
/// connection instead of putting it back into a pool that nobody empties any more.</summary>
public sealed class SqlitePointReadTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-point-reads-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task APointRead_ThatEndsAfterTheReadsWereDisposed_ClosesItsConnection()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/fd");
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_directory, StoreFile.FileName);
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }))
        {
            await store.TxnAsync([], [new WriteOp.Put("/k", [7])], ct);
        }

        // Not pooled by the provider, so that a connection disposed is a file closed.
        var reads = new StoreReads(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 60 }.ToString(), path);
        Task<KeyValue?> reading;
        using (var holder = StoreFile.TryLockExclusive(path))
        {
            Assert.NotNull(holder);

            // The read opens its connection (past the disposed check) and then waits for the file's lock.
            reading = Task.Run(() => reads.Get("/k"), ct);
            await UntilAsync(() => OpenFiles(path) == 2, "the point read opening its own connection beside the lock's");
            reads.Dispose();
        }

        var read = await reading;

        Assert.Equal([7], read!.Value);
        Assert.Empty(SqliteStoreTests.OpenFilesBelow(_directory));
    }

    /// <summary>How many descriptors of this process are open on <paramref name="path"/>.</summary>
    private static int OpenFiles(string path) => SqliteStoreTests.OpenFilesBelow(Path.GetDirectoryName(path)!).Count(f => f == path);

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 2_000 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), $"{what} did not happen within 2 000 polls of 10 ms");
    }
}