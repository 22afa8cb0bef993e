using MetaService.Core.History;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>A read of history that ends within one page of the store reads the store once: a last page that says there is
/// no more is not followed by another, empty, read (one entry by its revision, the trail, the retention pass). The
/// entries are kept at keys, as on etcd (<see cref="WithoutAppendLog"/>), where these reads are range reads.</summary>
public sealed class HistoryReadCountTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;
    private static readonly DateTimeOffset Start = HistoryTestKit.Start;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneEntry_ThatIsNotThere_AmongFewerKeysThanAPage_IsLookedForInOneRead()
    {
        await using var temp = new TempStore();
        await using var keyed = new WithoutAppendLog(temp.Store, ownsInner: false);
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(keyed, "fn", 3, Start);
        var store = new RecordingStore(keyed);

        var entry = await new HistoryReader(store).OneAsync(Alice, "fn", revisions[^1] + 1, Cancel);

        Assert.Null(entry.Value);
        Assert.Equal(1, store.Ranges);
    }

    [Fact]
    public async Task TheTrail_ShorterThanAPage_IsReadInOneRead()
    {
        await using var temp = new TempStore();
        await using var keyed = new WithoutAppendLog(temp.Store, ownsInner: false);
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(keyed, "fn", 3, Start);
        var store = new RecordingStore(keyed);

        var page = (await new HistoryReader(store).TrailAsync(Alice, new TrailQuery(null, null, null, null, 10, null), Cancel)).Value!;

        Assert.Equal(revisions.AsEnumerable().Reverse(), page.Entries.Select(e => e.Revision));
        Assert.Null(page.Continue);
        Assert.Equal(1, store.Ranges);
    }

    [Fact]
    public async Task ARetentionPass_OverFewerKeysThanABatch_ReadsTheStoreOnce()
    {
        await using var temp = new TempStore();
        await using var keyed = new WithoutAppendLog(temp.Store, ownsInner: false);
        await HistoryReaderTests.WriteUpdatesAsync(keyed, "fn", 3, Start);
        var store = new RecordingStore(keyed);

        var pruned = await new HistoryPruning(store, new HistoryOptions { MaxEntriesPerFunction = 1 }).PruneAsync(Start, Cancel);

        Assert.Equal(2, pruned);
        Assert.Equal(1, store.Ranges);
    }
}