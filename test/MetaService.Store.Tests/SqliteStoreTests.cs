using MetaService.Core.Storage;
using MetaService.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

public sealed class SqliteStoreTests : StoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-store-" + Guid.NewGuid().ToString("N"));

    protected override Task<IMetaStore> OpenAsync() => Task.FromResult<IMetaStore>(SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Reopen_KeepsKeysAndRevision()
    {
        var put = await PutAsync("/durable", "yes");
        await Store.DisposeAsync();

        await using var reopened = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        var kv = await reopened.GetAsync("/durable", TestContext.Current.CancellationToken);

        Assert.Equal("yes", Text(kv!.Value));
        Assert.Equal(put.Revision, await reopened.GetRevisionAsync(TestContext.Current.CancellationToken));
        Assert.Equal("ok", await reopened.CheckIntegrityAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ANewStore_IsReadableByItsOwnerOnly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");

        await PutAsync("/private", "secret");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        foreach (var file in Directory.GetFiles(_directory))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Contains(Path.Combine(_directory, "meta.db-wal"), Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task KeysOnlyRange_ReadsTheKeyTableAlone_NotTheValues()
    {
        await PutAsync("/covered/a", "1");
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory, "meta.db")};Mode=ReadOnly");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT key, NULL, create_rev, mod_rev, version FROM kv WHERE kv.key >= $from AND kv.key < $end ORDER BY kv.key LIMIT 1001";
        command.Parameters.AddWithValue("$from", "/covered/"u8.ToArray());
        command.Parameters.AddWithValue("$end", "/covered0"u8.ToArray());

        var plan = await PlanAsync(command);

        Assert.Contains("SEARCH kv USING PRIMARY KEY", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("log", plan, StringComparison.Ordinal);
        // And the store answers without them (a keys-only range may leave values empty; this one does).
        Assert.Empty(Assert.Single((await Store.RangeKeysAsync("/covered/", cancellationToken: TestContext.Current.CancellationToken)).Items).Value);
    }

    private static async Task<string> PlanAsync(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join('\n', lines);
    }

    [Fact]
    public async Task FailedTransaction_FailsItsCaller_AndTheWriterGoesOn()
    {
        var before = await Store.GetRevisionAsync(TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.TxnAsync([], [new WriteOp.Put("/ok", Bytes("1")), new UnknownWrite("/x")], TestContext.Current.CancellationToken));
        var after = await PutAsync("/next", "2");

        Assert.True(after.Succeeded);
        Assert.Equal(before + 1, after.Revision);
        Assert.Null(await Store.GetAsync("/ok", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ACommitSqliteRefuses_FailsItsCallerAsUnavailable_NamingTheFile_AndTheWriterGoesOn()
    {
        var token = TestContext.Current.CancellationToken;
        var before = await Store.GetRevisionAsync(token);
        // A trigger in the file's schema makes SQLite refuse the next insert into the change log, as a full or failing
        // disk would refuse the commit: the writer's statements see the schema change and run it.
        StoreFileQuery.Execute(Path.Combine(_directory, "meta.db"), "CREATE TRIGGER refuse BEFORE INSERT ON log BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");

        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => PutAsync("/refused", "1"));

        Assert.StartsWith($"the embedded store {Path.Combine(_directory, "meta.db")} failed to commit: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("refused by the test", refused.Message, StringComparison.Ordinal);
        Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(refused.InnerException);
        Assert.Equal(before, await Store.GetRevisionAsync(token));
        Assert.Null(await Store.GetAsync("/refused", token));

        StoreFileQuery.Execute(Path.Combine(_directory, "meta.db"), "DROP TRIGGER refuse");
        var after = await PutAsync("/next", "2");

        Assert.Equal(before + 1, after.Revision);
        Assert.Null(await Store.GetAsync("/refused", token));
    }

    [Fact]
    public async Task AGetWhoseCallerHasStoppedWaiting_ReadsNothing()
    {
        await PutAsync("/k", "v");
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetAsync("/k", stopped.Token));
    }

    [Fact]
    public async Task Watch_AlreadyFollowing_GoesOnFromTheWindow_ThoughCompactionPassedItsPositionMeanwhile()
    {
        var token = TestContext.Current.CancellationToken;
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory + "-following", HistoryRetention = 1 }))
        {
            var first = await store.TxnAsync([], [new WriteOp.Put("/w/a", Bytes("1"))], token);
            await using var watch = store.WatchAsync("/w/", first.Revision, token).GetAsyncEnumerator(token);
            Assert.True(await watch.MoveNextAsync());

            // The watch is not run meanwhile: other keys' writes take the store past a compaction (at revision 1024).
            for (var i = 0; i < 1100; i++)
            {
                await store.TxnAsync([], [new WriteOp.Put("/other", Bytes("v"))], token);
            }

            Assert.False(await store.KeepsRevisionAsync(first.Revision + 1, token));
            var next = await store.TxnAsync([], [new WriteOp.Put("/w/b", Bytes("2"))], token);

            Assert.True(await watch.MoveNextAsync());
            Assert.Equal(("/w/b", next.Revision), (watch.Current.Kv.Key, watch.Current.Kv.ModRevision));
        }

        Directory.Delete(_directory + "-following", recursive: true);
    }

    [Fact]
    public async Task Watch_FromCompactedRevision_Throws()
    {
        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory + "-compact", HistoryRetention = 10 });
        for (var i = 0; i < 1100; i++)
        {
            await store.TxnAsync([], [new WriteOp.Put("/c", Bytes("v"))], TestContext.Current.CancellationToken);
        }

        // The compacted revision (1024 - 10: compaction ran when the revision reached 1024) is the first one kept for
        // reads; its changes are gone, so a watch must start after it.
        var compacted = 1024 - 10;
        Assert.True(await store.KeepsRevisionAsync(compacted, TestContext.Current.CancellationToken));
        Assert.False(await store.KeepsRevisionAsync(compacted - 1, TestContext.Current.CancellationToken));
        foreach (var from in new long[] { 1, compacted })
        {
            var refused = await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
            {
                await foreach (var change in store.WatchAsync("/c", from, TestContext.Current.CancellationToken))
                {
                    Assert.Fail($"no event should come from a compacted revision, got {change.Kv.ModRevision}");
                }
            });
            Assert.Equal((from, compacted), (refused.Requested, refused.CompactedRevision));
        }

        await foreach (var change in store.WatchAsync("/c", compacted + 1, TestContext.Current.CancellationToken))
        {
            Assert.Equal(compacted + 1, change.Kv.ModRevision);
            break;
        }

        Directory.Delete(_directory + "-compact", recursive: true);
    }

    [Fact]
    public async Task Disposing_CommitsEveryTransactionQueued_BeforeItCloses()
    {
        var writes = Enumerable.Range(0, 500).Select(i => Store.TxnAsync([], [new WriteOp.Put($"/q/{i:D3}", Bytes("v"))], TestContext.Current.CancellationToken)).ToList();

        await Store.DisposeAsync();

        Assert.All(await Task.WhenAll(writes), result => Assert.True(result.Succeeded));
        await using var reopened = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        Assert.Equal(500, (await reopened.RangeAsync("/q/", cancellationToken: TestContext.Current.CancellationToken)).Items.Count);
    }

    [Fact]
    public void AStoreWithAFeedOfNoBytes_IsNotOpened()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory + "-nofeed", FeedCapacityBytes = 0 }));
        Assert.False(File.Exists(Path.Combine(_directory + "-nofeed", "meta.db")));
    }

    [Fact]
    public async Task TheCompactedRevision_OutlivesAReopen()
    {
        var directory = _directory + "-reopen";
        var options = new SqliteStoreOptions { DataDirectory = directory, HistoryRetention = 10 };
        await using (var store = SqliteMetaStore.Open(options))
        {
            for (var i = 0; i < 1030; i++)
            {
                await store.TxnAsync([], [new WriteOp.Put("/c", Bytes("v"))], TestContext.Current.CancellationToken);
            }
        }

        await using (var reopened = SqliteMetaStore.Open(options))
        {
            Assert.False(await reopened.KeepsRevisionAsync(1024 - 10 - 1, TestContext.Current.CancellationToken));
            Assert.True(await reopened.KeepsRevisionAsync(1024 - 10, TestContext.Current.CancellationToken));
            await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
            {
                await foreach (var change in reopened.WatchAsync("/c", 1, TestContext.Current.CancellationToken))
                {
                    Assert.Fail($"no event should come from a compacted revision, got {change.Kv.ModRevision}");
                }
            });
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task DeletingTheEmptyPrefix_DeletesEveryKey()
    {
        await PutAsync("/a", "1");
        await PutAsync("/b/c", "2");
        await PutAsync("\uffff", "3");

        await Store.TxnAsync([], [new WriteOp.DeletePrefix("")], TestContext.Current.CancellationToken);

        Assert.Empty((await Store.RangeAsync("", cancellationToken: TestContext.Current.CancellationToken)).Items);
    }

    [Fact]
    public async Task AfterACompaction_EarlierRevisionsAreNotKept_NorReplacedValues_ButCurrentValuesStillRead()
    {
        var token = TestContext.Current.CancellationToken;
        var directory = _directory + "-kept";
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = directory, HistoryRetention = 10 }))
        {
            var first = await store.TxnAsync([], [new WriteOp.Put("/kc", Bytes("first"))], token);
            var second = await store.TxnAsync([], [new WriteOp.Put("/kc", Bytes("second"))], token);
            // The embedded store compacts when its revision crosses a multiple of 1024, keeping the last 10 revisions.
            for (var i = 0; i < 1099; i++)
            {
                await store.TxnAsync([], [new WriteOp.Put("/filler", Bytes("x"))], token);
            }

            // A new store: the first put is revision 1, and the batch that reached revision 1024 compacted to 1024 - 10.
            const long compacted = 1024 - 10;
            Assert.Equal(1101, await store.GetRevisionAsync(token));
            Assert.False(await store.KeepsRevisionAsync(first.Revision, token));
            Assert.Null(await store.GetAtAsync("/kc", first.Revision, token));
            Assert.False(await store.KeepsRevisionAsync(compacted - 1, token));
            Assert.True(await store.KeepsRevisionAsync(compacted, token));

            // Unlike etcd, the store keeps the change-log row of every key's current value, so a read at the revision
            // of that put still answers it.
            Assert.Equal("second", Text((await store.GetAtAsync("/kc", second.Revision, token))!.Value));
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task ADisposedStore_RefusesEveryCall()
    {
        var token = TestContext.Current.CancellationToken;
        var put = await PutAsync("/k", "v");
        await Store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.GetAsync("/k", token));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.GetAtAsync("/k", put.Revision, token));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.RangeAsync("/", cancellationToken: token));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.RangeKeysAsync("/", cancellationToken: token));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.TxnAsync([], [new WriteOp.Put("/k", Bytes("w"))], token));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (var change in Store.WatchAsync("/", 1, token))
            {
                Assert.Fail($"a disposed store watches nothing, got {change.Kv.Key}");
            }
        });
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ADisposedStore_LeavesNoConnectionToItsFileOpen()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/fd");
        var token = TestContext.Current.CancellationToken;
        await PutAsync("/k", "v");
        // Every kind of read, several at once, so that more than one pooled reader connection exists.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(
            async () =>
            {
                await Store.GetAsync("/k", token);
                await Store.RangeAsync("/", cancellationToken: token);
            },
            token)));
        Assert.NotEmpty(OpenFilesBelow(_directory));

        await Store.DisposeAsync();

        Assert.Empty(OpenFilesBelow(_directory));
    }

    /// <summary>The files below <paramref name="directory"/> this process holds open.</summary>
    internal static List<string> OpenFilesBelow(string directory)
    {
        var open = new List<string>();
        foreach (var fd in new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos())
        {
            try
            {
                if (fd.LinkTarget is { } target && target.StartsWith(directory + "/", StringComparison.Ordinal))
                {
                    open.Add(target);
                }
            }
            catch (IOException)
            {
                // closed while listed
            }
        }

        return open;
    }

    private sealed record UnknownWrite(string Key) : WriteOp(Key);
}