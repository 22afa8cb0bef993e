using System.Runtime.CompilerServices;

using MetaService.Core.Storage;
using MetaService.Server.Watch;
using MetaService.Tests.Fixtures;

using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests.Watching;

/// <summary>
/// A watch replayed from the store (its revision is before the server's ring of 4 KiB) when the store's watch under the
/// replay does what a real store's can do between the request's checks and the replay: answer that the revision has been
/// compacted meanwhile (the watcher is told to list again), end (as when the store is disposed: what it gave is sent,
/// then the stream ends), or keep the replay waiting (heartbeats go on meanwhile); and a ring that drops the change the
/// replay stopped at before the watch reads it (here the hub's watch compacted away: the ring starts anew) makes the
/// watch replay on from the store, not end as fallen behind. The server's store is wrapped so that the one watch from
/// the revision asked is the test's.
/// </summary>
public sealed class WatchReplayFaultTests
{
    private const int Rounds = 20;
    private const string Padding = " padding-the-change-so-the-ring-holds-few-of-them";

    [Fact]
    public async Task AReplayTheStoreSaysWasCompactedMeanwhile_EndsWithA410_SayingToListAgain()
    {
        await using var scene = await Scene.StartAsync();
        scene.Store.Replay = Compacted;

        using var stream = await WatchClient.OpenAsync(scene.Api.Client, "?since=" + scene.Since);
        var error = await stream.NextAsync();

        Assert.NotNull(error);
        Assert.Equal("error", error.Event);
        Assert.Equal(410, (int)error.Json["code"]!);
        Assert.Equal($"the store no longer keeps the changes this watch asked for (revision {scene.From} has been compacted; the oldest kept is {scene.From + 5}); list again and watch from the list's X-Meta-Revision",
            (string)error.Json["message"]!);
        Assert.Null(await stream.NextAsync());
    }

    [Fact]
    public async Task AStoreWatchThatEndsDuringAReplay_EndsTheStream_AfterSendingWhatItGave()
    {
        await using var scene = await Scene.StartAsync();
        var until = scene.From + 2;
        scene.Store.Replay = (changes, cancellationToken) => EndingAfter(changes, until, cancellationToken);

        using var stream = await WatchClient.OpenAsync(scene.Api.Client, "?since=" + scene.Since);
        var events = new List<ServerEvent>();
        for (var i = 0; i < 10 && await stream.NextAsync() is { } next; i++)
        {
            events.Add(next);
        }

        Assert.Equal([1, 2, 3], events.Select(e => WatchWrites.Round(e.Json)));
        Assert.Equal([scene.From, scene.From + 1, until], events.Select(e => e.Id));
        Assert.All(events, e => Assert.Equal("put", e.Event));
    }

    [Fact]
    public async Task WhileAReplayWaitsForTheStore_HeartbeatsGoOn()
    {
        await using var scene = await Scene.StartAsync(heartbeatSeconds: "0.05");
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        scene.Store.Replay = (changes, cancellationToken) => HeldUntil(held.Task, changes, cancellationToken);

        using var stream = await WatchClient.OpenAsync(scene.Api.Client, "?since=" + scene.Since);
        var heartbeat = await stream.CommentAfterAsync(1);
        held.SetResult();
        var first = await stream.NextAsync();

        Assert.True(heartbeat, "no heartbeat while the replay waited");
        Assert.NotNull(first);
        Assert.Equal(("put", 1), (first.Event, WatchWrites.Round(first.Json)));
    }

    [Fact]
    public async Task AReplayWhoseLastChangeTheRingDropsBeforeTheWatchReadsIt_ReplaysOnFromTheStore()
    {
        await using var scene = await Scene.StartAsync();
        var other = Names.Faas();
        await scene.Api.CreateOkAsync(Bodies.Faas(other));
        long stoppedAt = 0;
        var droppedBeforeRead = false;
        scene.Store.Replay = (changes, cancellationToken) => OnEnd(changes, async last =>
        {
            // The replay has reached a change past the ring's first and goes to read the ring from it: first, the hub's
            // watch is compacted away, so the ring starts anew after the store's revision and does not hold that change.
            stoppedAt = last;
            scene.Store.CompactTheFollowers();
            await scene.UntilAsync(() => scene.Ring.First > last);
            droppedBeforeRead = true;
        }, cancellationToken);

        using var stream = await WatchClient.OpenAsync(scene.Api.Client, "?since=" + scene.Since);
        var (rounds, _) = await WatchWrites.ReadRoundsAsync(stream, [scene.Name], Rounds);
        var created = await stream.NextAsync();
        // The replay has given everything and waits for the store: the next change is past the ring's first.
        using var deleted = await scene.Api.DeleteAsync(other);
        var gone = await stream.NextAsync();

        Assert.True(droppedBeforeRead, $"the ring still held revision {stoppedAt}, where the replay stopped");
        Assert.Equal(Enumerable.Range(1, Rounds), rounds[scene.Name]);
        Assert.Equal(("put", other), (created?.Event, (string?)created?.Json["name"]));
        Assert.Equal(("delete", other), (gone?.Event, (string?)gone?.Json["name"]));
    }

    /// <summary>The store's changes; when the replay lets go of them, <paramref name="ended"/> runs with the revision of
    /// the last one given.</summary>
    private static async IAsyncEnumerable<WatchEvent> OnEnd(IAsyncEnumerable<WatchEvent> changes, Func<long, Task> ended, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long last = 0;
        try
        {
            await foreach (var change in changes.WithCancellation(cancellationToken))
            {
                last = change.Kv.ModRevision;
                yield return change;
            }
        }
        finally
        {
            await ended(last);
        }
    }

    /// <summary>At its first change, the store says the revision has been compacted (the oldest kept four past it).</summary>
    private static async IAsyncEnumerable<WatchEvent> Compacted(IAsyncEnumerable<WatchEvent> changes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in changes.WithCancellation(cancellationToken))
        {
            throw new RevisionCompactedException(change.Kv.ModRevision, change.Kv.ModRevision + 4);
        }

        yield break;
    }

    /// <summary>The store's changes up to <paramref name="until"/>, all given at once (as the replay already holds them
    /// when the watch ends), then the end.</summary>
    private static async IAsyncEnumerable<WatchEvent> EndingAfter(IAsyncEnumerable<WatchEvent> changes, long until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var given = new List<WatchEvent>();
        await foreach (var change in changes.WithCancellation(cancellationToken))
        {
            if (change.Kv.ModRevision > until)
            {
                break;
            }

            given.Add(change);
        }

        foreach (var change in given)
        {
            yield return change;
        }
    }

    private static async IAsyncEnumerable<WatchEvent> HeldUntil(Task released, IAsyncEnumerable<WatchEvent> changes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await released.WaitAsync(cancellationToken);
        await foreach (var change in changes.WithCancellation(cancellationToken))
        {
            yield return change;
        }
    }

    /// <summary>A server of its own (a ring of 4 KiB) on a wrapped store, with a function created, listed and described
    /// <see cref="Rounds"/> times since: a watch from the list's revision is replayed from the store.</summary>
    private sealed class Scene : IAsyncDisposable
    {
        private readonly MetaServiceFactory _own;
        private readonly WebApplicationFactory<Program> _server;

        private Scene(MetaServiceFactory own, WebApplicationFactory<Program> server, Api api, ReplayStore store, WatchRing ring)
        {
            (_own, _server, Api, Store, Ring) = (own, server, api, store, ring);
        }

        public Api Api { get; }

        public ReplayStore Store { get; }

        public WatchRing Ring { get; }

        public string Name { get; private set; } = "";

        public string Since { get; private set; } = "";

        /// <summary>The first revision the watch asks for: its replay's.</summary>
        public long From => long.Parse(Since, System.Globalization.CultureInfo.InvariantCulture) + 1;

        public static async Task<Scene> StartAsync(string heartbeatSeconds = "15")
        {
            var own = new MetaServiceFactory();
            own.Settings["Watch:RingBytes"] = "4096";
            own.Settings["Watch:HeartbeatSeconds"] = heartbeatSeconds;
            var server = own.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            {
                var made = s.Last(d => d.ServiceType == typeof(IMetaStore)).ImplementationFactory!;
                s.AddSingleton<IMetaStore>(sp => new ReplayStore((IMetaStore)made(sp)));
            }));
            var api = new Api(server.CreateClient());
            var store = (ReplayStore)server.Services.GetRequiredService<IMetaStore>();
            var ring = await server.Services.GetRequiredService<WatchHubs>().Find(WatchKind.Functions)!.RingAsync(TestContext.Current.CancellationToken);
            var scene = new Scene(own, server, api, store, ring);
            var (name, revision, since) = await WatchWrites.CreatedAndListedAsync(api);
            (scene.Name, scene.Since) = (name, since);
            await WatchWrites.DescribeRoundsAsync(api, name, revision, Rounds, Padding);
            await scene.PublishedAsync();
            Assert.True(ring.First > scene.From + Rounds / 2, $"the ring still holds revision {scene.From + Rounds / 2}: its first is {ring.First}");
            store.From = scene.From;
            return scene;
        }

        /// <summary>Waits until the ring has published every revision the store has.</summary>
        public async Task PublishedAsync()
        {
            var revision = await Store.GetRevisionAsync(TestContext.Current.CancellationToken);
            await UntilAsync(() => Ring.Published >= revision);
        }

        /// <summary>Waits until <paramref name="done"/>, woken by the ring (30 s at most).</summary>
        public Task UntilAsync(Func<bool> done) => WatchHubTests.UntilAsync(Ring, done);

        public async ValueTask DisposeAsync()
        {
            Api.Dispose();
            await _server.DisposeAsync();
            await _own.DisposeAsync();
        }
    }

    /// <summary>The server's store, whose one watch from <see cref="From"/> (the replay of the watch under test: the hubs
    /// watch from other revisions) goes through <see cref="Replay"/>; and whose first watches of the function records (the
    /// functions hub's and the catalog's, from revision 1) end as compacted away at <see cref="CompactTheFollowers"/>.</summary>
    private sealed class ReplayStore(IMetaStore inner) : DelegatingStore(inner, ownsInner: true)
    {
        private readonly TaskCompletionSource _compacted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Func<IAsyncEnumerable<WatchEvent>, CancellationToken, IAsyncEnumerable<WatchEvent>>? _replay;

        public long From { get; set; } = -1;

        public Func<IAsyncEnumerable<WatchEvent>, CancellationToken, IAsyncEnumerable<WatchEvent>>? Replay
        {
            get => _replay;
            set => _replay = value;
        }

        public void CompactTheFollowers() => _compacted.TrySetResult();

        public override IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default)
        {
            if (fromRevision == From && Interlocked.Exchange(ref _replay, null) is { } replay)
            {
                return replay(Inner.WatchAsync(prefix, fromRevision, cancellationToken), cancellationToken);
            }

            return fromRevision == 1 && prefix == PlatformKeys.RecordRoot
                ? CompactedLaterAsync(prefix, cancellationToken)
                : Inner.WatchAsync(prefix, fromRevision, cancellationToken);
        }

        private async IAsyncEnumerable<WatchEvent> CompactedLaterAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await using var changes = Inner.WatchAsync(prefix, 1, stop.Token).GetAsyncEnumerator(stop.Token);
            while (true)
            {
                var next = changes.MoveNextAsync().AsTask();
                if (await Task.WhenAny(next, _compacted.Task) != next)
                {
                    await stop.CancelAsync();
                    await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    var revision = await Inner.GetRevisionAsync(cancellationToken);
                    throw new RevisionCompactedException(revision, revision);
                }

                if (!await next)
                {
                    yield break;
                }

                yield return changes.Current;
            }
        }
    }
}