using MetaService.Core.History;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>Retention: each function keeps its newest entries up to the limit and none older than the age limit; a pruned
/// entry goes with its trail key and its snapshot (at either key), and the count of entries pruned is returned.</summary>
public sealed class HistoryPruningTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;
    private static readonly DateTimeOffset Start = HistoryTestKit.Start;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachFunction_KeepsItsNewestEntries_AndLosesTheRestWithTheirTrailAndSnapshots()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var a = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 4, Start);
        var b = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "b", 2, Start);

        var pruned = await new HistoryPruning(temp.Store, new HistoryOptions { MaxEntriesPerFunction = 2 }).PruneAsync(Start, Cancel);

        Assert.Equal(2, pruned);
        Assert.Equal([a[3], a[2]], await RevisionsAsync(temp.Store, "a"));
        Assert.Equal([b[1], b[0]], await RevisionsAsync(temp.Store, "b"));
        Assert.Equal(4, (await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.TrailPrefix(Alice), Cancel)).Count);
        Assert.Equal(4, (await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.Root + "snapshots/", Cancel)).Count);
    }

    [Fact]
    public async Task EntriesOlderThanTheAgeLimit_ArePruned_AndOneExactlyAtItIsKept()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 3, Start);

        var pruned = await new HistoryPruning(temp.Store, new HistoryOptions { MaxAgeDays = 1 }).PruneAsync(Start.AddDays(1).AddSeconds(1), Cancel);

        Assert.Equal(1, pruned);
        Assert.Equal([revisions[2], revisions[1]], await RevisionsAsync(temp.Store, "a"));
        Assert.Equal(2, (await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.TrailPrefix(Alice), Cancel)).Count);
    }

    [Fact]
    public async Task NothingPastEitherLimit_PrunesNothing_AndWritesNothing()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 3, Start);
        var revision = await temp.Store.GetRevisionAsync(Cancel);

        var pruned = await new HistoryPruning(temp.Store, new HistoryOptions { MaxEntriesPerFunction = 3 }).PruneAsync(Start, Cancel);

        Assert.Equal(0, pruned);
        Assert.Equal(revision, await temp.Store.GetRevisionAsync(Cancel));
    }

    [Fact]
    public async Task ManyEntries_ArePrunedInSmallTransactions_AcrossPagesOfKeys()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var a = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 60, Start);
        var b = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "b", 3, Start);

        var pruned = await new HistoryPruning(temp.Store, new HistoryOptions { MaxEntriesPerFunction = 5, PruneBatch = 7 }).PruneAsync(Start, Cancel);

        Assert.Equal(55, pruned);
        Assert.Equal(a.TakeLast(5).Reverse(), await RevisionsAsync(temp.Store, "a"));
        Assert.Equal(b.AsEnumerable().Reverse(), await RevisionsAsync(temp.Store, "b"));
        Assert.Equal(8, (await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.TrailPrefix(Alice), Cancel)).Count);
        Assert.Equal(8, (await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.Root + "snapshots/", Cancel)).Count);
    }

    [Fact]
    public async Task OneTransaction_DeletesAtMost24Entries_SoEtcdTakesIt()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var a = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 50, Start);
        var before = await temp.Store.GetRevisionAsync(Cancel);

        var pruned = await new HistoryPruning(temp.Store, new HistoryOptions { MaxEntriesPerFunction = 1 }).PruneAsync(Start, Cancel);

        Assert.Equal(49, pruned);
        Assert.Equal([a[^1]], await RevisionsAsync(temp.Store, "a"));
        Assert.Equal(3, await temp.Store.GetRevisionAsync(Cancel) - before);
    }

    [Fact]
    public async Task NoTransaction_HasMoreThanEtcds128Operations_AndEachDeletesOnlyItsOwnEntries()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 75, Start);
        var store = new RecordingStore(temp.Store);

        var pruned = await new HistoryPruning(store, new HistoryOptions { MaxEntriesPerFunction = 1 }).PruneAsync(Start, Cancel);

        Assert.Equal(74, pruned);
        Assert.Equal([24 * 5, 24 * 5, 24 * 5, 2 * 5], store.TransactionSizes);
    }

    [Fact]
    public async Task ASnapshotAtTheEarlierKey_IsPrunedWithItsEntry()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 2, Start);
        var oldest = (await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.FunctionPrefix(Alice, "a"), Cancel))[^1];
        var snapshot = (await temp.Store.GetAsync(HistoryKeys.SnapshotKeyOf(oldest), Cancel))!;
        await temp.Store.TxnAsync([], [new WriteOp.Delete(snapshot.Key), new WriteOp.Put(HistoryKeys.EarlierSnapshotKeyOf(oldest), snapshot.Value)], Cancel);

        var pruned = await new HistoryPruning(temp.Store, new HistoryOptions { MaxEntriesPerFunction = 1 }).PruneAsync(Start, Cancel);

        Assert.Equal(1, pruned);
        Assert.Null(await temp.Store.GetAsync(HistoryKeys.EarlierSnapshotKeyOf(oldest), Cancel));
        Assert.Single(await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.Root + "snapshots/", Cancel));
    }

    [Fact]
    public async Task AKeyThatIsNotAnEntrys_IsPruned_AndOtherFunctionsStay()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 1, Start);
        var stray = HistoryKeys.FunctionPrefix(Alice, "a") + "zzz";
        await temp.Store.TxnAsync([], [new WriteOp.Put(stray, "{}"u8.ToArray())], Cancel);

        var pruned = await new HistoryPruning(temp.Store, new HistoryOptions()).PruneAsync(Start, Cancel);

        Assert.Equal(1, pruned);
        Assert.Null(await temp.Store.GetAsync(stray, Cancel));
        Assert.Equal(revisions, await RevisionsAsync(temp.Store, "a"));
        Assert.Single(await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.TrailPrefix(Alice), Cancel));
    }

    [Fact]
    public async Task AnEmptyHistory_PrunesNothing()
    {
        await using var temp = new TempStore(withoutAppendLog: true);

        Assert.Equal(0, await new HistoryPruning(temp.Store, new HistoryOptions()).PruneAsync(Start, Cancel));
        Assert.Equal(0, await temp.Store.GetRevisionAsync(Cancel));
    }

    private static async Task<List<long>> RevisionsAsync(IMetaStore store, string name) =>
        [.. (await store.RangeKeysAsync(HistoryKeys.FunctionPrefix(Alice, name), 0, null, Cancel)).Items.Select(kv => kv.ModRevision)];
}