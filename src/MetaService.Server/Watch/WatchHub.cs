using MetaService.Core.Storage;

namespace MetaService.Server.Watch;

/// <summary>
/// One store watch per kind for the whole server, started with the host (<see cref="WatchStarter"/>) or else by its first
/// watcher, from the revision the kind's lists answer: it renders each change once into the kind's
/// <see cref="WatchRing"/>, which every watcher of the kind reads by position. A lost watch is watched again from the
/// last revision it published; history the store has compacted away resets the ring (its watchers are told to list
/// again). A timer ticks the ring every heartbeat, so idle watchers can keep their streams open.
/// </summary>
internal sealed partial class WatchHub(WatchKind kind, IMetaStore store, WatchOptions options, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task<WatchRing>? _started;
    private Task? _follow;
    private Task? _ticker;

    public WatchKind Kind => kind;

    public IMetaStore Store => store;

    /// <summary>Whether a watch can start right after revision <paramref name="after"/>: the ring still holds what
    /// follows it, or the store still keeps it to replay from.</summary>
    public async ValueTask<bool> ResumesAfterAsync(WatchRing ring, long after, CancellationToken cancellationToken) =>
        after + 1 >= ring.First || await store.KeepsRevisionAsync(after, cancellationToken);

    /// <summary>The ring, once the hub follows the store. A start that failed is tried again by the next watcher.</summary>
    public Task<WatchRing> RingAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_started is null or { IsFaulted: true })
            {
                _started = StartAsync();
            }

            return _started.WaitAsync(cancellationToken);
        }
    }

    private async Task<WatchRing> StartAsync()
    {
        var revision = await kind.ListedRevisionAsync(store, _stop.Token);
        var ring = new WatchRing(options.RingBytes, revision);
        _follow = Task.Run(() => FollowAsync(ring, revision));
        _ticker = Task.Run(() => TickAsync(ring));
        return ring;
    }

    private async Task FollowAsync(WatchRing ring, long followed)
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await WholeRevisions.FollowAsync(store.WatchAsync(kind.Root, followed + 1, stop), change => Add(ring, change), revision =>
                {
                    ring.Publish(revision);
                    followed = revision;
                }, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (RevisionCompactedException e)
            {
                ring.DropUnpublished();
                LogCompacted(logger, kind.Name, e.Message);
                followed = await RevisionAfterFaultAsync(followed, stop);
                ring.Reset(followed);
            }
            catch (Exception e)
            {
                ring.DropUnpublished();
                LogLost(logger, kind.Name, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<long> RevisionAfterFaultAsync(long followed, CancellationToken stop)
    {
        for (var attempt = 0; attempt < 60 && !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                return await store.GetRevisionAsync(stop);
            }
            catch (StoreUnavailableException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        return followed;
    }

    private void Add(WatchRing ring, WatchEvent change)
    {
        if (kind.Render(change) is { } described)
        {
            ring.Add(described);
        }
    }

    /// <summary>The change, rendered when first sent; null when it is not one of this kind's things.</summary>
    public WatchChange? Render(WatchEvent change) => kind.Render(change);

    /// <summary>Logs a change whose stored value cannot be read: it is left out of the stream, as lists leave it out.</summary>
    public void ReportUnreadable(WatchChange change, Exception e) => LogUnreadable(logger, change.Key, e.Message);

    private async Task TickAsync(WatchRing ring)
    {
        using var timer = new PeriodicTimer(options.Heartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                ring.Tick();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var task in new[] { _follow, _ticker })
        {
            if (task is not null)
            {
                await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the {Kind} watch lost the store and watches again: {Reason}")]
    private static partial void LogLost(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the {Kind} watch fell behind the store's history and starts anew; its watchers are told to list again: {Reason}")]
    private static partial void LogCompacted(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "a change at {Key} cannot be read and is not sent to watchers: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string key, string reason);
}

/// <summary>The server's hubs, one per kind.</summary>
internal sealed class WatchHubs : IAsyncDisposable
{
    private readonly Dictionary<string, WatchHub> _hubs;

    public WatchHubs(IMetaStore store, Microsoft.Extensions.Options.IOptions<WatchOptions> options, Microsoft.Extensions.Options.IOptions<Core.MetaOptions> meta, Core.Aliases.AliasService aliases, Core.Catalog.FunctionCatalog catalog, ILogger<WatchHubs> logger)
    {
        WatchKind[] kinds = [new FunctionWatch(meta.Value, catalog), new ReserveWatch(), new PoolWatch(), new AliasWatch(aliases)];
        _hubs = kinds.ToDictionary(k => k.Name, k => new WatchHub(k, store, options.Value, logger), StringComparer.Ordinal);
    }

    public static IReadOnlyList<string> Kinds { get; } = [WatchKind.Functions, WatchKind.ReserveInstance, WatchKind.PodPools, WatchKind.Aliases];

    public WatchHub? Find(string kind) => _hubs.GetValueOrDefault(kind);

    public async ValueTask DisposeAsync()
    {
        foreach (var hub in _hubs.Values)
        {
            await hub.DisposeAsync();
        }
    }
}