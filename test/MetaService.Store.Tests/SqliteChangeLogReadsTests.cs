using MetaService.Core.Storage;
using MetaService.Sqlite;
using MetaService.Sqlite.Backup;

using Microsoft.Data.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The change-log reads of watches, asked directly: the log's own compaction check (the store checks a watch's
/// position before it reads the log, so the log's check is what refuses a position a compaction passed between the
/// two), and a page that would end inside a revision.</summary>
public sealed class SqliteChangeLogReadsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-change-log-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AReadFromTheCompactedRevision_IsRefused_AndFromTheNextOne_GivesItsChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory, HistoryRetention = 10 }))
        {
            for (var i = 0; i < 1100; i++)
            {
                await store.TxnAsync([], [new WriteOp.Put("/c", [1])], ct);
            }
        }

        // Compaction ran when the revision reached 1024, keeping the last 10: 1014 is the compacted revision.
        const long Compacted = 1024 - 10;
        var path = Path.Combine(_directory, StoreFile.FileName);
        using var reads = new StoreReads(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString(), path);
        var log = new ChangeLogReads(reads);

        var refused = await Assert.ThrowsAsync<RevisionCompactedException>(() => log.ReadAsync(Keys.Encode("/"), null, Compacted, ct));
        var (events, snapshot, complete) = await log.ReadAsync(Keys.Encode("/"), null, Compacted + 1, ct);

        Assert.Equal((Compacted, Compacted), (refused.Requested, refused.CompactedRevision));
        Assert.Equal(Enumerable.Range((int)Compacted + 1, 1100 - (int)Compacted).Select(r => (long)r), events.Select(e => e.Kv.ModRevision));
        Assert.Equal((1100L, true), (snapshot, complete));
    }

    [Fact]
    public async Task APage_ThatWouldEndInsideARevision_LeavesThatRevisionToTheNextRead()
    {
        var ct = TestContext.Current.CancellationToken;
        long first;
        long second;
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }))
        {
            // A page holds 10 000 changes: the first revision's 9 999 and one of the second's two.
            first = (await store.TxnAsync([], [.. Enumerable.Range(0, ChangeLogReads.Page - 1).Select(i => new WriteOp.Put($"/p/{i:D5}", [1]))], ct)).Revision;
            second = (await store.TxnAsync([], [new WriteOp.Put("/q/a", [2]), new WriteOp.Put("/q/b", [2])], ct)).Revision;
        }

        var path = Path.Combine(_directory, StoreFile.FileName);
        using var reads = new StoreReads(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString(), path);
        var log = new ChangeLogReads(reads);

        var page = await log.ReadAsync(Keys.Encode("/"), null, first, ct);
        var next = await log.ReadAsync(Keys.Encode("/"), null, second, ct);

        Assert.Equal((ChangeLogReads.Page - 1, false), (page.Events.Count, page.Complete));
        Assert.All(page.Events, e => Assert.Equal(first, e.Kv.ModRevision));
        Assert.Equal(["/q/a", "/q/b"], next.Events.Select(e => e.Kv.Key));
        Assert.True(next.Complete);
    }
}