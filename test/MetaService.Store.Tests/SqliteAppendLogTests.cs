using System.Text;

using MetaService.Core.Storage;
using MetaService.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The embedded store's append log: records appended in a transaction, read by key and by group newest first
/// (indexed or not yet), not keys; the values each names kept past compaction while it exists, released when it goes.</summary>
public sealed partial class SqliteAppendLogTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-append-" + Guid.NewGuid().ToString("N"));
    private SqliteMetaStore _store;

    public SqliteAppendLogTests()
    {
        _store = Open();
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Start = new(2026, 12, 5, 4, 0, 0, TimeSpan.Zero);

    private IAppendLog Log => _store.Appends;

    [Fact]
    public async Task Appends_AreReadByKeyAndByGroup_NewestFirst_WithTheirTransactionsRevision()
    {
        var a1 = await AppendAsync("t/a", "one");
        var b1 = await AppendAsync("t/b", "two");
        var a2 = await AppendAsync("t/a", "three");
        await AppendAsync("u/a", "other group", group: "u");

        var a = await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel);
        var t = await Log.ReadAsync(AppendScope.Group, "t", null, 10, Cancel);

        Assert.Equal([a2, a1], a.Select(r => r.Revision));
        Assert.Equal(["three", "one"], a.Select(r => Text(r.Value)));
        Assert.Equal([a2, b1, a1], t.Select(r => r.Revision));
        Assert.All(t, r => Assert.Equal(Start, r.Time));
        Assert.Equal([a1], (await Log.ReadAsync(AppendScope.Group, "t", t[1].Id, 10, Cancel)).Select(r => r.Revision));
        Assert.Equal([a2], (await Log.ReadAsync(AppendScope.Group, "t", null, 1, Cancel)).Select(r => r.Revision));
        Assert.Equal("three", Text((await Log.ReadAtAsync("t/a", a2, Cancel))!.Value));
        Assert.Null(await Log.ReadAtAsync("t/b", a2, Cancel));
    }

    [Fact]
    public async Task AnAppend_IsNoKey_AndTakesNoRevisionOfItsOwn()
    {
        var revision = (await _store.TxnAsync([], [new WriteOp.Put("/k", [1]), Append("t/a", "x"), Append("t/a", "y")], Cancel)).Revision;

        Assert.Equal(revision, await _store.GetRevisionAsync(Cancel));
        Assert.Equal(["/k"], (await _store.RangeAsync("", 0, null, Cancel)).Items.Select(kv => kv.Key));
        Assert.Equal(["y", "x"], (await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel)).Select(r => Text(r.Value)));
        Assert.All(await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel), r => Assert.Equal(revision, r.Revision));
    }

    [Fact]
    public async Task AFailedCompare_AppendsNothing()
    {
        var result = await _store.TxnAsync([new Compare("/absent", 3)], [Append("t/a", "x")], Cancel);

        Assert.False(result.Succeeded);
        Assert.Empty(await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel));
    }

    [Fact]
    public async Task Reads_MergeTheIndexedRows_WithThoseNotIndexedYet_WithoutGapsOrRepeats()
    {
        // One transaction of more rows than wait for the index (indexed when it commits), then a few more (not yet).
        var many = Enumerable.Range(0, AppendWrites.IndexEvery + 10).Select(i => Append(i % 2 == 0 ? "t/even" : "t/odd", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        await _store.TxnAsync([], many, Cancel);
        for (var i = 0; i < 5; i++)
        {
            await AppendAsync("t/even", $"late{i}");
        }

        var even = await ReadAllAsync(AppendScope.Key, "t/even", 100);
        var all = await ReadAllAsync(AppendScope.Group, "t", 333);

        Assert.Equal((AppendWrites.IndexEvery + 10) / 2 + 5, even.Count);
        Assert.Equal(["late4", "late3", "late2", "late1", "late0", "1032", "1030"], even.Take(7).Select(r => Text(r.Value)));
        Assert.Equal(AppendWrites.IndexEvery + 15, all.Count);
        Assert.Equal(all.Select(r => r.Id).OrderDescending(), all.Select(r => r.Id));
        Assert.Equal(all.Count, all.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task TheValuesAnAppendNames_AreBeforeAndAfterItsTransaction_WhereverItStandsInIt()
    {
        await _store.TxnAsync([], [new WriteOp.Put("/r", "v1"u8.ToArray())], Cancel);

        await _store.TxnAsync([], [Append("t/a", "x", before: "/r", after: "/r"), new WriteOp.Put("/r", "v2"u8.ToArray())], Cancel);
        await _store.TxnAsync([], [new WriteOp.Put("/r", "v3"u8.ToArray()), Append("t/a", "y", before: "/r", after: "/r")], Cancel);
        await _store.TxnAsync([], [new WriteOp.Delete("/r"), Append("t/a", "z", before: "/r", after: "/r")], Cancel);
        await _store.TxnAsync([], [Append("t/a", "w", before: "/r", after: "/absent")], Cancel);

        var rows = await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel);
        Assert.Equal([(null, null), ("v3", null), ("v2", "v3"), ("v1", "v2")], rows.Select(r => (Text(r.Before), Text(r.After))));
        Assert.Equal("/r", rows[1].Before!.Key);
    }

    /// <summary>The value after is what the append's own transaction wrote, else the key's current one: what an earlier
    /// appending transaction wrote is not taken for it once another has written the key since.</summary>
    [Fact]
    public async Task AValueAfter_OfAKeyTheTransactionDoesNotWrite_IsItsCurrentValue_NotOneAnEarlierTransactionWrote()
    {
        await _store.TxnAsync([], [new WriteOp.Put("/r", "v1"u8.ToArray()), Append("t/a", "x", after: "/r")], Cancel);
        await _store.TxnAsync([], [new WriteOp.Put("/r", "v2"u8.ToArray())], Cancel);
        await _store.TxnAsync([], [new WriteOp.Put("/s", "s1"u8.ToArray()), Append("t/a", "y", after: "/r")], Cancel);
        await _store.TxnAsync([], [new WriteOp.Delete("/s"), Append("t/a", "z", after: "/s")], Cancel);
        await _store.TxnAsync([], [new WriteOp.Put("/s", "s2"u8.ToArray())], Cancel);
        await _store.TxnAsync([], [Append("t/a", "w", after: "/s")], Cancel);

        var rows = await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel);
        Assert.Equal(["s2", null, "v2", "v1"], rows.Select(r => Text(r.After)));
    }

    [Fact]
    public async Task AValueBefore_OfAKeyTheTransactionDoesNotWrite_IsItsCurrentValue_AndTwoAppendsOfOneTransactionNameTheSame()
    {
        await _store.TxnAsync([], [new WriteOp.Put("/draft", "draft"u8.ToArray()), new WriteOp.Put("/r", "v1"u8.ToArray())], Cancel);

        // A publish: the draft stays as it is and names the version it made; then one transaction with two appends.
        await _store.TxnAsync([], [new WriteOp.Put("/v1", "published"u8.ToArray()), Append("t/a", "publish", before: "/draft", after: "/v1")], Cancel);
        await _store.TxnAsync([], [Append("t/a", "first", before: "/r", after: "/r"), new WriteOp.Put("/r", "v2"u8.ToArray()), Append("t/b", "second", before: "/r", after: "/r")], Cancel);

        var rows = await Log.ReadAsync(AppendScope.Group, "t", null, 10, Cancel);
        Assert.Equal([("v1", "v2"), ("v1", "v2"), ("draft", "published")], rows.Select(r => (Text(r.Before), Text(r.After))));
    }

    [Fact]
    public async Task TheValuesAnAppendNames_OutliveCompaction_UntilItIsTrimmed()
    {
        await ReopenAsync(new SqliteStoreOptions { DataDirectory = _directory, HistoryRetention = 1 });
        var first = (await _store.TxnAsync([], [new WriteOp.Put("/r", "v1"u8.ToArray()), Append("t/a", "x", after: "/r")], Cancel)).Revision;
        await _store.TxnAsync([], [new WriteOp.Put("/r", "v2"u8.ToArray()), Append("t/a", "y", before: "/r", after: "/r")], Cancel);
        var unnamed = (await _store.TxnAsync([], [new WriteOp.Put("/s", "a"u8.ToArray())], Cancel)).Revision;
        await _store.TxnAsync([], [new WriteOp.Put("/s", "b"u8.ToArray())], Cancel);

        // Past a compaction (every 1024 revisions), which drops /s's replaced value and keeps /r's.
        await Task.WhenAll(Enumerable.Range(0, 1100).Select(i => _store.TxnAsync([], [new WriteOp.Put($"/filler/{i}", [1])], Cancel)));
        Assert.False(await _store.KeepsRevisionAsync(unnamed, Cancel));
        Assert.Null(await _store.GetAtAsync("/s", unnamed, Cancel));
        Assert.Equal("v1", Text(await _store.GetAtAsync("/r", first, Cancel)));

        // The newer append still names v1 as its value before: trimming the older keeps it.
        Assert.Equal(1, await Log.TrimAsync(1, Start.AddDays(-1), 100, Cancel));
        Assert.Equal("v1", Text(await _store.GetAtAsync("/r", first, Cancel)));
        var kept = Assert.Single(await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel));
        Assert.Equal(("v1", "v2"), (Text(kept.Before), Text(kept.After)));

        // Trimmed by age: v1 goes; v2 is the key's value and stays.
        Assert.Equal(1, await Log.TrimAsync(1, Start.AddDays(1), 100, Cancel));
        Assert.Null(await _store.GetAtAsync("/r", first, Cancel));
        Assert.Equal("v2", Text((await _store.GetAsync("/r", Cancel))!.Value));
        Assert.Empty(await Log.ReadAsync(AppendScope.Group, "t", null, 10, Cancel));
        Assert.Equal("ok", await _store.CheckIntegrityAsync(Cancel));
    }

    [Fact]
    public async Task AValueCompactionHasPassed_IsKeptWhenItsOwnWriteNamesIt_AsTheValueBefore()
    {
        await ReopenAsync(new SqliteStoreOptions { DataDirectory = _directory, HistoryRetention = 1 });
        await _store.TxnAsync([], [new WriteOp.Put("/r", "v1"u8.ToArray())], Cancel);
        await Task.WhenAll(Enumerable.Range(0, 1100).Select(i => _store.TxnAsync([], [new WriteOp.Put($"/filler/{i}", [1])], Cancel)));

        await _store.TxnAsync([], [new WriteOp.Put("/r", "v2"u8.ToArray()), Append("t/a", "x", before: "/r", after: "/r")], Cancel);

        var row = Assert.Single(await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel));
        Assert.Equal(("v1", "v2"), (Text(row.Before), Text(row.After)));
    }

    [Fact]
    public async Task AppendsAfterEveryRowWasTrimmed_AreRead()
    {
        await AppendAsync("t/a", "old");
        Assert.Equal(1, await Log.TrimAsync(1, Start.AddDays(1), 100, Cancel));

        var revision = await AppendAsync("t/a", "new");

        Assert.Equal([revision], (await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel)).Select(r => r.Revision));
        Assert.Equal([revision], (await Log.ReadAsync(AppendScope.Group, "t", null, 10, Cancel)).Select(r => r.Revision));
    }

    [Fact]
    public async Task Appends_AndTheirIndex_OutliveAReopen()
    {
        var many = Enumerable.Range(0, AppendWrites.IndexEvery + 1).Select(_ => Append("t/a", "x")).ToList();
        await _store.TxnAsync([], many, Cancel);
        var last = await AppendAsync("t/a", "last");

        await ReopenAsync(new SqliteStoreOptions { DataDirectory = _directory });

        Assert.Equal(AppendWrites.IndexEvery + 2, (await ReadAllAsync(AppendScope.Key, "t/a", 500)).Count);
        Assert.Equal(last, (await Log.ReadAsync(AppendScope.Key, "t/a", null, 1, Cancel))[0].Revision);
    }

    [Fact]
    public async Task TheWriter_IndexesAppendedRows_ABatchOf1024AtATime_AndATrimIndexesWhatWaits()
    {
        var every = AppendWrites.IndexEvery;
        await _store.TxnAsync([], [new WriteOp.Put("/v", [1])], Cancel);
        await _store.TxnAsync([], [.. Enumerable.Range(0, every - 1).Select(i => (WriteOp)Append("t/a", "r" + i, after: "/v"))], Cancel);
        Assert.Equal((0, 0, 0, 0), IndexState());

        // Each row names one value (after), so each is in every index once.
        await _store.TxnAsync([], [Append("t/a", "reaches it", after: "/v")], Cancel);
        Assert.Equal((every, every, every, every), IndexState());

        // The next rows wait for the next 1,024, however few were indexed together before.
        await AppendAsync("t/a", "waits");
        await AppendAsync("t/b", "waits too");
        Assert.Equal((every, every, every, every), IndexState());
        Assert.Equal(every + 2, (await ReadAllAsync(AppendScope.Key, "t/a", 500)).Count + (await ReadAllAsync(AppendScope.Key, "t/b", 500)).Count);

        // A trim indexes what waits first: only the oldest rows go, the ones that waited stay, and are indexed.
        await Log.TrimAsync(keepPerKey: every, appendedBefore: Start.AddDays(-1), batch: 100, Cancel);
        Assert.Equal(every + 2, Count("SELECT value FROM meta WHERE name = 'appended_indexed'"));
        Assert.Equal(every + 1, Count("SELECT count(*) FROM appended"));
        Assert.Equal(every + 1, Live("appended_keys"));
    }

    [Fact]
    public async Task AReadOfNoRows_OrATrimKeepingNoneOrInBatchesOfNone_IsRefused_AndTrimsNothing()
    {
        await AppendAsync("t/a", "one");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Log.ReadAsync(AppendScope.Key, "t/a", null, 0, Cancel));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Log.TrimAsync(keepPerKey: 0, Start.AddDays(1), batch: 10, Cancel));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Log.TrimAsync(keepPerKey: 1, Start.AddDays(1), batch: 0, Cancel));

        Assert.Single(await Log.ReadAsync(AppendScope.Key, "t/a", null, 10, Cancel));
    }

    /// <summary>The id indexed up to, and the rows of each index.</summary>
    private (long Indexed, long Keys, long Groups, long Refs) IndexState() => (
        Count("SELECT coalesce((SELECT value FROM meta WHERE name = 'appended_indexed'), 0)"),
        Live("appended_keys"),
        Live("appended_groups"),
        Live("appended_refs"));

    private long Count(string sql) => (long)StoreFileQuery.Scalar(Path.Combine(_directory, "meta.db"), sql)!;

    /// <summary>The rows of <paramref name="index"/> that name a row still appended, in either generation, each once (a row
    /// moved to the current generation and still in the older one is the same row twice).</summary>
    private long Live(string index) =>
        Count($"SELECT count(*) FROM (SELECT * FROM {index} UNION SELECT * FROM {index}_1) i WHERE i.id IN (SELECT id FROM appended)");

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private SqliteMetaStore Open(SqliteStoreOptions? options = null) => SqliteMetaStore.Open(options ?? new SqliteStoreOptions { DataDirectory = _directory });

    private async Task ReopenAsync(SqliteStoreOptions options)
    {
        await _store.DisposeAsync();
        _store = Open(options);
    }

    private static WriteOp.Append Append(string key, string value, string group = "t", string? before = null, string? after = null) =>
        new(key, group, Start, Encoding.UTF8.GetBytes(value), before, after);

    private async Task<long> AppendAsync(string key, string value, string group = "t") =>
        (await _store.TxnAsync([], [Append(key, value, group)], Cancel)).Revision;

    private async Task<List<Appended>> ReadAllAsync(AppendScope scope, string name, int page)
    {
        var all = new List<Appended>();
        long? before = null;
        while (true)
        {
            var rows = await Log.ReadAsync(scope, name, before, page, Cancel);
            all.AddRange(rows);
            if (rows.Count < page)
            {
                return all;
            }

            before = rows[^1].Id;
        }
    }

    private static string? Text(KeyValue? kv) => kv is null ? null : Text(kv.Value);

    private static string Text(byte[] value) => Encoding.UTF8.GetString(value);
}