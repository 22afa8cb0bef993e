using System.Runtime.CompilerServices;
using System.Text;

using Etcdserverpb;

using Grpc.Net.Client;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Tests.Fixtures;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>
/// Watches through the view: served from its change feed while inside it, from etcd's own watch before it, and
/// never with a silent gap, whatever happens to the view's own watch. Every expectation is etcd's own watch from
/// the same revision.
/// </summary>
[Collection(EtcdGroup.Name)]
public sealed class ViewWatchTests(EtcdFixture etcd) : IAsyncLifetime
{
    private readonly string _prefix = "test-" + Guid.NewGuid().ToString("N")[..8];
    private readonly CancellationTokenSource _bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly List<IAsyncDisposable> _owned = [];

    private CancellationToken Bound => _bound.Token;

    public ValueTask InitializeAsync()
    {
        // Against a hang only (a watch that never delivers): no assertion is about time.
        _bound.CancelAfter(TimeSpan.FromMinutes(2));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _bound.Dispose();
    }

    [Fact]
    public async Task Watch_SeesEveryChange_ThroughTheViewAndAnotherClient_InOrder_WithoutLossOrDuplicates()
    {
        var (view, _) = await ViewAsync();
        var other = Other();
        var start = await view.GetRevisionAsync(Bound) + 1;
        var watched = Collect(view.WatchAsync("/repo/f/", start, Bound), Marker);

        for (var i = 0; i < 40; i++)
        {
            var store = i % 2 == 0 ? view : other;
            await store.TxnAsync([], [Put($"/repo/f/{i % 7}", $"v{i}"), Put($"/repo/g/{i}", "elsewhere"), Put($"/sn/{i}", "outside")], Bound);
            if (i % 5 == 4)
            {
                await store.TxnAsync([], [new WriteOp.Delete($"/repo/f/{i % 7}")], Bound);
            }

            if (i % 13 == 12)
            {
                await store.TxnAsync([], [new WriteOp.DeletePrefix("/repo/f/")], Bound);
            }
        }

        await other.TxnAsync([], [Put(Marker, "end")], Bound);

        Assert.Equal(await ExpectedAsync("/repo/f/", start), await watched);
    }

    [Fact]
    public async Task Watch_FromBeforeTheFeed_IsServedByEtcd_ThenGoesOnFromTheFeed()
    {
        var other = Other();
        var start = (await other.TxnAsync([], [Put("/repo/f/early", "1")], Bound)).Revision;
        await other.TxnAsync([], [Put("/repo/f/early", "2"), Put("/repo/f/early2", "3")], Bound);
        var (view, _) = await ViewAsync();
        var watched = Collect(view.WatchAsync("/repo/f/", start, Bound), Marker);

        await view.TxnAsync([], [Put("/repo/f/late", "4")], Bound);
        await other.TxnAsync([], [new WriteOp.Delete("/repo/f/early")], Bound);
        await view.TxnAsync([], [Put(Marker, "end")], Bound);

        var seen = await watched;
        Assert.Equal(await ExpectedAsync("/repo/f/", start), seen);
        Assert.StartsWith("Put /repo/f/early", seen[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_TooSlowForATinyFeed_GoesOnFromEtcd_WithoutLossOrDuplicates()
    {
        var (view, _) = await ViewAsync(feedBytes: 1);
        var other = Other();
        var start = await view.GetRevisionAsync(Bound) + 1;
        await using var changes = view.WatchAsync("/repo/f/", start, Bound).GetAsyncEnumerator(Bound);
        var seen = new List<string>();

        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < 6; i++)
            {
                await (i % 2 == 0 ? view : other).TxnAsync([], [Put($"/repo/f/{i}", $"r{round}")], Bound);
            }

            // Read only part of what came: the rest falls out of the feed before it is read.
            for (var i = 0; i < 4; i++)
            {
                Assert.True(await changes.MoveNextAsync());
                seen.Add(Describe(changes.Current));
            }
        }

        await other.TxnAsync([], [Put(Marker, "end")], Bound);
        await ReadToMarkerAsync(changes, seen);

        Assert.Equal(await ExpectedAsync("/repo/f/", start), seen);
    }

    [Fact]
    public async Task ViewReadAnew_AWatcherLeftBehind_GoesOnWithoutAGap()
    {
        var (view, inner) = await ViewAsync();
        var other = Other();
        var start = await view.GetRevisionAsync(Bound) + 1;
        await using var changes = view.WatchAsync("/repo/f/", start, Bound).GetAsyncEnumerator(Bound);
        await view.TxnAsync([], [Put("/repo/f/a", "1")], Bound);
        Assert.True(await changes.MoveNextAsync());

        await inner.BreakWatchesAsync(Bound);
        await other.TxnAsync([], [Put("/repo/f/b", "2")], Bound);
        await other.TxnAsync([], [new WriteOp.Delete("/repo/f/a"), Put("/repo/f/c", "3")], Bound);
        inner.ReleaseReads();
        await view.TxnAsync([], [Put("/repo/f/d", "4")], Bound); // returns once the view, read anew, has it
        await other.TxnAsync([], [Put(Marker, "end")], Bound);

        var seen = new List<string> { Describe(changes.Current) };
        await ReadToMarkerAsync(changes, seen);

        Assert.Equal(await ExpectedAsync("/repo/f/", start), seen);
        Assert.Equal(2, inner.Loads); // the view did lose its watch and read anew, once
    }

    [Fact]
    public async Task ViewReadAnew_AWatcherLeftBehindCompactedHistory_IsToldSo()
    {
        var (view, inner) = await ViewAsync();
        var other = Other();
        var start = await view.GetRevisionAsync(Bound) + 1;
        await using var changes = view.WatchAsync("/repo/f/", start, Bound).GetAsyncEnumerator(Bound);
        await view.TxnAsync([], [Put("/repo/f/a", "1")], Bound);
        Assert.True(await changes.MoveNextAsync());
        var first = Describe(changes.Current);

        await inner.BreakWatchesAsync(Bound);
        await other.TxnAsync([], [Put("/repo/f/b", "2")], Bound);
        var last = await other.TxnAsync([], [Put("/repo/f/c", "3")], Bound);
        await CompactAsync(last.Revision);
        inner.ReleaseReads();
        await view.TxnAsync([], [Put("/repo/f/d", "4")], Bound);

        await Assert.ThrowsAsync<RevisionCompactedException>(async () => await changes.MoveNextAsync());
        Assert.StartsWith("Put /repo/f/a ", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_OverTheView_StaysExact_ThroughWritesElsewhere_ALostWatch_AndCompaction()
    {
        var (view, inner) = await ViewAsync();
        var other = Other();
        var catalog = new FunctionCatalog(view, TimeProvider.System);
        _owned.Add(catalog);
        var tenant = new Tenant("t1");
        var records = "/repo/FunctionVersion/yrk/t1/";
        await view.TxnAsync([], [Put($"{records}/f0/$latest/", "x")], Bound);
        catalog.Start();

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 12; i++)
            {
                var store = i % 3 == 0 ? other : view;
                var key = $"{records}/f{i % 5}/{(i % 2 == 0 ? "$latest" : "v1")}/";
                var result = await store.TxnAsync([], i % 4 == 3 ? [new WriteOp.Delete(key)] : [Put(key, $"{round}.{i}")], Bound);
                await catalog.WaitForAsync(result.Revision, Bound);
            }

            // The view loses its watch; meanwhile records change elsewhere (and, in the last round, etcd compacts
            // them away, so the catalog has to read anew).
            await inner.BreakWatchesAsync(Bound);
            await other.TxnAsync([], [Put($"{records}/lost{round}/$latest/", "y")], Bound);
            var gone = await other.TxnAsync([], [new WriteOp.DeletePrefix($"{records}/f{round}/")], Bound);
            if (round == 2)
            {
                await CompactAsync(gone.Revision);
            }

            inner.ReleaseReads();
        }

        var final = await view.TxnAsync([], [Put($"{records}/final/$latest/", "z")], Bound);
        await catalog.WaitForAsync(final.Revision, Bound);

        var stored = await other.RangeKeysAsync(records, cancellationToken: Bound);
        var held = await catalog.MatchAsync(tenant, null, null, Bound);
        Assert.Equal(
            stored.Items.Select(kv => $"{kv.Key} {kv.ModRevision}").Order(StringComparer.Ordinal),
            held.Select(e => $"{e.Key} {e.ModRevision}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Catalog_OverTheView_FollowsTheFeed_WithoutAWatchOfItsOwn()
    {
        var (view, inner) = await ViewAsync();
        var catalog = new FunctionCatalog(view, TimeProvider.System);
        _owned.Add(catalog);
        catalog.Start();

        for (var i = 0; i < 5; i++)
        {
            var result = await view.TxnAsync([], [Put($"/repo/FunctionVersion/yrk/t1//f{i}/$latest/", "x")], Bound);
            await catalog.WaitForAsync(result.Revision, Bound);
        }

        Assert.Equal(5, (await catalog.MatchAsync(new Tenant("t1"), null, null, Bound)).Count);
        Assert.Equal(1, inner.Watches); // the view's own
    }

    [Fact]
    public async Task Catalog_StartedBeforeTheView_MovesOntoTheFeed_AndStaysExact()
    {
        var inner = new BreakableStore(etcd.Open(_prefix));
        var view = new WatchedView(inner, new WatchedViewOptions { CachedPrefixes = ["/repo/"] }, TimeProvider.System, NullLogger<WatchedView>.Instance);
        _owned.Add(view);
        var other = Other();
        var records = "/repo/FunctionVersion/yrk/t1/";
        var first = await other.TxnAsync([], [Put($"{records}/f0/$latest/", "0")], Bound);
        var catalog = new FunctionCatalog(view, TimeProvider.System);
        _owned.Add(catalog);
        catalog.Start();
        await catalog.WaitForAsync(first.Revision, Bound); // loaded through the view not yet started: from etcd

        await other.TxnAsync([], [Put($"{records}/f1/$latest/", "1")], Bound);
        await view.StartAsync(Bound);
        var last = await view.TxnAsync([], [Put($"{records}/f2/$latest/", "2")], Bound);
        await catalog.WaitForAsync(last.Revision, Bound);

        var stored = await other.RangeKeysAsync(records, cancellationToken: Bound);
        var held = await catalog.MatchAsync(new Tenant("t1"), null, null, Bound);
        Assert.Equal(
            stored.Items.Select(kv => $"{kv.Key} {kv.ModRevision}").Order(StringComparer.Ordinal),
            held.Select(e => $"{e.Key} {e.ModRevision}").Order(StringComparer.Ordinal));
        Assert.Equal(1, inner.OpenWatches); // the view's own: the catalog's etcd watch ended when the feed took over
    }

    [Fact]
    public async Task Catalog_OverTheServersView_WatchesEtcdItself_ResumesALostWatchWithoutReadingAnew_AndStaysExact()
    {
        // As the server composes it: the view caches the pools only, so the catalog's records are neither held by the
        // view nor fed through it. A lost watch is watched again from where it broke (no fresh read of the keys); only
        // history etcd has compacted away makes the catalog read anew.
        var inner = new BreakableStore(etcd.Open(_prefix));
        var view = new WatchedView(inner, new WatchedViewOptions { ResyncDelay = TimeSpan.FromMilliseconds(10) }, TimeProvider.System, NullLogger<WatchedView>.Instance);
        _owned.Add(view);
        await view.StartAsync(Bound);
        var other = Other();
        var catalog = new FunctionCatalog(view, TimeProvider.System);
        _owned.Add(catalog);
        var records = "/repo/FunctionVersion/yrk/t1/";
        await catalog.WaitForAsync((await view.TxnAsync([], [Put($"{records}/f0/$latest/", "x")], Bound)).Revision, Bound);
        var loaded = inner.Loads;
        var loadsAfterLostWatches = 0;

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 8; i++)
            {
                var store = i % 2 == 0 ? other : view;
                var key = $"{records}/f{i % 4}/{(i % 3 == 0 ? "$latest" : "v1")}/";
                var result = await store.TxnAsync([], i % 4 == 3 ? [new WriteOp.Delete(key)] : [Put(key, $"{round}.{i}")], Bound);
                await catalog.WaitForAsync(result.Revision, Bound);
            }

            await inner.BreakWatchesAsync(Bound);
            await other.TxnAsync([], [Put($"{records}/lost{round}/$latest/", "y")], Bound);
            var gone = await other.TxnAsync([], [new WriteOp.DeletePrefix($"{records}/f{round}/")], Bound);
            if (round == 2)
            {
                loadsAfterLostWatches = inner.Loads;
                await CompactAsync(gone.Revision);
            }

            inner.ReleaseReads();
            if (round < 2)
            {
                await catalog.WaitForAsync(gone.Revision, Bound);
            }
        }

        var final = await view.TxnAsync([], [Put($"{records}/final/$latest/", "z")], Bound);
        await catalog.WaitForAsync(final.Revision, Bound);

        var stored = await other.RangeKeysAsync(records, cancellationToken: Bound);
        var held = await catalog.MatchAsync(new Tenant("t1"), null, null, Bound);
        Assert.Equal(
            stored.Items.Select(kv => $"{kv.Key} {kv.ModRevision}").Order(StringComparer.Ordinal),
            held.Select(e => $"{e.Key} {e.ModRevision}").Order(StringComparer.Ordinal));
        Assert.Equal(loaded + 2, loadsAfterLostWatches); // the view's fresh reads of its pools after the first two lost watches (the third is held): none of the catalog's
    }

    private const string Marker = "/repo/f/~marker";

    private static WriteOp.Put Put(string key, string value) => new WriteOp.Put(key, Encoding.UTF8.GetBytes(value));

    private static string Describe(WatchEvent change) =>
        $"{change.Type} {change.Kv.Key} {change.Kv.ModRevision} {Encoding.UTF8.GetString(change.Kv.Value)}";

    /// <summary>Another client of the same etcd keys, beside the view.</summary>
    private IMetaStore Other() => Own<IMetaStore>(etcd.Open(_prefix));

    private T Own<T>(T owned)
        where T : IAsyncDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    private async Task<(WatchedView View, BreakableStore Inner)> ViewAsync(long feedBytes = 16L << 20)
    {
        var inner = new BreakableStore(etcd.Open(_prefix));
        var view = new WatchedView(
            inner,
            new WatchedViewOptions { CachedPrefixes = ["/repo/"], ChangeFeedBytes = feedBytes, ResyncDelay = TimeSpan.FromMilliseconds(10) },
            TimeProvider.System,
            NullLogger<WatchedView>.Instance);
        _owned.Add(view);
        await view.StartAsync(Bound);
        return (view, inner);
    }

    /// <summary>What etcd's own watch gives from <paramref name="start"/> up to the marker.</summary>
    private async Task<List<string>> ExpectedAsync(string prefix, long start)
    {
        await using var store = etcd.Open(_prefix);
        return await Collect(store.WatchAsync(prefix, start, Bound), Marker);
    }

    /// <summary>Reads on from where <paramref name="seen"/> ends until the marker's put.</summary>
    private static async Task ReadToMarkerAsync(IAsyncEnumerator<WatchEvent> changes, List<string> seen)
    {
        while (!seen[^1].StartsWith($"Put {Marker} ", StringComparison.Ordinal))
        {
            Assert.True(await changes.MoveNextAsync());
            seen.Add(Describe(changes.Current));
        }
    }

    private static async Task<List<string>> Collect(IAsyncEnumerable<WatchEvent> changes, string marker)
    {
        var seen = new List<string>();
        await foreach (var change in changes)
        {
            seen.Add(Describe(change));
            if (change.Kv.Key == marker)
            {
                return seen;
            }
        }

        return seen;
    }

    private async Task CompactAsync(long revision)
    {
        using var channel = GrpcChannel.ForAddress(etcd.Cluster.ClientUrls[0]);
        await new KV.KVClient(channel).CompactAsync(new CompactionRequest { Revision = revision, Physical = true }, cancellationToken: Bound);
    }

    /// <summary>
    /// The store below a view whose watches the test can break: <see cref="BreakWatchesAsync"/> fails every watch
    /// open now and holds the view's fresh read until <see cref="ReleaseReads"/>, so the test decides what changes
    /// while the view has no watch. Watches opened later (a watcher falling back to the store) are not broken.
    /// </summary>
    private sealed class BreakableStore(IMetaStore inner) : DelegatingStore(inner, ownsInner: true)
    {
        private readonly Lock _lock = new();
        private CancellationTokenSource _breaker = new();
        private TaskCompletionSource? _held;
        private TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _loads;
        private int _watches;
        private int _open;

        /// <summary>How many full reads the view made (one at start, one per lost watch).</summary>
        public int Loads => Volatile.Read(ref _loads);

        /// <summary>How many watches were opened on the store.</summary>
        public int Watches => Volatile.Read(ref _watches);

        /// <summary>How many watches are open on the store now.</summary>
        public int OpenWatches => Volatile.Read(ref _open);

        /// <summary>Breaks the watches open now and returns once the view, having lost its watch, asks to read anew
        /// (and is held there).</summary>
        public async Task BreakWatchesAsync(CancellationToken cancellationToken)
        {
            Task reading;
            CancellationTokenSource breaker;
            lock (_lock)
            {
                _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                reading = _reading.Task;
                breaker = _breaker;
                _breaker = new CancellationTokenSource();
            }

            await breaker.CancelAsync();
            await reading.WaitAsync(cancellationToken);
        }

        public void ReleaseReads()
        {
            lock (_lock)
            {
                _held?.TrySetResult();
                _held = null;
            }
        }

        public override async Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
        {
            Task? held;
            lock (_lock)
            {
                held = _held?.Task;
                _reading.TrySetResult();
            }

            if (held is not null)
            {
                await held.WaitAsync(cancellationToken);
            }

            Interlocked.Increment(ref _loads);
            return await Inner.RangeAsync(prefix, limit, startAfter, cancellationToken);
        }

        public override IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _watches);
            lock (_lock)
            {
                return WatchUntilBrokenAsync(prefix, fromRevision, _breaker.Token, cancellationToken);
            }
        }

        public override async ValueTask DisposeAsync()
        {
            ReleaseReads();
            await base.DisposeAsync();
        }

        private async IAsyncEnumerable<WatchEvent> WatchUntilBrokenAsync(string prefix, long fromRevision, CancellationToken broken, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(broken, cancellationToken);
            await using var changes = Inner.WatchAsync(prefix, fromRevision, both.Token).GetAsyncEnumerator(both.Token);
            Interlocked.Increment(ref _open);
            using var closed = new Closed(() => Interlocked.Decrement(ref _open));
            while (true)
            {
                bool moved;
                try
                {
                    moved = await changes.MoveNextAsync();
                }
                catch (OperationCanceledException) when (broken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new StoreUnavailableException("the watch was broken by the test");
                }

                if (!moved)
                {
                    yield break;
                }

                yield return changes.Current;
            }
        }

        private sealed class Closed(Action close) : IDisposable
        {
            public void Dispose() => close();
        }
    }
}