using MetaService.Core.Storage;
using MetaService.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The append log's indexes in two generations: a forget leaves its index rows behind, reads skip them, and a
/// turn of the generations drops them; values named only by forgotten rows are released all the same.</summary>
public sealed partial class SqliteAppendLogTests
{
    private static readonly string[] ModelKeys = ["t/a", "t/b", "t/c", "u/a"];

    [Fact]
    public async Task TrimsAcrossManyGenerationTurns_AndReopens_ReadExactlyTheRowsKept_AndEmptyTheOlderGenerationOnceMoved()
    {
        // Turns 8 indexed rows apart, moving 3 rows a step: every trim indexes what waits, which takes one step.
        var options = new SqliteStoreOptions { DataDirectory = _directory, Rotation = new AppendRotation(Every: 8, MoveEvery: 3) };
        await ReopenAsync(options);
        var kept = ModelKeys.ToDictionary(key => key, _ => new List<(long Revision, string Value)>());
        var seen = new HashSet<string>();
        var appended = 0;
        for (var round = 0; round < 40; round++)
        {
            var writes = Enumerable.Range(0, (round % 4) + 1).Select(i => ModelKeys[(round + i) % 4]).Select(key => Append(key, $"{key}#{appended++}", group: key[..1])).ToList();
            var revision = (await _store.TxnAsync([], writes, Cancel)).Revision;
            foreach (var write in writes)
            {
                kept[write.Key].Insert(0, (revision, Text(write.Value)));
            }

            await Log.TrimAsync(3, Start.AddDays(-1), 2, Cancel);
            foreach (var rows in kept.Values)
            {
                rows.RemoveRange(Math.Min(3, rows.Count), rows.Count - Math.Min(3, rows.Count));
            }

            await AssertReadsAsync(kept);
            var (generation, swapped, moved) = (Count(Meta("appended_generation")), Count(Meta("appended_swapped")), Count(Meta("appended_moved")));
            seen.Add(moved < swapped ? "moving" : $"current {generation}");
            if (swapped > 0 && moved == swapped)
            {
                Assert.Equal(0, RawRows(1 - (int)generation));
            }

            if (round % 10 == 9)
            {
                await ReopenAsync(options);
            }
        }

        Assert.Equal(["current 0", "current 1", "moving"], seen.Order());
        Assert.InRange(RawRows(0) + RawRows(1), 1, appended * 3 / 2);
        Assert.Equal("ok", await _store.CheckIntegrityAsync(Cancel));
    }

    [Fact]
    public async Task ATurn_MovesTheLiveRowsAStepAtATime_AndTheNextWaitsForAsManyRowsAsItMoved()
    {
        // 20 live rows (one a key), then one row at a time, each trim an index pass: the first pass turns the
        // generations over (20 rows indexed, at least 4 needed), each next one moves 2 rows.
        await ReopenAsync(new SqliteStoreOptions { DataDirectory = _directory, Rotation = new AppendRotation(Every: 4, MoveEvery: 2) });
        await _store.TxnAsync([], [.. Enumerable.Range(0, 20).Select(i => (WriteOp)Append($"t/k{i:00}", "first"))], Cancel);
        var states = new List<(long Indexed, long Generation, long Swapped, long Moved, long Older)>();
        for (var i = 0; i < 22; i++)
        {
            await Log.TrimAsync(100, Start.AddDays(-1), 100, Cancel);
            var generation = Count(Meta("appended_generation"));
            states.Add((Count(Meta("appended_indexed")), generation, Count(Meta("appended_swapped")), Count(Meta("appended_moved")), RawRows(1 - (int)generation)));
            await AppendAsync($"t/late{i:00}", "late");
        }

        // The older generation holds the 20 rows twice (key and group; they name no values): until the last step empties it.
        Assert.Equal((20L, 1L, 20L, 0L, 40L), states[0]);
        Assert.Equal([2L, 4, 6, 8, 10, 12, 14, 16, 18, 20], states.Skip(1).Take(10).Select(s => s.Moved));
        Assert.Equal([40L, 40, 40, 40, 40, 40, 40, 40, 40, 0], states.Skip(1).Take(10).Select(s => s.Older));

        // That turn moved 20 rows: the next comes once 20 more were indexed since it, not 4.
        Assert.All(states.Take(20), s => Assert.Equal((1L, 20L), (s.Generation, s.Swapped)));
        Assert.Equal((40L, 0L, 40L, 0L), (states[20].Indexed, states[20].Generation, states[20].Swapped, states[20].Moved));
        Assert.Equal(42, (await ReadAllAsync(AppendScope.Group, "t", 7)).Count);
    }

    [Fact]
    public async Task AForgottenRowsId_IsNeverTakenAgain_EvenWithEveryRowGoneAndTheStoreReopened()
    {
        // t/a's row is forgotten, its index rows stay; were its id taken again, they would name the new row.
        await AppendAsync("t/a", "old");
        Assert.Equal(1, await Log.TrimAsync(1, Start.AddDays(1), 100, Cancel));
        Assert.Equal(1, Count("SELECT count(*) FROM appended_keys"));
        await ReopenAsync(new SqliteStoreOptions { DataDirectory = _directory });

        await AppendAsync("t/b", "new");

        Assert.Empty(await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel));
        var row = Assert.Single(await Log.ReadAsync(AppendScope.Key, "t/b", null, 10, Cancel));
        Assert.Equal(("new", 2L), (Text(row.Value), row.Id));
        Assert.Equal(["new"], (await Log.ReadAsync(AppendScope.Group, "t", null, 10, Cancel)).Select(r => Text(r.Value)));
    }

    [Fact]
    public async Task AValueOnlyAForgottenRowNamed_GoesWhenCompactionPassesIt()
    {
        await ReopenAsync(new SqliteStoreOptions { DataDirectory = _directory, HistoryRetention = 1 });
        var first = (await _store.TxnAsync([], [new WriteOp.Put("/r", "v1"u8.ToArray()), Append("t/a", "x", after: "/r")], Cancel)).Revision;
        await AppendAsync("t/a", "y");

        // x goes while v1 is still /r's value: v1 stays, and x's index rows stay behind it.
        Assert.Equal(1, await Log.TrimAsync(1, Start.AddDays(-1), 100, Cancel));
        Assert.Equal(1, Count("SELECT count(*) FROM appended_refs"));
        await _store.TxnAsync([], [new WriteOp.Put("/r", "v2"u8.ToArray())], Cancel);
        await Task.WhenAll(Enumerable.Range(0, 1100).Select(i => _store.TxnAsync([], [new WriteOp.Put($"/filler/{i}", [1])], Cancel)));

        Assert.Null(await _store.GetAtAsync("/r", first, Cancel));
    }

    [Fact]
    public async Task AValueARowForgottenEarlierAlsoNamed_GoesWithTheLastRowThatNamesIt()
    {
        await ReopenAsync(new SqliteStoreOptions { DataDirectory = _directory, HistoryRetention = 1 });
        var first = (await _store.TxnAsync([], [new WriteOp.Put("/r", "v1"u8.ToArray()), Append("t/a", "x", after: "/r")], Cancel)).Revision;
        await _store.TxnAsync([], [new WriteOp.Put("/r", "v2"u8.ToArray()), Append("t/a", "y", before: "/r", after: "/r")], Cancel);
        await AppendAsync("t/a", "z");

        // x goes; y still names v1, which compaction then passes.
        Assert.Equal(1, await Log.TrimAsync(2, Start.AddDays(-1), 100, Cancel));
        await Task.WhenAll(Enumerable.Range(0, 1100).Select(i => _store.TxnAsync([], [new WriteOp.Put($"/filler/{i}", [1])], Cancel)));
        Assert.Equal("v1", Text(await _store.GetAtAsync("/r", first, Cancel)));

        // y goes: x's reference to v1 is still in the index, but names a row that is gone.
        Assert.Equal(1, await Log.TrimAsync(1, Start.AddDays(-1), 100, Cancel));
        Assert.Null(await _store.GetAtAsync("/r", first, Cancel));
        Assert.Equal(["z"], (await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel)).Select(r => Text(r.Value)));
    }

    [Fact]
    public async Task AFileOfTheLayoutBeforeGenerations_IsReadAndWrittenOn()
    {
        var options = new SqliteStoreOptions { DataDirectory = _directory, Rotation = new AppendRotation(Every: 4, MoveEvery: 2) };
        var many = Enumerable.Range(0, AppendWrites.IndexEvery + 3).Select(i => Append("t/a", "r" + i)).ToList();
        await _store.TxnAsync([], many, Cancel);
        await _store.DisposeAsync();
        StoreFileQuery.Execute(
            Path.Combine(_directory, "meta.db"),
            "DROP TABLE appended_keys_1; DROP TABLE appended_groups_1; DROP TABLE appended_refs_1; DELETE FROM meta WHERE name IN ('appended_generation', 'appended_swapped', 'appended_moved', 'appended_moved_rows');");
        _store = Open(options);

        Assert.Equal(AppendWrites.IndexEvery + 3, (await ReadAllAsync(AppendScope.Key, "t/a", 100)).Count);
        for (var i = 0; i < 6; i++)
        {
            await AppendAsync("t/a", "late" + i);
            await Log.TrimAsync(5, Start.AddDays(-1), 100, Cancel);
        }

        Assert.Equal(["late5", "late4", "late3", "late2", "late1"], (await ReadAllAsync(AppendScope.Group, "t", 2)).Select(r => Text(r.Value)));
        Assert.Equal(1, Count(Meta("appended_generation")));
    }

    private static string Meta(string name) => $"SELECT value FROM meta WHERE name = '{name}'";

    /// <summary>Every index row generation <paramref name="generation"/> holds, of rows kept or forgotten.</summary>
    private long RawRows(int generation)
    {
        var suffix = generation == 0 ? "" : "_1";
        return Count($"SELECT (SELECT count(*) FROM appended_keys{suffix}) + (SELECT count(*) FROM appended_groups{suffix}) + (SELECT count(*) FROM appended_refs{suffix})");
    }

    /// <summary>Each key's rows and each group's are read, a page of 2 at a time, as <paramref name="kept"/> has them.</summary>
    private async Task AssertReadsAsync(Dictionary<string, List<(long Revision, string Value)>> kept)
    {
        foreach (var (key, rows) in kept)
        {
            Assert.Equal(rows.Select(r => r.Value), (await ReadAllAsync(AppendScope.Key, key, 2)).Select(r => Text(r.Value)));
            foreach (var (revision, value) in rows)
            {
                Assert.Equal(value, Text((await Log.ReadAtAsync(key, revision, Cancel))!.Value));
            }
        }

        foreach (var group in new[] { "t", "u" })
        {
            // Newest first: in the order they were appended, which each value's number gives.
            var expected = kept.Where(k => k.Key.StartsWith(group, StringComparison.Ordinal)).SelectMany(k => k.Value).Select(r => r.Value)
                .OrderByDescending(value => int.Parse(value[(value.IndexOf('#', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expected, (await ReadAllAsync(AppendScope.Group, group, 2)).Select(r => Text(r.Value)));
        }
    }
}