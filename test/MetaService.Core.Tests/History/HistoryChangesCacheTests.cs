using System.Text.Json.Nodes;

using MetaService.Core.History;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>The reader keeps the changes it made from the values the append log keeps (an entry never changes), within
/// <see cref="HistoryOptions.ChangesCacheBytes"/>: a page read again answers the same changes, each answer with a list of
/// its own.</summary>
public sealed class HistoryChangesCacheTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APageReadAgain_AnswersTheSameChanges_FromWhatTheReaderKept()
    {
        await using var temp = new TempStore();
        await WriteThreeAsync(temp);
        var reader = new HistoryReader(temp.Store);

        var first = (await reader.FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries;
        var kept = reader.CachedChangesBytes;
        var again = (await reader.FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries;

        Assert.InRange(kept, 1, HistoryOptions.DefaultChangesCacheBytes);
        Assert.Equal(kept, reader.CachedChangesBytes);
        Assert.Equal(Described(first), Described(again));
        Assert.Equal(["revisionId,replace,\"2\",\"3\"", "memory,replace,128,256"], Described(first)[0]);
    }

    [Fact]
    public async Task AnAnswersChangeList_IsItsOwn_SoChangingItLeavesTheNextAnswerAsItWas()
    {
        await using var temp = new TempStore();
        await WriteThreeAsync(temp);
        var reader = new HistoryReader(temp.Store);

        var first = (await reader.FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries;
        first[0].Changes.Clear();
        var again = (await reader.FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries;

        Assert.Equal(2, again[0].Changes.Count);
    }

    [Fact]
    public async Task AReaderThatKeepsNothing_AnswersTheSame()
    {
        await using var temp = new TempStore();
        await WriteThreeAsync(temp);
        var keeping = new HistoryReader(temp.Store);
        var notKeeping = new HistoryReader(temp.Store, changesCacheBytes: 0);

        var kept = (await keeping.FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries;
        var made = (await notKeeping.FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries;
        var madeAgain = (await notKeeping.FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries;

        Assert.Equal(0, notKeeping.CachedChangesBytes);
        Assert.Equal(Described(kept), Described(made));
        Assert.Equal(Described(made), Described(madeAgain));
    }

    [Fact]
    public async Task TheTrail_AnswersTheChangesTheFunctionsPageKept()
    {
        await using var temp = new TempStore();
        await WriteThreeAsync(temp);
        var reader = new HistoryReader(temp.Store);
        var page = (await reader.FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries;

        var trail = (await reader.TrailAsync(Alice, new TrailQuery(null, null, null, null, 10, null), Cancel)).Value!.Entries;

        Assert.Equal(Described(page), Described(trail));
    }

    [Fact]
    public void AChangeList_CountsItsPathsOperationsAndValues_AsTheCacheWeighsThem()
    {
        // 32 for the list; per change 64, two bytes a character of path and operation, and its values: a string 48 plus
        // two bytes a character, any other value 48, an object 64 plus per member 48, its name and its value, an array 48
        // plus per item 8 and the item.
        List<HistoryChange> changes =
        [
            new("a.b", RecordChanges.Replace, JsonValue.Create("xy"), new JsonObject { ["key"] = "v" }),
            new("c", RecordChanges.Add, null, new JsonArray(1, "zz")),
        ];

        var first = 64 + (2 * (3 + 7)) + (48 + 4) + (64 + (48 + 6 + (48 + 2)));
        var second = 64 + (2 * (1 + 3)) + (48 + (8 + 48) + (8 + 48 + 4));
        Assert.Equal(32 + first + second, RecordChanges.Cost(changes));
        Assert.Equal(32, RecordChanges.Cost([]));
    }

    private static async Task WriteThreeAsync(TempStore temp)
    {
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));
        var first = HistoryTestKit.Record("fn") with { Memory = 128 };
        var second = first with { Cpu = 600, RevisionId = "2" };
        var third = second with { Memory = 256, RevisionId = "3" };
        await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, first), Cancel);
        await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Update, "fn", "$latest", first, second), Cancel);
        await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Update, "fn", "$latest", second, third), Cancel);
    }

    private static List<List<string>> Described(IEnumerable<HistoryEntry> entries) =>
        [.. entries.Select(e => e.Changes.Select(c => $"{c.Path},{c.Op},{c.From?.ToJsonString()},{c.To?.ToJsonString()}").ToList())];
}