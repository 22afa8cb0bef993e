using MetaService.Core.History;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>A read of history that ends within one page of the store reads the store once: a last page that says there is
/// no more is not followed by another, empty, read (one entry by its revision, the trail, the retention pass).</summary>
public sealed class HistoryReadCountTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;
    private static readonly DateTimeOffset Start = HistoryTestKit.Start;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneEntry_ThatIsNotThere_AmongFewerKeysThanAPage_IsLookedForInOneRead()
    {
        await using var temp = new TempStore();
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "fn", 3, Start);
        var store = new RecordingStore(temp.Store);

        var entry = await new HistoryReader(store).OneAsync(Alice, "fn", revisions[^1] + 1, Cancel);

        Assert.Null(entry.Value);
        Assert.Equal(1, store.Ranges);
    }

    [Fact]
    public async Task TheTrail_ShorterThanAPage_IsReadInOneRead()
    {
        await using var temp = new TempStore();
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "fn", 3, Start);
        var store = new RecordingStore(temp.Store);

        var page = (await new HistoryReader(store).TrailAsync(Alice, new TrailQuery(null, null, null, null, 10, null), Cancel)).Value!;

        Assert.Equal(revisions.AsEnumerable().Reverse(), page.Entries.Select(e => e.Revision));
        Assert.Null(page.Continue);
        Assert.Equal(1, store.Ranges);
    }

    [Fact]
    public async Task ARetentionPass_OverFewerKeysThanABatch_ReadsTheStoreOnce()
    {
        await using var temp = new TempStore();
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "fn", 3, Start);
        var store = new RecordingStore(temp.Store);

        var pruned = await new HistoryPruning(store, new HistoryOptions { MaxEntriesPerFunction = 1 }).PruneAsync(Start, Cancel);

        Assert.Equal(2, pruned);
        Assert.Equal(1, store.Ranges);
    }
}