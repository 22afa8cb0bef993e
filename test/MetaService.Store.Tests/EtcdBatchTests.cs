using System.Text;

using MetaService.Core.Storage;
using MetaService.Etcd;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>
/// Group commit on etcd: transactions that wait for the one call in flight go together in the next Txn. Every
/// test starts its transactions without awaiting them, so they are waiting before the first call returns; but that
/// call returns on another thread, and on a loaded machine it can return while the test is still starting them.
/// Those then split over two calls, so a test that needs them together runs its scenario again, on a new key prefix,
/// until they were (<see cref="UntilTogetherAsync"/>), and every other assertion holds however they split.
/// </summary>
[Collection(EtcdGroup.Name)]
public sealed class EtcdBatchTests(EtcdFixture etcd) : IAsyncDisposable
{
    private readonly List<EtcdMetaStore> _stores = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitingTransactions_OnDisjointKeys_AllCommit_InFewerRevisions()
    {
        var (store, results) = await UntilTogetherAsync(
            async store => await Task.WhenAll(Enumerable.Range(0, 64).Select(i => store.TxnAsync([Compare.Absent($"/k/{i}")], [Put($"/k/{i}", $"v{i}")], Token))),
            results => results.Select(r => r.Revision).Distinct().Count() <= 3); // the first alone, then at most 32 per call

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.All(results.GroupBy(r => r.Revision), call => Assert.InRange(call.Count(), 1, 32));
        var range = await store.RangeAsync("/k/", cancellationToken: Token);
        Assert.Equal(64, range.Items.Count);
        Assert.All(range.Items, kv => Assert.Equal("v" + kv.Key["/k/".Length..], Encoding.UTF8.GetString(kv.Value)));
        Assert.All(range.Items, kv => Assert.Equal(results[int.Parse(kv.Key["/k/".Length..], System.Globalization.CultureInfo.InvariantCulture)].Revision, kv.ModRevision));
    }

    [Fact]
    public async Task AMemberWhoseCompareFails_LeavesTheOthersOfItsBatchCommitted()
    {
        var (store, results) = await UntilTogetherAsync(
            async store =>
            {
                var a = await store.TxnAsync([], [Put("/m/a", "0"), Put("/m/b", "0"), Put("/m/c", "0")], Token);
                var first = store.TxnAsync([], [Put("/m/first", "x")], Token);
                var good = store.TxnAsync([new Compare("/m/a", a.Revision)], [Put("/m/a", "1")], Token);
                var stale = store.TxnAsync([new Compare("/m/b", a.Revision - 1)], [Put("/m/b", "1")], Token);
                var alsoGood = store.TxnAsync([new Compare("/m/c", a.Revision)], [Put("/m/c", "1")], Token);
                await first;
                return await Task.WhenAll(good, stale, alsoGood);
            },
            results => results.Select(r => r.Revision).Distinct().Count() == 1);

        Assert.Equal([true, false, true], results.Select(r => r.Succeeded));
        Assert.Equal("1", await ValueAsync(store, "/m/a"));
        Assert.Equal("0", await ValueAsync(store, "/m/b"));
        Assert.Equal("1", await ValueAsync(store, "/m/c"));
    }

    [Fact]
    public async Task TwoWaitingSwapsOfOneKey_GoInTurn_AndExactlyOneWins()
    {
        var store = Open();
        var created = await store.TxnAsync([], [Put("/s/x", "0")], Token);

        var first = store.TxnAsync([], [Put("/s/other", "x")], Token);
        var swaps = Enumerable.Range(1, 8).Select(i => store.TxnAsync([new Compare("/s/x", created.Revision)], [Put("/s/x", $"{i}")], Token)).ToList();
        await first;
        var results = await Task.WhenAll(swaps);

        var winner = Assert.Single(results, r => r.Succeeded);
        Assert.Equal($"{results.ToList().IndexOf(winner) + 1}", await ValueAsync(store, "/s/x"));
    }

    /// <summary>A member's compared keys count as its keys: one that only compares a key an earlier member writes waits
    /// for the next call, and is judged after that write, as if they ran one after the other (etcd judges every member of
    /// a batch on the state before it).</summary>
    [Fact]
    public async Task AMemberComparingAKey_AnEarlierMemberWrites_WaitsForTheNextCall_AndIsJudgedAfterThatWrite()
    {
        var (store, results) = await UntilTogetherAsync(
            async store =>
            {
                var created = await store.TxnAsync([], [Put("/cw/x", "0")], Token);
                var first = store.TxnAsync([], [Put("/cw/first", "x")], Token);
                var write = store.TxnAsync([], [Put("/cw/x", "1")], Token);
                var guarded = store.TxnAsync([new Compare("/cw/x", created.Revision)], [Put("/cw/y", "1")], Token);
                var other = store.TxnAsync([], [Put("/cw/z", "1")], Token);
                await first;
                return await Task.WhenAll(write, guarded, other);
            },
            results => results[0].Revision == results[2].Revision);

        Assert.Equal([true, false, true], results.Select(r => r.Succeeded));
        Assert.Null(await store.GetAsync("/cw/y", Token));
        Assert.Equal("1", await ValueAsync(store, "/cw/x"));
    }

    [Fact]
    public async Task AMemberSharingOneOfItsKeys_WithAnEarlierMember_WaitsForTheNextCall_AndTheOthersStillGoTogether()
    {
        var (store, results) = await UntilTogetherAsync(
            async store =>
            {
                var first = store.TxnAsync([], [Put("/o/first", "x")], Token);
                var a = store.TxnAsync([], [Put("/o/a", "1")], Token);
                var b = store.TxnAsync([], [Put("/o/b", "1"), Put("/o/a", "2")], Token); // shares /o/a, not /o/b
                var c = store.TxnAsync([], [Put("/o/c", "1")], Token);
                await first;
                return await Task.WhenAll(a, b, c);
            },
            results => results[0].Revision == results[2].Revision);

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.True(results[1].Revision > results[0].Revision);
        Assert.Equal("2", await ValueAsync(store, "/o/a"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task APrefixDelete_GoesAlone_AndTheOthersStillBatch(int prefixes)
    {
        var (store, (deleted, put)) = await UntilTogetherAsync(
            async store =>
            {
                await store.TxnAsync([], [Put("/d/gone/1", "x"), Put("/d/gone/2", "x")], Token);
                var first = store.TxnAsync([], [Put("/d/first", "x")], Token);
                var delete = store.TxnAsync([], [.. Enumerable.Range(0, prefixes).Select(i => new WriteOp.DeletePrefix(i == 0 ? "/d/gone/" : $"/d/gone{i}/"))], Token);
                var puts = Enumerable.Range(0, 4).Select(i => store.TxnAsync([], [Put($"/d/p{i}", "x")], Token)).ToList();
                await first;
                return (await delete, await Task.WhenAll(puts));
            },
            outcome => outcome.Item2.Select(p => p.Revision).Distinct().Count() == 1);

        Assert.True(deleted.Succeeded);
        Assert.Empty((await store.RangeAsync("/d/gone/", cancellationToken: Token)).Items);
        Assert.DoesNotContain(put, p => p.Revision == deleted.Revision);
    }

    [Fact]
    public async Task AWaitingTransactionCancelled_IsNotWritten()
    {
        var store = Open();
        using var cancel = new CancellationTokenSource();

        var first = store.TxnAsync([], [Put("/c/first", "x")], Token);
        var cancelled = store.TxnAsync([], [Put("/c/cancelled", "x")], cancel.Token);
        await cancel.CancelAsync();
        await first;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Null(await store.GetAsync("/c/cancelled", Token));
    }

    [Fact]
    public async Task ATransactionCancelledBeforeItIsCalled_IsNotWritten_AndTheNextOneIs()
    {
        var store = Open();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.TxnAsync([], [Put("/c0/cancelled", "x")], cancel.Token));
        var next = await store.TxnAsync([], [Put("/c0/next", "x")], Token);

        Assert.True(next.Succeeded);
        Assert.Null(await store.GetAsync("/c0/cancelled", Token));
        Assert.NotNull(await store.GetAsync("/c0/next", Token));
    }

    [Fact]
    public async Task AWatch_SeesEveryMemberOfABatch_AtTheBatchRevision()
    {
        var (store, (start, members)) = await UntilTogetherAsync(
            async store =>
            {
                var start = await store.GetRevisionAsync(Token);
                var first = store.TxnAsync([], [Put("/w/first", "x")], Token);
                var members = Enumerable.Range(0, 5).Select(i => store.TxnAsync([], [Put($"/w/{i}", "x")], Token)).ToList();
                await first;
                return (start, await Task.WhenAll(members));
            },
            outcome => outcome.Item2.Select(r => r.Revision).Distinct().Count() == 1);

        var seen = new List<WatchEvent>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        stop.CancelAfter(TimeSpan.FromSeconds(20));
        await foreach (var change in store.WatchAsync("/w/", start + 1, stop.Token))
        {
            seen.Add(change);
            if (seen.Count == 6)
            {
                break;
            }
        }

        Assert.Equal(5, seen.Count(e => e.Kv.ModRevision == members[0].Revision));
    }

    [Fact]
    public async Task WithABatchLimitOfOne_EveryTransactionHasItsOwnRevision()
    {
        var store = Open(batchLimit: 1);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.TxnAsync([], [Put($"/one/{i}", "x")], Token)));

        Assert.Equal(8, results.Select(r => r.Revision).Distinct().Count());
    }

    [Fact]
    public async Task AMemberEtcdRefuses_FailsAlone_AndTheRestOfItsBatchCommits()
    {
        var store = Open();

        var first = store.TxnAsync([], [Put("/r/first", "x")], Token);
        var good = Enumerable.Range(0, 3).Select(i => store.TxnAsync([], [Put($"/r/{i}", "x")], Token)).ToList();
        var refused = store.TxnAsync([], [Put("/r/twice", "x"), new WriteOp.Delete("/r/twice")], Token); // etcd: duplicate key
        await first;

        Assert.All(await Task.WhenAll(good), r => Assert.True(r.Succeeded));
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => refused);
        Assert.Contains("duplicate key", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await store.RangeAsync("/r/", cancellationToken: Token)).Items.Count(kv => kv.Key != "/r/first"));
    }

    [Fact]
    public async Task OnAnEtcdWithALowerTxnLimit_ABatchItRefuses_IsSentMemberByMember()
    {
        await using var small = await Etcd.Testing.EtcdCluster.StartAsync(1, tls: false, ["--max-txn-ops=4"], Token);
        var store = new EtcdMetaStore(new EtcdStoreOptions { Endpoints = small.ClientUrls, TxnsInFlight = 1 }, TimeProvider.System, NullLogger<EtcdMetaStore>.Instance);
        _stores.Add(store);

        var first = store.TxnAsync([], [Put("/l/first", "x")], Token);
        var puts = Enumerable.Range(0, 8).Select(i => store.TxnAsync([], [Put($"/l/{i}", "x")], Token)).ToList();
        await first;
        var results = await Task.WhenAll(puts);

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(8, results.Select(r => r.Revision).Distinct().Count());
        Assert.Equal(9, (await store.RangeAsync("/l/", cancellationToken: Token)).Items.Count);
    }

    [Theory]
    [InlineData(0, 32, "TxnsInFlight")]
    [InlineData(1, 0, "TxnBatchLimit")]
    [InlineData(1, 65, "TxnBatchLimit")]
    public void BatchSettingsOutOfRange_AreRefused_Naming(int inFlight, int batchLimit, string setting)
    {
        var options = new EtcdStoreOptions { Endpoints = ["http://127.0.0.1:2379"], TxnsInFlight = inFlight, TxnBatchLimit = batchLimit };

        Assert.Contains(options.Problems(), p => p.Contains("Store:Etcd:" + setting, StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    private static WriteOp.Put Put(string key, string value) => new(key, Encoding.UTF8.GetBytes(value));

    private static async Task<string?> ValueAsync(EtcdMetaStore store, string key) =>
        await store.GetAsync(key, Token) is { } kv ? Encoding.UTF8.GetString(kv.Value) : null;

    /// <summary>Runs <paramref name="scenario"/> on a new store (a new key prefix) until <paramref name="together"/>
    /// says the transactions it started went together, at most five times; fails loudly if they never did.</summary>
    private async Task<(EtcdMetaStore Store, T Outcome)> UntilTogetherAsync<T>(Func<EtcdMetaStore, Task<T>> scenario, Func<T, bool> together)
    {
        const int Attempts = 5;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var store = Open();
            var outcome = await scenario(store);
            if (together(outcome))
            {
                return (store, outcome);
            }
        }

        throw Xunit.Sdk.FailException.ForFailure(
            $"in {Attempts} attempts the transactions never went together as the test needs: the batcher split them (or, every time, the first call returned before they were all started)");
    }

    private EtcdMetaStore Open(int batchLimit = 32)
    {
        var store = new EtcdMetaStore(
            new EtcdStoreOptions
            {
                Endpoints = etcd.Cluster.ClientUrls,
                KeyPrefix = "batch-" + Guid.NewGuid().ToString("N")[..8],
                TxnsInFlight = 1,
                TxnBatchLimit = batchLimit,
            },
            TimeProvider.System,
            NullLogger<EtcdMetaStore>.Instance);
        _stores.Add(store);
        return store;
    }
}