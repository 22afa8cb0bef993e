using System.Text.Json;

using MetaService.Core.History;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>The tenant's trail: every function's entries newest first, filtered by name, operation and time, in pages that
/// follow their token; a filtered read stops after its scan budget and says where to go on.</summary>
public sealed class HistoryTrailTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;
    private static readonly DateTimeOffset Start = HistoryTestKit.Start;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheTrail_HoldsEveryFunctionsEntries_NewestFirst()
    {
        // At keys (no append log), newest first by the time of each entry.
        await using var temp = new TempStore(withoutAppendLog: true);
        var a = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 2, Start);
        var b = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "b", 2, Start.AddMilliseconds(500));
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 1, Start, tenant: new Tenant("bob"));

        var page = (await new HistoryReader(temp.Store).TrailAsync(Alice, Query(limit: 10), Cancel)).Value!;

        Assert.Equal([b[1], a[1], b[0], a[0]], page.Entries.Select(e => e.Revision));
        Assert.Equal(["b", "a", "b", "a"], page.Entries.Select(e => e.Name));
        Assert.Null(page.Continue);
        Assert.Equal(b[1] + 1, page.Revision);
    }

    [Fact]
    public async Task TheTrail_InAnAppendLog_HoldsEveryFunctionsEntries_NewestFirst_ByRevision()
    {
        // In the append log, newest first by the order of the writes, whatever the clock said.
        await using var temp = new TempStore();
        var a = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 2, Start);
        var b = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "b", 2, Start.AddMilliseconds(500));
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 1, Start, tenant: new Tenant("bob"));

        var page = (await new HistoryReader(temp.Store).TrailAsync(Alice, Query(limit: 10), Cancel)).Value!;

        Assert.Equal([b[1], b[0], a[1], a[0]], page.Entries.Select(e => e.Revision));
        Assert.Null(page.Continue);
        Assert.Equal(b[1] + 1, page.Revision);
    }

    [Fact]
    public async Task Pages_FollowTheirToken_WithoutGapsOrRepeats()
    {
        await using var temp = new TempStore();
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 5, Start);
        var reader = new HistoryReader(temp.Store);

        var seen = new List<long>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = (await reader.TrailAsync(Alice, Query(limit: 2, token: token), Cancel)).Value!;
            seen.AddRange(page.Entries.Select(e => e.Revision));
            token = page.Continue;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(revisions.AsEnumerable().Reverse(), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task APageFilledByTheLastEntry_HasNoToken()
    {
        await using var temp = new TempStore();
        await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 2, Start);

        var page = (await new HistoryReader(temp.Store).TrailAsync(Alice, Query(limit: 2), Cancel)).Value!;

        Assert.Equal(2, page.Entries.Count);
        Assert.Null(page.Continue);
    }

    [Fact]
    public async Task NameAndOperation_FilterTheEntries()
    {
        await using var temp = new TempStore();
        var created = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 1, Start, HistoryOperations.Create);
        var updated = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 2, Start.AddSeconds(10));
        var other = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "b", 1, Start.AddSeconds(20));
        var reader = new HistoryReader(temp.Store);

        var byName = (await reader.TrailAsync(Alice, Query(name: "a", limit: 10), Cancel)).Value!;
        var byOperation = (await reader.TrailAsync(Alice, Query(operation: "update", limit: 10), Cancel)).Value!;
        var byBoth = (await reader.TrailAsync(Alice, Query(name: "a", operation: "create", limit: 10), Cancel)).Value!;

        Assert.Equal([updated[1], updated[0], created[0]], byName.Entries.Select(e => e.Revision));
        Assert.Equal([other[0], updated[1], updated[0]], byOperation.Entries.Select(e => e.Revision));
        Assert.Equal([created[0]], byBoth.Entries.Select(e => e.Revision));
    }

    [Fact]
    public async Task SinceAndUntil_BoundTheTimes_BothIncluded()
    {
        await using var temp = new TempStore();
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 5, Start);
        var reader = new HistoryReader(temp.Store);

        var page = (await reader.TrailAsync(Alice, Query(since: Start.AddSeconds(1), until: Start.AddSeconds(3), limit: 10), Cancel)).Value!;
        var sinceOnly = (await reader.TrailAsync(Alice, Query(since: Start.AddSeconds(3), limit: 10), Cancel)).Value!;
        var untilOnly = (await reader.TrailAsync(Alice, Query(until: Start.AddSeconds(1), limit: 10), Cancel)).Value!;

        Assert.Equal([revisions[3], revisions[2], revisions[1]], page.Entries.Select(e => e.Revision));
        Assert.Null(page.Continue);
        Assert.Equal([revisions[4], revisions[3]], sinceOnly.Entries.Select(e => e.Revision));
        Assert.Equal([revisions[1], revisions[0]], untilOnly.Entries.Select(e => e.Revision));
    }

    [Fact]
    public async Task ATokenGoesOn_WhereItsPageStopped_EvenWithUntil()
    {
        await using var temp = new TempStore();
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 5, Start);
        var reader = new HistoryReader(temp.Store);

        var first = (await reader.TrailAsync(Alice, Query(until: Start.AddSeconds(3), limit: 2), Cancel)).Value!;
        var second = (await reader.TrailAsync(Alice, Query(until: Start.AddSeconds(3), limit: 2, token: first.Continue), Cancel)).Value!;

        Assert.Equal([revisions[3], revisions[2]], first.Entries.Select(e => e.Revision));
        Assert.Equal([revisions[1], revisions[0]], second.Entries.Select(e => e.Revision));
    }

    [Fact]
    public async Task ABadToken_IsRefused()
    {
        await using var temp = new TempStore();

        var error = (await new HistoryReader(temp.Store).TrailAsync(Alice, Query(limit: 10, token: "%%"), Cancel)).Error!;

        Assert.Equal((4104, ErrorKind.Invalid), (error.Code, error.Kind));
    }

    [Fact]
    public async Task AFilteredRead_StopsAtItsScanBudget_WithATokenToGoOn()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var prefix = HistoryKeys.TrailPrefix(Alice);
        var value = "{\"time\":\"t\",\"operation\":\"update\",\"name\":\"other\",\"actor\":{\"tenant\":\"alice\",\"principal\":\"anonymous\",\"remoteAddress\":\"\"}}"u8.ToArray();
        var filler = Enumerable.Range(0, HistoryReader.ScanBudget).Select(i => (WriteOp)new WriteOp.Put($"{prefix}{i:D19}/other/x", value)).ToList();
        await temp.Store.TxnAsync([], filler, Cancel);
        var wanted = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 1, Start);
        await AssertTheBudgetEndsTheFirstPageAsync(new HistoryReader(temp.Store), wanted);
    }

    [Fact]
    public async Task ARead_AnswersTheRevisionOfItsFirstPage_EvenWhenAWriteLandsBetweenPages()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 5, Start);
        var store = new RecordingStore(temp.Store)
        {
            BeforeRange = async read =>
            {
                if (read == 2)
                {
                    await temp.Store.TxnAsync([], [new WriteOp.Put("/elsewhere", [1])], Cancel);
                }
            },
        };

        var page = (await new HistoryReader(store).TrailAsync(Alice, Query(name: "none", limit: 1), Cancel)).Value!;

        Assert.Empty(page.Entries);
        Assert.Equal(revisions[^1], page.Revision);
        Assert.Equal(revisions[^1] + 1, await temp.Store.GetRevisionAsync(Cancel));
    }

    [Fact]
    public async Task AFilteredRead_InAnAppendLog_StopsAtItsScanBudget_WithATokenToGoOn()
    {
        await using var temp = new TempStore();
        var wanted = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "a", 1, Start);
        var value = JsonSerializer.SerializeToUtf8Bytes(
            new StoredEntry(new HistoryEntry { Time = "t", Operation = "update", Name = "other", Actor = HistoryActor.Local(Alice) }, DerivedChanges: false),
            HistoryJson.Default.StoredEntry);
        var filler = Enumerable.Range(0, HistoryReader.ScanBudget)
            .Select(_ => (WriteOp)new WriteOp.Append(HistoryKeys.Stream(Alice, "other"), HistoryKeys.TrailStream(Alice), Start, value))
            .ToList();
        await temp.Store.TxnAsync([], filler, Cancel);
        await AssertTheBudgetEndsTheFirstPageAsync(new HistoryReader(temp.Store), wanted);
    }

    /// <summary>A read filtered on "a" spends its budget on the filler before it and answers nothing but a token; the
    /// next page finds <paramref name="wanted"/>, and nothing after it.</summary>
    private static async Task AssertTheBudgetEndsTheFirstPageAsync(HistoryReader reader, List<long> wanted)
    {
        var first = (await reader.TrailAsync(Alice, Query(name: "a", limit: 10), Cancel)).Value!;
        var second = (await reader.TrailAsync(Alice, Query(name: "a", limit: 10, token: first.Continue), Cancel)).Value!;

        Assert.Empty(first.Entries);
        Assert.NotNull(first.Continue);
        Assert.Equal(wanted, second.Entries.Select(e => e.Revision));
        Assert.Null(second.Continue);
    }

    private static TrailQuery Query(string? name = null, string? operation = null, DateTimeOffset? since = null, DateTimeOffset? until = null, int limit = 50, string? token = null) =>
        new(name, operation, since, until, limit, token);
}