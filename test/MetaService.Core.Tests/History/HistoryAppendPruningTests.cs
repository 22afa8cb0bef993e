using MetaService.Core.History;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>Retention on a store with an append log: each function keeps its newest entries up to the limit and none older
/// than the age limit, in the function's pages, its entry reads and the tenant's trail alike; pruning makes no revision.</summary>
public sealed class HistoryAppendPruningTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;
    private static readonly DateTimeOffset Start = HistoryTestKit.Start;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachFunction_KeepsItsNewestEntries_AndLosesTheRestEverywhere()
    {
        await using var temp = new TempStore();
        var a = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 4, Start);
        var b = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "b", 2, Start);
        var revision = await temp.Store.GetRevisionAsync(Cancel);

        var pruned = await new HistoryPruning(temp.Store, new HistoryOptions { MaxEntriesPerFunction = 2 }).PruneAsync(Start, Cancel);

        Assert.Equal(2, pruned);
        Assert.Equal([a[3], a[2]], await RevisionsAsync(temp.Store, "a"));
        Assert.Equal([b[1], b[0]], await RevisionsAsync(temp.Store, "b"));
        var reader = new HistoryReader(temp.Store);
        Assert.Equal([b[1], b[0], a[3], a[2]], (await reader.TrailAsync(Alice, new TrailQuery(null, null, null, null, 10, null), Cancel)).Value!.Entries.Select(e => e.Revision));
        Assert.Null((await reader.OneAsync(Alice, "a", a[0], Cancel)).Value);
        Assert.NotNull((await reader.OneAsync(Alice, "a", a[2], Cancel)).Value!.Snapshot);
        Assert.Equal(revision, await temp.Store.GetRevisionAsync(Cancel));
    }

    [Fact]
    public async Task EntriesOlderThanTheAgeLimit_ArePruned_AndOneExactlyAtItIsKept()
    {
        await using var temp = new TempStore();
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 3, Start);

        var pruned = await new HistoryPruning(temp.Store, new HistoryOptions { MaxAgeDays = 1 }).PruneAsync(Start.AddDays(1).AddSeconds(1), Cancel);

        Assert.Equal(1, pruned);
        Assert.Equal([revisions[2], revisions[1]], await RevisionsAsync(temp.Store, "a"));
    }

    [Fact]
    public async Task ManyEntries_ArePrunedInBatches_AndTheNewestStay()
    {
        await using var temp = new TempStore();
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 60, Start);

        var pruned = await new HistoryPruning(temp.Store, new HistoryOptions { MaxEntriesPerFunction = 5, PruneBatch = 7 }).PruneAsync(Start, Cancel);

        Assert.Equal(55, pruned);
        Assert.Equal(revisions.TakeLast(5).Reverse(), await RevisionsAsync(temp.Store, "a"));
    }

    [Fact]
    public async Task ASecondPass_PrunesNothing()
    {
        await using var temp = new TempStore();
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 4, Start);
        var pruning = new HistoryPruning(temp.Store, new HistoryOptions { MaxEntriesPerFunction = 2 });
        await pruning.PruneAsync(Start, Cancel);

        Assert.Equal(0, await pruning.PruneAsync(Start, Cancel));
        Assert.Equal(2, (await RevisionsAsync(temp.Store, "a")).Count);
    }

    [Fact]
    public async Task BetweenPasses_TheAppendLogIsTrimmed_OnceItGrewByTheSetting_ForTheFunctionsWrittenSince()
    {
        await using var temp = new TempStore();
        var pruning = new HistoryPruning(temp.Store, new HistoryOptions { MaxEntriesPerFunction = 2, PruneAfterAppends = 5 });
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 4, Start);
        Assert.Equal(0, await pruning.PruneGrownAsync(Start, Cancel));
        Assert.Equal(4, (await RevisionsAsync(temp.Store, "a")).Count);

        // Five appended, and nothing trimmed yet: every function is read.
        var b = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "b", 1, Start);
        Assert.Equal(2, await pruning.PruneGrownAsync(Start, Cancel));
        Assert.Equal(2, (await RevisionsAsync(temp.Store, "a")).Count);

        // Four more since: not yet; the fifth: b is trimmed to its newest two.
        b.AddRange(await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "b", 4, Start));
        Assert.Equal(0, await pruning.PruneGrownAsync(Start, Cancel));
        b.AddRange(await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "b", 1, Start));
        Assert.Equal(4, await pruning.PruneGrownAsync(Start, Cancel));
        Assert.Equal([b[^1], b[^2]], await RevisionsAsync(temp.Store, "b"));
        Assert.Equal(0, await pruning.PruneGrownAsync(Start, Cancel));
    }

    [Fact]
    public async Task BetweenPasses_NothingIsTrimmed_WhenTheSettingIsZero_OrTheStoreHasNoAppendLog()
    {
        await using var temp = new TempStore();
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 6, Start);
        var options = new HistoryOptions { MaxEntriesPerFunction = 1, PruneAfterAppends = 1 };
        await using var keyed = new WithoutAppendLog(temp.Store, ownsInner: false);

        Assert.Equal(0, await new HistoryPruning(temp.Store, new HistoryOptions { MaxEntriesPerFunction = 1, PruneAfterAppends = 0 }).PruneGrownAsync(Start, Cancel));
        Assert.Equal(0, await new HistoryPruning(keyed, options).PruneGrownAsync(Start, Cancel));
        Assert.Equal(6, (await RevisionsAsync(temp.Store, "a")).Count);
        Assert.Equal(5, await new HistoryPruning(temp.Store, options).PruneGrownAsync(Start, Cancel));
    }

    [Fact]
    public async Task AFullPass_CountsAsATrim_SoTheNextGrowthIsMeasuredFromIt()
    {
        await using var temp = new TempStore();
        var pruning = new HistoryPruning(temp.Store, new HistoryOptions { MaxEntriesPerFunction = 1, PruneAfterAppends = 3 });
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 4, Start);
        Assert.Equal(3, await pruning.PruneAsync(Start, Cancel));

        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 2, Start);
        Assert.Equal(0, await pruning.PruneGrownAsync(Start, Cancel));
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 1, Start);
        Assert.Equal(3, await pruning.PruneGrownAsync(Start, Cancel));
    }

    private static async Task<List<long>> RevisionsAsync(IMetaStore store, string name) =>
        [.. (await new HistoryReader(store).FunctionAsync(Alice, name, 0, null, Cancel)).Value!.Entries.Select(e => e.Revision)];
}