using System.Runtime.CompilerServices;

using MetaService.Core.Storage;
using MetaService.Server.Tests.Observability;
using MetaService.Server.Watch;
using MetaService.Tests.Fixtures;

namespace MetaService.Server.Tests.Watching;

/// <summary>
/// A kind's hub when its store watch fails (here the pool kind's hub over the server's store, whose watch a wrapper
/// breaks once): a lost watch drops the revision it had begun and watches again from the last revision it published,
/// so its ring holds each change once; a watch the store's compaction ends starts the ring anew at the store's
/// revision (what came before is no longer held: its watchers are told to list again) and follows on from there; a
/// start that fails is tried again by the next watcher (one that succeeded is not); a resume from the ring's first
/// revision needs no store. Each fault logged once, with its reason.
/// </summary>
public sealed class WatchHubTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private static readonly WatchFilter All = new("", null, Masked: false);

    [Fact]
    public async Task AWatchLostInsideARevision_IsWatchedAgain_AndTheRingHoldsEachChangeOnce()
    {
        var store = new BrokenOnce(factory.Store, new StoreUnavailableException("the connection dropped"));
        var log = new LogCapture();
        await using var hub = Hub(store, log);
        var ring = await hub.RingAsync(TestContext.Current.CancellationToken);
        var (first, second) = (Id(), Id());

        var written = await PutAsync(first, second);
        var held = await ReadAsync(ring, ring.First, written);

        Assert.Equal([(written, PlatformKeys.Pool(first)), (written, PlatformKeys.Pool(second))], held.Select(c => (c.Revision, c.Key)));
        var lost = Assert.Single(log.Lines, l => l.Contains("watch lost the store", StringComparison.Ordinal));
        Assert.Contains("the podpools watch lost the store and watches again: the connection dropped", lost, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWatchTheStoreCompactedAway_StartsTheRingAnewAtTheStoresRevision_AndFollowsOn()
    {
        var store = new BrokenOnce(factory.Store, new RevisionCompactedException(5, 9), revisionUnavailableOnce: true);
        var log = new LogCapture();
        await using var hub = Hub(store, log);
        var ring = await hub.RingAsync(TestContext.Current.CancellationToken);
        var began = ring.First;

        var compacted = await PutAsync(Id(), Id());
        await UntilAsync(ring, () => ring.First != began);
        var later = Id();
        var written = await PutAsync(later);
        var held = await ReadAsync(ring, compacted + 1, written);

        Assert.Equal(compacted + 1, ring.First);
        Assert.False(ring.Read(began, All, 10).Held);
        Assert.Equal([(written, PlatformKeys.Pool(later))], held.Select(c => (c.Revision, c.Key)));
        var line = Assert.Single(log.Lines, l => l.Contains("fell behind the store's history", StringComparison.Ordinal));
        Assert.Contains("the podpools watch fell behind the store's history and starts anew; its watchers are told to list again: revision 5 has been compacted; the oldest kept is 10", line, StringComparison.Ordinal);
        Assert.Equal(2, store.RevisionsAsked);
    }

    [Fact]
    public async Task AStartThatFails_IsTriedAgainByTheNextWatcher()
    {
        var store = new UnreadableOnce(factory.Store);
        await using var hub = Hub(store, new LogCapture());

        await Assert.ThrowsAsync<StoreUnavailableException>(() => hub.RingAsync(TestContext.Current.CancellationToken));
        var ring = await hub.RingAsync(TestContext.Current.CancellationToken);
        var again = await hub.RingAsync(TestContext.Current.CancellationToken);
        var written = await PutAsync(Id());

        Assert.Same(ring, again);
        Assert.Single(await ReadAsync(ring, ring.First, written));
    }

    /// <summary>A watch may resume right after any revision from the one before the ring's first on, without asking the
    /// store; one earlier only if the store still keeps it (here a store that keeps nothing).</summary>
    [Fact]
    public async Task AResumeFromTheRingsFirstRevision_IsTaken_AndOneEarlierOnlyIfTheStoreKeepsIt()
    {
        await using var hub = Hub(new KeepsNothing(factory.Store), new LogCapture());
        var ring = await hub.RingAsync(TestContext.Current.CancellationToken);

        var atFirst = await hub.ResumesAfterAsync(ring, ring.First - 1, TestContext.Current.CancellationToken);
        var before = await hub.ResumesAfterAsync(ring, ring.First - 2, TestContext.Current.CancellationToken);

        Assert.Equal((true, false), (atFirst, before));
    }

    private static WatchHub Hub(IMetaStore store, LogCapture log) =>
        new(new PoolWatch(), store, new WatchOptions { HeartbeatSeconds = 3600 }, log.CreateLogger("MetaService.Watch"));

    private static string Id() => "hub-" + Guid.NewGuid().ToString("N");

    /// <summary>Puts a pool at each id, in one transaction; answers its revision.</summary>
    private async Task<long> PutAsync(params string[] ids)
    {
        var result = await factory.Store.TxnAsync([], [.. ids.Select(id => new WriteOp.Put(PlatformKeys.Pool(id), "{}"u8.ToArray()))], TestContext.Current.CancellationToken);
        return result.Revision;
    }

    /// <summary>The ring's changes from <paramref name="from"/>, once it has published <paramref name="until"/>.</summary>
    private static async Task<List<WatchChange>> ReadAsync(WatchRing ring, long from, long until)
    {
        await UntilAsync(ring, () => ring.Published >= until);
        var read = ring.Read(from, All, 100);
        Assert.True(read.Held, "the ring no longer holds the position read");
        return [.. read.Changes];
    }

    /// <summary>Waits until <paramref name="done"/>, woken by the ring (30 s at most).</summary>
    internal static async Task UntilAsync(WatchRing ring, Func<bool> done)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var signal = ring.Signal;
            if (done())
            {
                return;
            }

            await signal.WaitAsync(bound.Token);
        }
    }

    /// <summary>The first watch passes one change on and then fails with <paramref name="fault"/> (the next change being
    /// of the same revision, the revision is left unfinished); later watches pass everything. With
    /// <paramref name="revisionUnavailableOnce"/>, the first ask for the store's revision after that fails as an
    /// unreachable store does.</summary>
    private sealed class BrokenOnce(IMetaStore inner, Exception fault, bool revisionUnavailableOnce = false) : DelegatingStore(inner)
    {
        private int _watches;
        private int _broken;
        private int _asked;

        public int RevisionsAsked => Volatile.Read(ref _asked);

        public override IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _watches) == 1 ? BreakAsync(prefix, fromRevision, cancellationToken) : Inner.WatchAsync(prefix, fromRevision, cancellationToken);

        public override async Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _asked) == 1 && revisionUnavailableOnce && Volatile.Read(ref _broken) == 1)
            {
                throw new StoreUnavailableException("the store is restarting");
            }

            return await Inner.GetRevisionAsync(cancellationToken);
        }

        private async IAsyncEnumerable<WatchEvent> BreakAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var passed = 0;
            await foreach (var change in Inner.WatchAsync(prefix, fromRevision, cancellationToken))
            {
                if (passed++ == 1)
                {
                    Volatile.Write(ref _broken, 1);
                    throw fault;
                }

                yield return change;
            }
        }
    }

    /// <summary>A store that has compacted away every revision before its current one.</summary>
    private sealed class KeepsNothing(IMetaStore inner) : DelegatingStore(inner)
    {
        public override Task<bool> KeepsRevisionAsync(long revision, CancellationToken cancellationToken = default) => Task.FromResult(false);
    }

    /// <summary>The first read of a range fails as an unreachable store does: the hub's start.</summary>
    private sealed class UnreadableOnce(IMetaStore inner) : DelegatingStore(inner)
    {
        private int _ranges;

        public override Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _ranges) == 1
                ? throw new StoreUnavailableException("the store is restarting")
                : Inner.RangeAsync(prefix, limit, startAfter, cancellationToken);
    }
}