using MetaService.Core.History;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>Reading a function's history: pages newest first that follow their continue token without gaps or repeats,
/// carry no snapshots, and refuse a bad name or token; one entry by its revision, with its snapshot.</summary>
public sealed class HistoryReaderTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pages_FollowTheirToken_NewestFirst_WithoutGapsOrRepeats()
    {
        await using var temp = new TempStore();
        var revisions = await WriteUpdatesAsync(temp.Store, "fn", 5);
        var reader = new HistoryReader(temp.Store);

        var first = (await reader.FunctionAsync(Alice, "fn", 2, null, Cancel)).Value!;
        var second = (await reader.FunctionAsync(Alice, "fn", 2, first.Continue, Cancel)).Value!;
        var third = (await reader.FunctionAsync(Alice, "fn", 2, second.Continue, Cancel)).Value!;

        Assert.Equal(revisions.AsEnumerable().Reverse(), first.Entries.Concat(second.Entries).Concat(third.Entries).Select(e => e.Revision));
        Assert.Single(third.Entries);
        Assert.Null(third.Continue);
        Assert.NotNull(second.Continue);
        Assert.Equal(revisions[^1], first.Revision);
        Assert.All(first.Entries.Concat(third.Entries), e => Assert.Null(e.Snapshot));
    }

    [Fact]
    public async Task APageThatEndsWithTheLastEntry_HasNoToken()
    {
        await using var temp = new TempStore();
        await WriteUpdatesAsync(temp.Store, "fn", 2);

        var page = (await new HistoryReader(temp.Store).FunctionAsync(Alice, "fn", 0, null, Cancel)).Value!;

        Assert.Equal(2, page.Entries.Count);
        Assert.Null(page.Continue);
    }

    [Fact]
    public async Task AFunctionWithoutHistory_HasAnEmptyPage_AndOthersEntriesAreNotIn()
    {
        await using var temp = new TempStore();
        await WriteUpdatesAsync(temp.Store, "other", 1);
        await WriteUpdatesAsync(temp.Store, "fn-2", 1);

        var page = (await new HistoryReader(temp.Store).FunctionAsync(Alice, "fn", 1, null, Cancel)).Value!;

        Assert.Empty(page.Entries);
        Assert.Null(page.Continue);
    }

    [Fact]
    public async Task AFunctionNamedByItsUrn_ReadsTheSameHistory()
    {
        await using var temp = new TempStore();
        var revisions = await WriteUpdatesAsync(temp.Store, "fn", 2);

        var page = (await new HistoryReader(temp.Store).FunctionAsync(Alice, "sn:cn:yrk:alice@shop:function:fn", 10, null, Cancel)).Value!;

        Assert.Equal(revisions.AsEnumerable().Reverse(), page.Entries.Select(e => e.Revision));
    }

    [Fact]
    public async Task ABadNameOrToken_IsRefused()
    {
        await using var temp = new TempStore();
        await WriteUpdatesAsync(temp.Store, "fn", 1);
        var reader = new HistoryReader(temp.Store);

        var badName = (await reader.FunctionAsync(Alice, "bad name!", 10, null, Cancel)).Error!;
        var badToken = (await reader.FunctionAsync(Alice, "fn", 10, "not-a-token", Cancel)).Error!;
        var badOne = (await reader.OneAsync(Alice, "", 1, Cancel)).Error!;

        Assert.Equal((4104, ErrorKind.Invalid), (badName.Code, badName.Kind));
        Assert.Equal((4104, ErrorKind.Invalid), (badToken.Code, badToken.Kind));
        Assert.Equal("continue is not a token this list gave: pass the continue value of the previous page as it was" + MetaError.CheckInput, badToken.Message);
        Assert.Equal((121046, "empty functionid"), (badOne.Code, badOne.Message));
    }

    [Fact]
    public async Task AnEmptyToken_ReadsFromTheStart()
    {
        await using var temp = new TempStore();
        var revisions = await WriteUpdatesAsync(temp.Store, "fn", 2);

        var page = (await new HistoryReader(temp.Store).FunctionAsync(Alice, "fn", 10, "", Cancel)).Value!;

        Assert.Equal(revisions.AsEnumerable().Reverse(), page.Entries.Select(e => e.Revision));
    }

    [Fact]
    public async Task OneEntry_IsFoundByItsRevision_WithItsSnapshot()
    {
        await using var temp = new TempStore();
        var revisions = await WriteUpdatesAsync(temp.Store, "fn", 3);
        var reader = new HistoryReader(temp.Store);

        var entry = (await reader.OneAsync(Alice, "fn", revisions[1], Cancel)).Value!;

        Assert.Equal(revisions[1], entry.Revision);
        Assert.Equal(401, entry.Snapshot!.Cpu);
        Assert.Equal("s3cr3t", entry.Snapshot.Environment["TOKEN"]);
        Assert.Null((await reader.OneAsync(Alice, "fn", revisions[^1] + 1, Cancel)).Value);
        Assert.Null((await reader.OneAsync(Alice, "other", revisions[1], Cancel)).Value);
    }

    [Fact]
    public async Task OneEntry_OfADelete_HasNoSnapshot()
    {
        await using var temp = new TempStore();
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));
        var revision = await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Delete, "fn", "", HistoryTestKit.Record("fn"), null), Cancel);

        var entry = (await new HistoryReader(temp.Store).OneAsync(Alice, "fn", revision, Cancel)).Value!;

        Assert.Equal(("delete", revision), (entry.Operation, entry.Revision));
        Assert.Null(entry.Snapshot);
    }

    [Fact]
    public async Task OneEntry_WhoseSnapshotIsAtTheEarlierKey_StillHasIt()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var revisions = await WriteUpdatesAsync(temp.Store, "fn", 1);
        var key = Assert.Single(await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.FunctionPrefix(Alice, "fn"), Cancel));
        var snapshot = (await temp.Store.GetAsync(HistoryKeys.SnapshotKeyOf(key), Cancel))!;
        await temp.Store.TxnAsync([], [new WriteOp.Delete(snapshot.Key), new WriteOp.Put(HistoryKeys.EarlierSnapshotKeyOf(key), snapshot.Value)], Cancel);

        var entry = (await new HistoryReader(temp.Store).OneAsync(Alice, "fn", revisions[0], Cancel)).Value!;

        Assert.Equal(400, entry.Snapshot!.Cpu);
    }

    [Fact]
    public async Task OneEntry_WithASnapshotAtBothKeys_HasTheOneAtItsOwnKey()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var revisions = await WriteUpdatesAsync(temp.Store, "fn", 1);
        var key = Assert.Single(await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.FunctionPrefix(Alice, "fn"), Cancel));
        var older = RecordChanges.Encode(HistoryTestKit.Record("fn") with { Cpu = 1 })!;
        await temp.Store.TxnAsync([], [new WriteOp.Put(HistoryKeys.EarlierSnapshotKeyOf(key), older)], Cancel);

        var entry = (await new HistoryReader(temp.Store).OneAsync(Alice, "fn", revisions[0], Cancel)).Value!;

        Assert.Equal(400, entry.Snapshot!.Cpu);
    }

    [Fact]
    public async Task OneEntry_BeyondTheFirstThousandKeys_IsFound()
    {
        await using var temp = new TempStore();
        var prefix = HistoryKeys.FunctionPrefix(Alice, "fn");
        var revisions = await WriteUpdatesAsync(temp.Store, "fn", 1);
        var filler = Enumerable.Range(0, 1000).Select(i => (WriteOp)new WriteOp.Put($"{prefix}{i:D19}-0000000000000-00000000", "{}"u8.ToArray())).ToList();
        var fillerRevision = (await temp.Store.TxnAsync([], filler, Cancel)).Revision;
        var reader = new HistoryReader(temp.Store);

        var entry = (await reader.OneAsync(Alice, "fn", revisions[0], Cancel)).Value!;

        Assert.Equal(revisions[0], entry.Revision);
        Assert.Equal(400, entry.Snapshot!.Cpu);
        Assert.Null((await reader.OneAsync(Alice, "fn", fillerRevision + 1, Cancel)).Value);
    }

    [Fact]
    public async Task AnEntryStoredEmpty_IsAnErrorThatNamesItsKey()
    {
        await using var temp = new TempStore();
        var key = HistoryKeys.FunctionPrefix(Alice, "fn") + HistoryKeys.NewLeaf(1, HistoryTestKit.Start);
        await temp.Store.TxnAsync([], [new WriteOp.Put(key, "null"u8.ToArray())], Cancel);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new HistoryReader(temp.Store).FunctionAsync(Alice, "fn", 10, null, Cancel));

        Assert.Equal($"the history entry at {key} is empty", error.Message);
    }

    [Fact]
    public async Task EntriesAnEarlierMetaServiceKeptAtKeys_FollowTheAppendedOnes_InOneHistory()
    {
        await using var temp = new TempStore();
        List<long> older;
        await using (var earlier = new WithoutAppendLog(temp.Store, ownsInner: false))
        {
            older = await WriteUpdatesAsync(earlier, "fn", 3);
        }

        var newer = await WriteUpdatesAsync(temp.Store, "fn", 2, HistoryTestKit.Start.AddMinutes(1));
        var reader = new HistoryReader(temp.Store);
        List<long> newestFirst = [newer[1], newer[0], older[2], older[1], older[0]];

        var pages = new List<HistoryPage>();
        string? token = null;
        do
        {
            pages.Add((await reader.FunctionAsync(Alice, "fn", 2, token, Cancel)).Value!);
            token = pages[^1].Continue;
        }
        while (token is not null && pages.Count < 10);

        Assert.Equal(newestFirst, pages.SelectMany(p => p.Entries).Select(e => e.Revision));
        Assert.Equal(3, pages.Count);
        Assert.Equal(newestFirst, (await reader.FunctionAsync(Alice, "fn", 0, null, Cancel)).Value!.Entries.Select(e => e.Revision));
        var exactlyTheAppended = (await reader.FunctionAsync(Alice, "fn", 2, null, Cancel)).Value!;
        Assert.NotNull(exactlyTheAppended.Continue);
        Assert.Equal(newestFirst, (await reader.TrailAsync(Alice, new TrailQuery(null, null, null, null, 10, null), Cancel)).Value!.Entries.Select(e => e.Revision));
        Assert.Equal(400, (await reader.OneAsync(Alice, "fn", older[0], Cancel)).Value!.Snapshot!.Cpu);
        Assert.Equal(401, (await reader.OneAsync(Alice, "fn", newer[1], Cancel)).Value!.Snapshot!.Cpu);
    }

    /// <summary>Writes <paramref name="count"/> entries of <paramref name="name"/>, a second apart (cpu 400, 401, …);
    /// returns their revisions, oldest first.</summary>
    internal static async Task<List<long>> WriteUpdatesAsync(IMetaStore store, string name, int count, DateTimeOffset? start = null, string operation = HistoryOperations.Update, Tenant? tenant = null)
    {
        var clock = new SetClock(start ?? HistoryTestKit.Start);
        var log = new HistoryLog(new HistoryOptions(), clock);
        var revisions = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var after = HistoryTestKit.Record(name, tenant: tenant) with { Cpu = 400 + i };
            revisions.Add(await HistoryTestKit.WriteAsync(store, log, tenant ?? Alice, new HistoryWrite(operation, name, "$latest", null, after), TestContext.Current.CancellationToken));
            clock.Now = clock.Now.AddSeconds(1);
        }

        return revisions;
    }
}