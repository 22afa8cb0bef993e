using System.Text;

using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Storage;

/// <summary>The store a dry run sees: its transactions check their compares against the real store and what the dry
/// run wrote before, answer as a write would, and leave the real store exactly as it was.</summary>
public sealed class DryRunStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ATransaction_WhoseComparesHold_Succeeds_AndWritesNothing()
    {
        await using var temp = new TempStore();
        var kept = await PutAsync(temp.Store, "/k/a", "one");
        var before = await temp.Store.GetRevisionAsync(None);
        var dry = new DryRunStore(temp.Store);

        var result = await dry.TxnAsync([new Compare("/k/a", kept), Compare.Absent("/k/b")], [Put("/k/a", "two"), Put("/k/b", "new")], None);

        Assert.Equal((true, before, false), (result.Succeeded, result.Revision, result.Changed));
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
        Assert.Equal("one", Text(await temp.Store.GetAsync("/k/a", None)));
        Assert.Null(await temp.Store.GetAsync("/k/b", None));
    }

    [Fact]
    public async Task ATransaction_WithACompareThatFails_IsRefused_AndRemembersNothing()
    {
        await using var temp = new TempStore();
        var kept = await PutAsync(temp.Store, "/k/a", "one");
        var before = await temp.Store.GetRevisionAsync(None);
        var dry = new DryRunStore(temp.Store);

        var stale = await dry.TxnAsync([new Compare("/k/a", kept - 1)], [Put("/k/a", "two")], None);
        var taken = await dry.TxnAsync([Compare.Absent("/k/a"), Compare.Absent("/k/c")], [Put("/k/c", "three")], None);

        Assert.Equal((false, before, false), (stale.Succeeded, stale.Revision, stale.Changed));
        Assert.False(taken.Succeeded);
        Assert.Equal("one", Text(await dry.GetAsync("/k/a", None)));
        Assert.Null(await dry.GetAsync("/k/c", None));
    }

    [Fact]
    public async Task WhatADryRunWrote_IsWhatItsLaterReadsAndComparesSee_AtTheRevisionTheWriteWouldHaveMade()
    {
        await using var temp = new TempStore();
        await PutAsync(temp.Store, "/k/a", "one");
        var before = await temp.Store.GetRevisionAsync(None);
        var dry = new DryRunStore(temp.Store);

        Assert.True((await dry.TxnAsync([Compare.Absent("/k/b")], [Put("/k/b", "new"), new WriteOp.Delete("/k/a")], None)).Succeeded);

        var written = await dry.GetAsync("/k/b", None);
        Assert.NotNull(written);
        Assert.Equal(("new", before + 1, before + 1, 1L), (Text(written), written.ModRevision, written.CreateRevision, written.Version));
        Assert.Null(await dry.GetAsync("/k/a", None));

        // A second create of the same key loses, as it would have after the real write; a compare on the written
        // revision holds.
        Assert.False((await dry.TxnAsync([Compare.Absent("/k/b")], [Put("/k/b", "again")], None)).Succeeded);
        Assert.True((await dry.TxnAsync([new Compare("/k/b", before + 1), Compare.Absent("/k/a")], [Put("/k/b", "again")], None)).Succeeded);
        Assert.Equal("again", Text(await dry.GetAsync("/k/b", None)));

        Assert.Null(await temp.Store.GetAsync("/k/b", None));
        Assert.Equal("one", Text(await temp.Store.GetAsync("/k/a", None)));
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
    }

    [Fact]
    public async Task APrefixDelete_HidesTheStoresKeysAndTheDryRunsOwn_UnderThatPrefixOnly()
    {
        await using var temp = new TempStore();
        await PutAsync(temp.Store, "/p/1/a", "stored");
        await PutAsync(temp.Store, "/p/10/a", "beside");
        var dry = new DryRunStore(temp.Store);
        Assert.True((await dry.TxnAsync([], [Put("/p/1/b", "mine"), Put("/p/10/b", "mine too")], None)).Succeeded);

        Assert.True((await dry.TxnAsync([], [new WriteOp.DeletePrefix("/p/1/")], None)).Succeeded);

        Assert.Null(await dry.GetAsync("/p/1/a", None));
        Assert.Null(await dry.GetAsync("/p/1/b", None));
        Assert.Equal("beside", Text(await dry.GetAsync("/p/10/a", None)));
        Assert.Equal("mine too", Text(await dry.GetAsync("/p/10/b", None)));
        // A compare on a deleted key now wants it absent.
        Assert.True((await dry.TxnAsync([Compare.Absent("/p/1/a")], [], None)).Succeeded);
        Assert.Equal("stored", Text(await temp.Store.GetAsync("/p/1/a", None)));
    }

    [Fact]
    public async Task RangesWatchesAndTheRevision_AreTheStores_AndDisposingLeavesTheStoreOpen()
    {
        await using var temp = new TempStore();
        await PutAsync(temp.Store, "/r/a", "one");
        await PutAsync(temp.Store, "/r/b", "two");
        var dry = new DryRunStore(temp.Store);
        Assert.True((await dry.TxnAsync([], [Put("/r/c", "dry")], None)).Succeeded);

        var range = await dry.RangeAsync("/r/", 1, null, None);
        var keys = await dry.RangeKeysAsync("/r/", 0, "/r/a", None);
        Assert.Equal(["/r/a"], range.Items.Select(i => i.Key));
        Assert.True(range.More);
        Assert.Equal(["/r/b"], keys.Items.Select(i => i.Key));
        Assert.Equal(await temp.Store.GetRevisionAsync(None), await dry.GetRevisionAsync(None));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var watch = dry.WatchAsync("/r/", 1, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("/r/a", watch.Current.Kv.Key);

        await dry.DisposeAsync();
        Assert.Equal("one", Text(await temp.Store.GetAsync("/r/a", None)));
    }

    [Fact]
    public async Task ADryRun_KeepsNoHistoryOfItsOwn_AndCountsEveryRevisionKept()
    {
        await using var temp = new TempStore();
        var at = await PutAsync(temp.Store, "/k/a", "one");
        IMetaStore dry = new DryRunStore(temp.Store);

        Assert.Null(await dry.GetAtAsync("/k/a", at, None));
        Assert.True(await dry.KeepsRevisionAsync(1, None));
    }

    [Fact]
    public void ACompactedRevision_IsNamedWithTheOldestKept()
    {
        var compacted = new RevisionCompactedException(4, 9);

        Assert.Equal((4L, 9L), (compacted.Requested, compacted.CompactedRevision));
        Assert.Equal("revision 4 has been compacted; the oldest kept is 10", compacted.Message);
    }

    private static WriteOp.Put Put(string key, string value) => new WriteOp.Put(key, Encoding.UTF8.GetBytes(value));

    private static async Task<long> PutAsync(IMetaStore store, string key, string value) =>
        (await store.TxnAsync([], [Put(key, value)], None)).Revision;

    private static string? Text(KeyValue? kv) => kv is null ? null : Encoding.UTF8.GetString(kv.Value);
}