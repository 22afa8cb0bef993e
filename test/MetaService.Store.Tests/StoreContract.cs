using System.Text;

using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>
/// What every metadata store must do, written once: each backend's test class inherits it and says only
/// how to open a fresh store.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    private IMetaStore? _store;

    protected IMetaStore Store => _store ?? throw new InvalidOperationException("the store is not open");

    /// <summary>Opens a new, empty store.</summary>
    protected abstract Task<IMetaStore> OpenAsync();

    public async ValueTask InitializeAsync() => _store = await OpenAsync();

    public virtual async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    protected Task<TxnResult> PutAsync(string key, string value) =>
        Store.TxnAsync([], [new WriteOp.Put(key, Bytes(value))], TestContext.Current.CancellationToken);

    [Fact]
    public async Task Get_MissingKey_ReturnsNull()
    {
        var found = await Store.GetAsync("/absent", TestContext.Current.CancellationToken);

        Assert.Null(found);
    }

    [Fact]
    public async Task GetAt_AnswersTheValueAKeyWasPutWithAtThatRevision_AndNullForAnyOther()
    {
        var first = await PutAsync("/at/k", "one");
        var other = await PutAsync("/at/other", "x");
        var second = await PutAsync("/at/k", "two");
        var deleted = await Store.TxnAsync([], [new WriteOp.Delete("/at/k")], TestContext.Current.CancellationToken);

        var atFirst = await Store.GetAtAsync("/at/k", first.Revision, TestContext.Current.CancellationToken);
        var atSecond = await Store.GetAtAsync("/at/k", second.Revision, TestContext.Current.CancellationToken);
        var notPutThen = await Store.GetAtAsync("/at/k", other.Revision, TestContext.Current.CancellationToken);
        var atDelete = await Store.GetAtAsync("/at/k", deleted.Revision, TestContext.Current.CancellationToken);
        var never = await Store.GetAtAsync("/at/absent", first.Revision, TestContext.Current.CancellationToken);

        Assert.Equal(("one", first.Revision), (Text(atFirst!.Value), atFirst.ModRevision));
        Assert.Equal(("two", second.Revision), (Text(atSecond!.Value), atSecond.ModRevision));
        Assert.Null(notPutThen);
        Assert.Null(atDelete);
        Assert.Null(never);
    }

    [Fact]
    public async Task KeepsRevision_EveryRevisionUpToTheCurrent_AndNoneAhead_AndGetAtAheadIsNull()
    {
        var token = TestContext.Current.CancellationToken;
        var first = await PutAsync("/keeps/k", "one");
        var second = await PutAsync("/keeps/k", "two");
        var now = await Store.GetRevisionAsync(token);
        var ahead = now + 1_000_000;

        Assert.True(await Store.KeepsRevisionAsync(first.Revision, token));
        Assert.True(await Store.KeepsRevisionAsync(second.Revision, token));
        Assert.True(await Store.KeepsRevisionAsync(now, token));
        Assert.False(await Store.KeepsRevisionAsync(ahead, token));
        Assert.Null(await Store.GetAtAsync("/keeps/k", ahead, token));
    }

    [Fact]
    public async Task Put_AdvancesRevisionByOne_AndSetsKeyRevisions()
    {
        var before = await Store.GetRevisionAsync(TestContext.Current.CancellationToken);

        var first = await PutAsync("/a", "1");
        var second = await PutAsync("/a", "2");
        var kv = await Store.GetAsync("/a", TestContext.Current.CancellationToken);

        Assert.True(first.Succeeded);
        Assert.Equal(before + 1, first.Revision);
        Assert.Equal(before + 2, second.Revision);
        Assert.NotNull(kv);
        Assert.Equal("2", Text(kv.Value));
        Assert.Equal(first.Revision, kv.CreateRevision);
        Assert.Equal(second.Revision, kv.ModRevision);
        Assert.Equal(2, kv.Version);
    }

    [Fact]
    public async Task Txn_AppliesAllWrites_OnlyWhenEveryCompareHolds()
    {
        var put = await PutAsync("/cas/x", "1");

        var stale = await Store.TxnAsync(
            [new Compare("/cas/x", put.Revision - 1)],
            [new WriteOp.Put("/cas/x", Bytes("lost")), new WriteOp.Put("/cas/y", Bytes("lost"))],
            TestContext.Current.CancellationToken);
        var fresh = await Store.TxnAsync(
            [new Compare("/cas/x", put.Revision), Compare.Absent("/cas/y")],
            [new WriteOp.Put("/cas/x", Bytes("won")), new WriteOp.Put("/cas/y", Bytes("won"))],
            TestContext.Current.CancellationToken);

        Assert.False(stale.Succeeded);
        Assert.True(fresh.Succeeded);
        Assert.Equal("won", Text((await Store.GetAsync("/cas/x", TestContext.Current.CancellationToken))!.Value));
        Assert.Equal("won", Text((await Store.GetAsync("/cas/y", TestContext.Current.CancellationToken))!.Value));
    }

    [Fact]
    public async Task Txn_FailedCompare_LeavesRevisionUnchanged()
    {
        await PutAsync("/k", "1");
        var before = await Store.GetRevisionAsync(TestContext.Current.CancellationToken);

        var result = await Store.TxnAsync([Compare.Absent("/k")], [new WriteOp.Put("/k", Bytes("2"))], TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal(before, await Store.GetRevisionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Range_ReturnsPrefixInKeyOrder_WithLimitAndContinuation()
    {
        foreach (var key in new[] { "/p/c", "/p/a", "/p/b", "/pz", "/o" })
        {
            await PutAsync(key, key);
        }

        var first = await Store.RangeAsync("/p/", limit: 2, cancellationToken: TestContext.Current.CancellationToken);
        var rest = await Store.RangeAsync("/p/", limit: 2, startAfter: first.Items[^1].Key, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["/p/a", "/p/b"], first.Items.Select(i => i.Key));
        Assert.True(first.More);
        Assert.Equal(["/p/c"], rest.Items.Select(i => i.Key));
        Assert.False(rest.More);
    }

    [Fact]
    public async Task RangeKeys_ReturnsTheKeysAndRevisionsOfRange_WithLimitAndContinuation()
    {
        foreach (var key in new[] { "/q/c", "/q/a", "/q/b", "/qz" })
        {
            await PutAsync(key, key);
        }

        var full = await Store.RangeAsync("/q/", cancellationToken: TestContext.Current.CancellationToken);
        var first = await Store.RangeKeysAsync("/q/", limit: 2, cancellationToken: TestContext.Current.CancellationToken);
        var rest = await Store.RangeKeysAsync("/q/", limit: 2, startAfter: first.Items[^1].Key, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(full.Items.Select(i => (i.Key, i.ModRevision, i.CreateRevision, i.Version)), first.Items.Concat(rest.Items).Select(i => (i.Key, i.ModRevision, i.CreateRevision, i.Version)));
        Assert.True(first.More);
        Assert.False(rest.More);
    }

    [Fact]
    public async Task ATransactionOfComparesAlone_Succeeds_WithoutMovingTheRevision()
    {
        var token = TestContext.Current.CancellationToken;
        var put = await PutAsync("/only-compares", "v");

        var held = await Store.TxnAsync([new Compare("/only-compares", put.Revision)], [], token);
        var lost = await Store.TxnAsync([new Compare("/only-compares", put.Revision + 1)], [], token);

        Assert.True(held.Succeeded);
        Assert.Equal(put.Revision, held.Revision);
        Assert.False(lost.Succeeded);
        Assert.Equal(put.Revision, await Store.GetRevisionAsync(token));
        Assert.Equal(put.Revision + 1, (await PutAsync("/after-compares", "w")).Revision);
    }

    [Fact]
    public async Task Ranges_WithALimit_AnswerThatManyInKeyOrder_AndMoreOnlyWhenKeysAreLeft()
    {
        var token = TestContext.Current.CancellationToken;
        foreach (var key in new[] { "/l/e", "/l/d", "/l/c", "/l/b", "/l/a", "/lz", "/l0" })
        {
            await PutAsync(key, key);
        }

        // Five keys under the prefix and two just past it, in pages of two. The limit is applied by the store, not
        // by cutting what it read; a page that ends exactly at the last key says that none is left.
        foreach (var keysOnly in new[] { false, true })
        {
            Task<RangeResult> Page(int limit, string? after) => keysOnly
                ? Store.RangeKeysAsync("/l/", limit, after, token)
                : Store.RangeAsync("/l/", limit, after, token);

            var first = await Page(2, null);
            var second = await Page(2, first.Items[^1].Key);
            var last = await Page(2, second.Items[^1].Key);
            var whole = await Page(5, null);

            Assert.Equal(["/l/a", "/l/b"], first.Items.Select(i => i.Key));
            Assert.True(first.More);
            Assert.Equal(["/l/c", "/l/d"], second.Items.Select(i => i.Key));
            Assert.True(second.More);
            Assert.Equal(["/l/e"], last.Items.Select(i => i.Key));
            Assert.False(last.More);
            Assert.Equal(["/l/a", "/l/b", "/l/c", "/l/d", "/l/e"], whole.Items.Select(i => i.Key));
            Assert.False(whole.More);
            if (!keysOnly)
            {
                Assert.All(whole.Items, item => Assert.Equal(item.Key, Encoding.UTF8.GetString(item.Value)));
            }
        }
    }

    [Fact]
    public async Task Range_OrdersKeysByBytes_IncludingNonAscii()
    {
        await PutAsync("/u/é", "1");
        await PutAsync("/u/z", "2");
        await PutAsync("/u/$latest", "3");

        var range = await Store.RangeAsync("/u/", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["/u/$latest", "/u/z", "/u/é"], range.Items.Select(i => i.Key));
    }

    [Fact]
    public async Task DeletePrefix_RemovesOnlyKeysUnderThePrefix()
    {
        await PutAsync("/d/f/1", "1");
        await PutAsync("/d/f/2", "2");
        await PutAsync("/d/f2", "3");

        await Store.TxnAsync([], [new WriteOp.DeletePrefix("/d/f/")], TestContext.Current.CancellationToken);
        var left = await Store.RangeAsync("/d/", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["/d/f2"], left.Items.Select(i => i.Key));
    }

    [Fact]
    public async Task Delete_ThenPut_StartsANewKeyLife()
    {
        await PutAsync("/life", "1");
        await Store.TxnAsync([], [new WriteOp.Delete("/life")], TestContext.Current.CancellationToken);

        var again = await PutAsync("/life", "2");
        var kv = await Store.GetAsync("/life", TestContext.Current.CancellationToken);

        Assert.Equal(again.Revision, kv!.CreateRevision);
        Assert.Equal(1, kv.Version);
    }

    [Fact]
    public async Task ConcurrentCompareAndSwap_HasExactlyOneWinner()
    {
        var put = await PutAsync("/race", "0");

        var attempts = Enumerable.Range(0, 64).Select(i => Store.TxnAsync(
            [new Compare("/race", put.Revision)],
            [new WriteOp.Put("/race", Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
            TestContext.Current.CancellationToken));
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.Succeeded);
    }

    [Fact]
    public async Task Watch_ReplaysFromARevision_ThenFollowsNewChanges()
    {
        var start = (await PutAsync("/w/a", "1")).Revision;
        await PutAsync("/other", "x");
        await Store.TxnAsync([], [new WriteOp.Delete("/w/a")], TestContext.Current.CancellationToken);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(30));
        var seen = new List<WatchEvent>();

        await using var events = Store.WatchAsync("/w/", start, cancel.Token).GetAsyncEnumerator(cancel.Token);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await events.MoveNextAsync());
            seen.Add(events.Current);
        }

        var later = PutAsync("/w/b", "2");
        Assert.True(await events.MoveNextAsync());
        seen.Add(events.Current);
        await later;

        Assert.Equal([WatchEventType.Put, WatchEventType.Delete, WatchEventType.Put], seen.Select(e => e.Type));
        Assert.Equal(["/w/a", "/w/a", "/w/b"], seen.Select(e => e.Kv.Key));
        Assert.Equal("2", Text(seen[2].Kv.Value));
    }
}