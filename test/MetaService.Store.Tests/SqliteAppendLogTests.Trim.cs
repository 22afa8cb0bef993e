using MetaService.Core.Storage;
using MetaService.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>A trim after an earlier one: by count it reads only the keys appended to since the id it is given; the
/// newest id it is measured by only grows.</summary>
public sealed partial class SqliteAppendLogTests
{
    [Fact]
    public async Task ATrimByCount_AfterAnId_ReadsOnlyTheKeysAppendedToSince_AndByAgeEveryKey()
    {
        await AppendAsync("t/a", "a1");
        await AppendAsync("t/a", "a2");
        await AppendAsync("t/b", "b1");
        var mark = await Log.NewestIdAsync(Cancel);
        await AppendAsync("t/b", "b2");
        await AppendAsync("t/c", "c1", group: "u");

        // Only t/b was appended to since the mark: t/a keeps both its rows, over the limit of one.
        Assert.Equal(1, await Log.TrimAsync(1, Start.AddDays(-1), 100, keysAppendedAfter: mark, Cancel));
        Assert.Equal(["a2", "a1"], (await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel)).Select(r => Text(r.Value)));
        Assert.Equal(["b2"], (await Log.ReadAsync(AppendScope.Key, "t/b", null, 10, Cancel)).Select(r => Text(r.Value)));

        // From 0, every key.
        Assert.Equal(1, await Log.TrimAsync(1, Start.AddDays(-1), 100, keysAppendedAfter: 0, Cancel));
        Assert.Equal(["a2"], (await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel)).Select(r => Text(r.Value)));

        // By age every key goes, whatever the mark.
        Assert.Equal(3, await Log.TrimAsync(1, Start.AddDays(1), 100, keysAppendedAfter: await Log.NewestIdAsync(Cancel), Cancel));
        Assert.Empty(await Log.ReadAsync(AppendScope.Group, "t", null, 10, Cancel));
        Assert.Empty(await Log.ReadAsync(AppendScope.Group, "u", null, 10, Cancel));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Log.TrimAsync(1, Start.AddDays(1), 100, keysAppendedAfter: -1, Cancel));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ATrim_WhoseReadsEndForAForget_LeavesNoReaderOpen()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/fd");
        for (var i = 0; i < 70; i++)
        {
            await _store.TxnAsync([], [Append("t/a", "a" + i), Append("t/b", "b" + i), Append("t/c", "c" + i)], Cancel);
        }

        // Batches of 2: pages of two keys; the reads of the first end after its second key for a forget (136 ids
        // gathered, 128 the most before one), the second page's reads are of their own.
        Assert.Equal(3 * 68, await Log.TrimAsync(2, Start.AddDays(-1), 2, Cancel));
        await _store.DisposeAsync();

        Assert.Empty(SqliteStoreTests.OpenFilesBelow(_directory));
        _store = Open();
    }

    [Fact]
    public async Task ATrimByCount_OfKeysWhoseRowsInterleave_ForgetsEveryRowPastEachKeysNewest_InManyBatches()
    {
        // Three keys appended to in turn, 70 rows each: the rows of a key lie among the others'.
        for (var i = 0; i < 70; i++)
        {
            await _store.TxnAsync([], [Append("t/a", "a" + i), Append("t/b", "b" + i), Append("t/c", "c" + i)], Cancel);
        }

        // Batches of 2: more rows than a trim gathers before it forgets them (64 batches), so it forgets twice.
        Assert.Equal(3 * 68, await Log.TrimAsync(2, Start.AddDays(-1), 2, Cancel));

        foreach (var key in new[] { "a", "b", "c" })
        {
            Assert.Equal([key + "69", key + "68"], (await Log.ReadAsync(AppendScope.Key, "t/" + key, null, 10, Cancel)).Select(r => Text(r.Value)));
        }

        Assert.Equal(["c69", "b69", "a69", "c68", "b68", "a68"], (await Log.ReadAsync(AppendScope.Group, "t", null, 10, Cancel)).Select(r => Text(r.Value)));
        Assert.Equal((6L, 6L, 6L), (Count("SELECT count(*) FROM appended"), Live("appended_keys"), Live("appended_groups")));
        Assert.Equal("ok", await _store.CheckIntegrityAsync(Cancel));
    }

    [Fact]
    public async Task TheNewestId_IsTheLastAppended_AndDoesNotGoBackWhenEveryRowIsTrimmed()
    {
        Assert.Equal(0, await Log.NewestIdAsync(Cancel));
        await AppendAsync("t/a", "one");
        await _store.TxnAsync([], [Append("t/a", "two"), Append("t/b", "three")], Cancel);
        Assert.Equal(3, await Log.NewestIdAsync(Cancel));

        await Log.TrimAsync(1, Start.AddDays(1), 100, Cancel);

        Assert.Empty(await Log.ReadAsync(AppendScope.Group, "t", null, 10, Cancel));
        Assert.Equal(3, await Log.NewestIdAsync(Cancel));
        await AppendAsync("t/a", "four");
        Assert.Equal(4, await Log.NewestIdAsync(Cancel));
        Assert.Equal(4, (await Log.ReadAsync(AppendScope.Key, "t/a", null, 1, Cancel))[0].Id);
    }

    /// <summary>A trim releases the value it kept even when that value is the last one compaction has passed (the
    /// forget compares the named log ids with that one's, at the edge), named as the value after its write or before.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARowForgotten_ReleasesTheLastValueCompactionPassed_WhenOnlyItNamesIt(bool asValueBefore)
    {
        await ReopenAsync(new SqliteStoreOptions { DataDirectory = _directory, HistoryRetention = 1 });
        await Task.WhenAll(Enumerable.Range(0, 1022).Select(i => _store.TxnAsync([], [new WriteOp.Put($"/filler/{i}", [1])], Cancel)));
        WriteOp[] writing = asValueBefore ? [new WriteOp.Put("/r", "v1"u8.ToArray())] : [new WriteOp.Put("/r", "v1"u8.ToArray()), Append("t/a", "x", after: "/r")];
        var named = (await _store.TxnAsync([], writing, Cancel)).Revision;

        // Revision 1024 crosses a compaction, which passes revision 1023 (one revision retained): v1 is the last value it
        // passed, replaced by v2 and kept only by the appended row.
        WriteOp[] replacing = asValueBefore ? [new WriteOp.Put("/r", "v2"u8.ToArray()), Append("t/a", "y", before: "/r", after: "/r")] : [new WriteOp.Put("/r", "v2"u8.ToArray())];
        var replaced = (await _store.TxnAsync([], replacing, Cancel)).Revision;
        Assert.Equal((1023L, 1024L), (named, replaced));
        Assert.False(await _store.KeepsRevisionAsync(named - 1, Cancel));
        Assert.Equal("v1", Text(await _store.GetAtAsync("/r", named, Cancel)));

        Assert.Equal(1, await Log.TrimAsync(1, Start.AddDays(1), 100, Cancel));

        Assert.Null(await _store.GetAtAsync("/r", named, Cancel));
        Assert.Equal("v2", Text((await _store.GetAsync("/r", Cancel))!.Value));
        Assert.Equal("ok", await _store.CheckIntegrityAsync(Cancel));
    }

    [Fact]
    public async Task RowsForgottenTogether_ReleaseTheValuesOnlyTheyName_AndKeepThoseANewerRowNames()
    {
        await ReopenAsync(new SqliteStoreOptions { DataDirectory = _directory, HistoryRetention = 1 });
        var first = (await _store.TxnAsync([], [new WriteOp.Put("/r", "v1"u8.ToArray()), Append("t/a", "x", after: "/r")], Cancel)).Revision;
        var second = (await _store.TxnAsync([], [new WriteOp.Put("/r", "v2"u8.ToArray()), Append("t/a", "y", before: "/r", after: "/r")], Cancel)).Revision;
        await _store.TxnAsync([], [new WriteOp.Put("/r", "v3"u8.ToArray()), Append("t/a", "z", before: "/r", after: "/r")], Cancel);
        await Task.WhenAll(Enumerable.Range(0, 1100).Select(i => _store.TxnAsync([], [new WriteOp.Put($"/filler/{i}", [1])], Cancel)));
        Assert.Equal("v1", Text(await _store.GetAtAsync("/r", first, Cancel)));

        // x and y go in one batch: v1, named by both, goes; v2, named by y and by z (its value before), stays.
        Assert.Equal(2, await Log.TrimAsync(1, Start.AddDays(-1), 100, Cancel));

        Assert.Null(await _store.GetAtAsync("/r", first, Cancel));
        Assert.Equal("v2", Text(await _store.GetAtAsync("/r", second, Cancel)));
        var kept = Assert.Single(await Log.ReadAsync(AppendScope.Group, "t", null, 10, Cancel));
        Assert.Equal(("v2", "v3"), (Text(kept.Before), Text(kept.After)));
        Assert.Equal((1L, 1L, 1L, 2L), (Count("SELECT count(*) FROM appended"), Live("appended_keys"), Live("appended_groups"), Live("appended_refs")));
        Assert.Equal("ok", await _store.CheckIntegrityAsync(Cancel));
    }

    [Fact]
    public async Task AValueCompactionHasPassed_ReplacedByAWriteThatAppendsWithoutNamingIt_Goes()
    {
        await ReopenAsync(new SqliteStoreOptions { DataDirectory = _directory, HistoryRetention = 1 });
        await _store.TxnAsync([], [new WriteOp.Put("/r", "v1"u8.ToArray())], Cancel);
        await Task.WhenAll(Enumerable.Range(0, 1100).Select(i => _store.TxnAsync([], [new WriteOp.Put($"/filler/{i}", [1])], Cancel)));
        Assert.Equal(1, Count("SELECT count(*) FROM log WHERE value = CAST('v1' AS BLOB)"));

        // The write appends (so the values it replaces wait for the end of its transaction), but names no value.
        await _store.TxnAsync([], [new WriteOp.Put("/r", "v2"u8.ToArray()), Append("t/a", "x")], Cancel);

        Assert.Equal(0, Count("SELECT count(*) FROM log WHERE value = CAST('v1' AS BLOB)"));
        Assert.Equal("v2", Text((await _store.GetAsync("/r", Cancel))!.Value));
    }
}