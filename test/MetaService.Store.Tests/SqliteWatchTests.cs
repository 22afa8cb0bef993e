using System.Globalization;
using System.Text;

using MetaService.Core.Storage;
using MetaService.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The embedded store's watch: served from the in-memory feed when its position is inside the feed's window,
/// from the change-log table when older, and the same changes either way.</summary>
public sealed class SqliteWatchTests : IAsyncDisposable
{
    private readonly List<string> _directories = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync()
    {
        foreach (var directory in _directories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Watch_FromTheFeed_SeesEveryChangeOfConcurrentCommits_InOrder_WithoutLossOrDuplicate()
    {
        await using var store = Open();
        var start = await store.GetRevisionAsync(Token) + 1;
        using var cancel = HangGuard();
        await using var watch = store.WatchAsync("/f/", start, cancel.Token).GetAsyncEnumerator(cancel.Token);
        var first = watch.MoveNextAsync();

        // 16 writers, each with its own keys: puts with compares on their own last revision, deletes, prefix deletes,
        // and a key outside the prefix that the watch must not see.
        var writers = Enumerable.Range(0, 16).Select(w => Task.Run(() => WriteAsync(store, w), Token)).ToArray();
        var expected = (await Task.WhenAll(writers)).SelectMany(e => e).OrderBy(e => e.Revision).ThenBy(e => e.Seq).ToList();
        var seen = new List<WatchEvent>();
        if (await first)
        {
            seen.Add(watch.Current);
        }

        while (seen.Count < expected.Count && await watch.MoveNextAsync())
        {
            seen.Add(watch.Current);
        }

        Assert.Equal(
            expected.Select(e => (e.Type, e.Key, e.Revision, e.Value)),
            seen.Select(e => (e.Type, e.Kv.Key, e.Kv.ModRevision, Encoding.UTF8.GetString(e.Kv.Value))));
        Assert.Equal(0, store.LogReads);

        // Nothing more than those: the next change is the next one committed.
        var last = await store.TxnAsync([], [new WriteOp.Put("/f/last", Bytes("x"))], Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(("/f/last", last.Revision), (watch.Current.Kv.Key, watch.Current.Kv.ModRevision));
    }

    [Fact]
    public async Task Watch_FromTheFeed_GivesTheRevisionsAndVersionsTheLogHolds()
    {
        var directory = NewDirectory();
        var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = directory });
        var start = await store.GetRevisionAsync(Token) + 1;
        await Put(store, "/v/a", "1");
        await Put(store, "/v/a", "2");
        await store.TxnAsync([], [new WriteOp.Put("/v/b", Bytes("3")), new WriteOp.Delete("/v/a"), new WriteOp.Delete("/v/missing")], Token);
        // Keys on both sides of the prefix, in one revision: before it, and just past its end (`/v0`, `/w/…`).
        await store.TxnAsync([], [new WriteOp.Put("/other", Bytes("x")), new WriteOp.Put("/v0", Bytes("y")), new WriteOp.Put("/w/x", Bytes("z"))], Token);
        await Put(store, "/v/c", "4");
        await store.TxnAsync([], [new WriteOp.DeletePrefix("/v/")], Token);

        var fromFeed = await CollectAsync(store, "/v/", start, 7);
        Assert.Equal(0, store.LogReads);
        await store.DisposeAsync();

        // Opened again, the feed starts empty: the same revisions come from the log.
        await using var reopened = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = directory });
        var fromLog = await CollectAsync(reopened, "/v/", start, 7);

        Assert.Equal(1, reopened.LogReads);
        Assert.Equal(fromLog.Select(Describe), fromFeed.Select(Describe));
        Assert.Equal(
            ["Put /v/a 1/1", "Put /v/a 2/2", "Put /v/b 3/1", "Delete /v/a 3/2", "Put /v/c 5/1", "Delete /v/b 6/1", "Delete /v/c 6/1"],
            fromFeed.Select(e => $"{e.Type} {e.Kv.Key} {e.Kv.ModRevision - start + 1}/{e.Kv.Version}"));
    }

    [Fact]
    public async Task Watch_StartingBeforeTheWindow_ReadsTheLog_ThenContinuesFromTheFeed_WithoutGaps()
    {
        // A feed of ~3 revisions of 1000 bytes: a watch from the first revision starts far behind it.
        await using var store = Open(feedCapacity: 4096);
        for (var i = 0; i < 50; i++)
        {
            await Put(store, "/s/k" + (i % 7).ToString(CultureInfo.InvariantCulture), new string('a', 1000));
        }

        using var cancel = HangGuard();
        await using var watch = store.WatchAsync("/s/", 1, cancel.Token).GetAsyncEnumerator(cancel.Token);
        var more = Task.Run(
            async () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    await Put(store, "/s/k" + (i % 5).ToString(CultureInfo.InvariantCulture), new string('b', 1000));
                }
            },
            Token);
        var revisions = new List<long>();
        while (revisions.Count < 100 && await watch.MoveNextAsync())
        {
            revisions.Add(watch.Current.Kv.ModRevision);
        }

        await more;
        Assert.Equal(Enumerable.Range(1, 100).Select(r => (long)r), revisions);
        var logReads = store.LogReads;
        Assert.True(logReads > 0);

        // Caught up: the next changes come from the feed.
        for (var i = 0; i < 3; i++)
        {
            var put = await Put(store, "/s/next", "n");
            Assert.True(await watch.MoveNextAsync());
            Assert.Equal(put.Revision, watch.Current.Kv.ModRevision);
        }

        Assert.Equal(logReads, store.LogReads);
    }

    [Fact]
    public async Task Watch_FromTheLog_NeverCutsARevision_LargerThanAPage()
    {
        await using var store = Open(feedCapacity: 4096);
        var big = await store.TxnAsync([], [.. Enumerable.Range(0, 10_050).Select(i => new WriteOp.Put($"/big/{i:D5}", Bytes("v")))], Token);
        await Put(store, "/big/after", "w");

        var events = await CollectAsync(store, "/big/", big.Revision, 10_051);

        Assert.Equal(10_051, events.Count);
        Assert.Equal(10_050, events.Count(e => e.Kv.ModRevision == big.Revision));
        Assert.Equal("/big/after", events[^1].Kv.Key);
    }

    [Fact]
    public async Task Watch_FromTheFeed_GoesOnPastARevisionOfExactlyAPage_WithoutWaitingForAnotherWrite()
    {
        await using var store = Open();
        var page = await store.TxnAsync([], [.. Enumerable.Range(0, ChangeLogReads.Page).Select(i => new WriteOp.Put($"/page/{i:D5}", Bytes("v")))], Token);
        var after = await Put(store, "/page/after", "w");

        var events = await CollectAsync(store, "/page/", page.Revision, ChangeLogReads.Page + 1);

        Assert.Equal(ChangeLogReads.Page + 1, events.Count);
        Assert.Equal(after.Revision, events[^1].Kv.ModRevision);
        Assert.Equal(0, store.LogReads);
    }

    [Fact]
    public async Task Watch_OfEveryKey_FromTheLog_GivesEveryChange()
    {
        await using var store = Open(feedCapacity: 1);
        var first = await Put(store, "/a", "1");
        await Put(store, "\uffff", "2");

        var events = await CollectAsync(store, "", first.Revision, 2);

        Assert.Equal(["/a", "\uffff"], events.Select(e => e.Kv.Key));
        Assert.True(store.LogReads > 0);
    }

    [Fact]
    public async Task FailedBatch_PublishesNothing()
    {
        await using var store = Open();
        var start = await store.GetRevisionAsync(Token) + 1;
        using var cancel = HangGuard();
        await using var watch = store.WatchAsync("/", start, cancel.Token).GetAsyncEnumerator(cancel.Token);
        var first = watch.MoveNextAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.TxnAsync([], [new WriteOp.Put("/failed", Bytes("1")), new UnknownWrite("/x")], Token));
        var next = await Put(store, "/next", "2");

        Assert.True(await first);
        Assert.Equal(("/next", start), (watch.Current.Kv.Key, watch.Current.Kv.ModRevision));
        Assert.Equal(start, next.Revision);
        Assert.Equal(0, store.LogReads);
    }

    [Theory]
    [InlineData(16L << 20)]
    [InlineData(4096L)]
    public async Task Watch_FromACompactedRevision_Throws_FromTheFeedAndFromTheLog(long feedCapacity)
    {
        await using var store = Open(feedCapacity, historyRetention: 10);
        for (var i = 0; i < 1100; i++)
        {
            await Put(store, "/c", "v");
        }

        var error = await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
        {
            await foreach (var change in store.WatchAsync("/c", 5, Token))
            {
                Assert.Fail($"no event should come from a compacted revision, got {change.Kv.ModRevision}");
            }
        });
        Assert.Equal(1024 - 10, error.CompactedRevision);

        // The oldest kept revision still replays.
        var kept = await CollectAsync(store, "/c", error.CompactedRevision + 1, 86);
        Assert.Equal(Enumerable.Range(1015, 86).Select(r => (long)r), kept.Select(e => e.Kv.ModRevision));
    }

    [Fact]
    public async Task Compaction_HappensWhenABatchStepsOverAMultipleOf1024()
    {
        await using var store = Open(historyRetention: 10);

        // Queued at once, the transactions commit in batches of up to 256: the revision rarely ends a batch on 1024.
        await Task.WhenAll(Enumerable.Range(0, 1100).Select(_ => Put(store, "/c", "v")));

        var error = await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
        {
            await foreach (var change in store.WatchAsync("/c", 1, Token))
            {
                Assert.Fail($"no event should come from a compacted revision, got {change.Kv.ModRevision}");
            }
        });
        Assert.True(error.CompactedRevision >= 1024 - 10, $"compacted up to {error.CompactedRevision}");
    }

    [Fact]
    public async Task Watch_WaitingOnTheFeed_EndsWhenTheStoreIsDisposed()
    {
        var store = Open();
        using var cancel = HangGuard();
        var watch = store.WatchAsync("/", 1, cancel.Token).GetAsyncEnumerator(cancel.Token);
        var waiting = watch.MoveNextAsync().AsTask();

        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        await watch.DisposeAsync();
    }

    private SqliteMetaStore Open(long feedCapacity = 16L << 20, int historyRetention = 100_000) =>
        SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = NewDirectory(), FeedCapacityBytes = feedCapacity, HistoryRetention = historyRetention });

    private string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "metaservice-watch-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        return directory;
    }

    /// <summary>Cancels a watch that would otherwise wait forever after a failure; never part of an assertion.</summary>
    private static CancellationTokenSource HangGuard()
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(TimeSpan.FromMinutes(2));
        return cancel;
    }

    /// <summary>The first <paramref name="count"/> changes of a watch from <paramref name="from"/>.</summary>
    private static async Task<List<WatchEvent>> CollectAsync(SqliteMetaStore store, string prefix, long from, int count)
    {
        using var cancel = HangGuard();
        var events = new List<WatchEvent>();
        await using var watch = store.WatchAsync(prefix, from, cancel.Token).GetAsyncEnumerator(cancel.Token);
        while (events.Count < count && await watch.MoveNextAsync())
        {
            events.Add(watch.Current);
        }

        return events;
    }

    private static async Task<List<Expected>> WriteAsync(SqliteMetaStore store, int writer)
    {
        var expected = new List<Expected>();
        var a = $"/f/w{writer:D2}/a";
        var b = $"/f/w{writer:D2}/b";
        long aRevision = 0;
        var bExists = false;
        for (var i = 0; i < 60; i++)
        {
            var value = $"{writer}-{i}";
            List<WriteOp> writes = i % 10 == 9
                ? [new WriteOp.DeletePrefix($"/f/w{writer:D2}/"), new WriteOp.Put($"/outside/w{writer}", Bytes(value))]
                : i % 4 == 3
                    ? [new WriteOp.Put(a, Bytes(value)), new WriteOp.Delete(b)]
                    : [new WriteOp.Put(a, Bytes(value)), new WriteOp.Put(b, Bytes(value))];
            var result = await store.TxnAsync([new Compare(a, aRevision)], writes, Token);
            Assert.True(result.Succeeded);
            var seq = 0;
            if (i % 10 == 9)
            {
                if (aRevision != 0)
                {
                    expected.Add(new Expected(WatchEventType.Delete, a, result.Revision, seq++, string.Empty));
                }

                if (bExists)
                {
                    expected.Add(new Expected(WatchEventType.Delete, b, result.Revision, seq++, string.Empty));
                }

                aRevision = 0;
                bExists = false;
                continue;
            }

            expected.Add(new Expected(WatchEventType.Put, a, result.Revision, seq++, value));
            aRevision = result.Revision;
            if (i % 4 == 3)
            {
                if (bExists)
                {
                    expected.Add(new Expected(WatchEventType.Delete, b, result.Revision, seq++, string.Empty));
                }

                bExists = false;
            }
            else
            {
                expected.Add(new Expected(WatchEventType.Put, b, result.Revision, seq++, value));
                bExists = true;
            }
        }

        return expected;
    }

    private static string Describe(WatchEvent e) =>
        $"{e.Type} {e.Kv.Key} {e.Kv.CreateRevision} {e.Kv.ModRevision} {e.Kv.Version} {Encoding.UTF8.GetString(e.Kv.Value)}";

    private static Task<TxnResult> Put(SqliteMetaStore store, string key, string value) =>
        store.TxnAsync([], [new WriteOp.Put(key, Bytes(value))], Token);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private sealed record Expected(WatchEventType Type, string Key, long Revision, int Seq, string Value);

    private sealed record UnknownWrite(string Key) : WriteOp(Key);
}