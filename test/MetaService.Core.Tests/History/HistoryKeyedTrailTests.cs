using MetaService.Core.History;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>The tenant's trail where entries are kept at keys, as on etcd (<see cref="WithoutAppendLog"/>): its pages
/// end with a token exactly when entries are left, and <c>until</c> starts it at that time.</summary>
public sealed class HistoryKeyedTrailTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;
    private static readonly DateTimeOffset Start = HistoryTestKit.Start;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APageEndingBeforeTheLastEntry_HasAToken_AndTheLastPageHasNone()
    {
        await using var temp = new TempStore();
        await using var keyed = new WithoutAppendLog(temp.Store, ownsInner: false);
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(keyed, "fn", 4, Start);
        var reader = new HistoryReader(keyed);

        var first = (await reader.TrailAsync(Alice, new TrailQuery(null, null, null, null, 2, null), Cancel)).Value!;
        var second = (await reader.TrailAsync(Alice, new TrailQuery(null, null, null, null, 2, first.Continue), Cancel)).Value!;
        var whole = (await reader.TrailAsync(Alice, new TrailQuery(null, null, null, null, 4, null), Cancel)).Value!;

        Assert.Equal(revisions.AsEnumerable().Reverse(), first.Entries.Concat(second.Entries).Select(e => e.Revision));
        Assert.NotNull(first.Continue);
        Assert.Null(second.Continue);
        Assert.Equal(4, whole.Entries.Count);
        Assert.Null(whole.Continue);
    }

    [Fact]
    public async Task Until_LeavesOutTheEntriesAfterIt()
    {
        await using var temp = new TempStore();
        await using var keyed = new WithoutAppendLog(temp.Store, ownsInner: false);
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(keyed, "fn", 4, Start);

        var page = (await new HistoryReader(keyed).TrailAsync(Alice, new TrailQuery(null, null, null, Start.AddSeconds(1), 10, null), Cancel)).Value!;

        Assert.Equal([revisions[1], revisions[0]], page.Entries.Select(e => e.Revision));
        Assert.Null(page.Continue);
    }

    [Fact]
    public async Task AnEntryWhoseSnapshotIsGone_IsReadWithoutOne()
    {
        await using var temp = new TempStore();
        await using var keyed = new WithoutAppendLog(temp.Store, ownsInner: false);
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(keyed, "fn", 2, Start);
        await keyed.TxnAsync([], [new Core.Storage.WriteOp.DeletePrefix("/metaservice/history/snapshots/")], Cancel);

        var entry = (await new HistoryReader(keyed).OneAsync(Alice, "fn", revisions[1], Cancel)).Value!;

        Assert.Equal(revisions[1], entry.Revision);
        Assert.Null(entry.Snapshot);
    }
}