using System.Runtime.CompilerServices;

using MetaService.Core.Storage;

using Microsoft.Extensions.Logging;

namespace MetaService.Etcd;

/// <summary>
/// Serves reads of the cached prefixes from memory, fed by a watch of the store below: each prefix is read
/// once at a revision R, then followed from R + 1. A lost watch (store restart, compaction, broken stream)
/// is healed by reading the prefix anew and watching again. Writes go to the store; a successful write
/// returns once the view holds its changes, so a client reads its own writes on this replica. A watch of a
/// cached prefix is served from the latest changes kept in memory (<see cref="ChangeFeed"/>), so watchers in
/// this process cost the store nothing. Everything else passes through.
/// </summary>
public sealed partial class WatchedView : IMetaStore
{
    private readonly IMetaStore _inner;
    private readonly WatchedViewOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WatchedView> _logger;
    private readonly CachedPrefix[] _caches;
    /// <summary>How many changes a watcher takes from the feed at once (whole revisions: possibly more).</summary>
    private const int FeedBatch = 1000;

    private readonly CancellationTokenSource _stop = new();
    private Task[] _followers = [];
    private volatile bool _started;
    private int _disposed;

    public WatchedView(IMetaStore inner, WatchedViewOptions options, TimeProvider time, ILogger<WatchedView> logger)
    {
        _inner = inner;
        _options = options;
        _time = time;
        _logger = logger;
        _caches = [.. options.CachedPrefixes.Distinct().Select(p => new CachedPrefix(p, options.ChangeFeedBytes))];
    }

    /// <summary>Reads every cached prefix and starts following it. Until then, reads pass through.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var cache in _caches)
        {
            cache.Load(await _inner.RangeAsync(cache.Prefix, cancellationToken: cancellationToken));
        }

        _followers = [.. _caches.Select(c => Task.Run(() => FollowAsync(c, _stop.Token), CancellationToken.None))];
        _started = true;
    }

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Find(key) is { } cache ? Task.FromResult(cache.Get(key)) : _inner.GetAsync(key, cancellationToken);

    public Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        Find(prefix) is { } cache ? Task.FromResult(cache.Range(prefix, limit, startAfter)) : _inner.RangeAsync(prefix, limit, startAfter, cancellationToken);

    public Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        Find(prefix) is { } cache ? Task.FromResult(cache.Range(prefix, limit, startAfter)) : _inner.RangeKeysAsync(prefix, limit, startAfter, cancellationToken);

    /// <summary>The store's transaction; once it changed a key of a cached prefix, it returns when that prefix shows
    /// the transaction's revision (read your writes). Which prefixes it changed is judged after it, from what the store
    /// answers (a delete that found no key changed nothing) and, where the store does not say, from what the view holds:
    /// a view that applied the revision meanwhile has nothing to wait for.</summary>
    public async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        var started = _started;
        var result = await _inner.TxnAsync(compares, writes, cancellationToken);
        if (!started || !result.Succeeded || !result.Changed)
        {
            return result;
        }

        foreach (var cache in _caches)
        {
            if (cache.IsChangedBy(writes, result.DeletedNothing))
            {
                await WaitForAsync(cache, result.Revision, cancellationToken);
            }
        }

        return result;
    }

    /// <summary>Changes under <paramref name="prefix"/> from <paramref name="fromRevision"/> on. Inside a cached prefix
    /// they come from memory while the position lies inside its feed, which a watcher caught up reads as the view
    /// publishes (on the view's thread); a position before the feed (an old revision, a watcher too slow for the
    /// feed, or one the view's fresh read after a lost watch left behind) is served by the store's own watch from
    /// there, until its changes reach the feed again. So no change is skipped: if the store no longer has the
    /// position either, the watch throws <see cref="RevisionCompactedException"/>.</summary>
    /// <remarks>This holds from before <see cref="StartAsync"/> too: such a watcher (one started with the host, before
    /// the view) follows the store until the feed, once loaded, holds its changes.</remarks>
    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        Array.Find(_caches, c => c.Covers(prefix)) is { } cache
            ? WatchCachedAsync(cache, prefix, fromRevision, cancellationToken)
            : _inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => _inner.GetRevisionAsync(cancellationToken);

    public Task<KeyValue?> GetAtAsync(string key, long modRevision, CancellationToken cancellationToken = default) => _inner.GetAtAsync(key, modRevision, cancellationToken);

    public Task<bool> KeepsRevisionAsync(long revision, CancellationToken cancellationToken = default) => _inner.KeepsRevisionAsync(revision, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_followers);
        _stop.Dispose();
        await _inner.DisposeAsync();
    }

    private async Task WaitForAsync(CachedPrefix cache, long revision, CancellationToken cancellationToken)
    {
        if (!await cache.WaitForAsync(revision, _options.ReadYourWritesTimeout, _time, cancellationToken))
        {
            LogSlowView(_logger, cache.Prefix, revision, cache.Applied);
        }
    }

    private async IAsyncEnumerable<WatchEvent> WatchCachedAsync(CachedPrefix cache, string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var next = Math.Max(fromRevision, 1);
        while (true)
        {
            var read = cache.Feed.Read(prefix, next, FeedBatch);
            if (read.Held)
            {
                foreach (var change in read.Events)
                {
                    yield return change;
                }

                next = read.Next;
                if (read.Events.Count < FeedBatch)
                {
                    // Caught up: Changed was taken with the read, so a revision published since then is not missed.
                    await WaitAsync(read.Changed, stop.Token, cancellationToken);
                }

                continue;
            }

            // Before the feed: the store's watch from there, until a revision the feed holds begins (every
            // revision before it delivered); that change and the ones after it come from the feed.
            await using var changes = _inner.WatchAsync(prefix, next, stop.Token).GetAsyncEnumerator(stop.Token);
            var last = 0L;
            while (true)
            {
                if (!await MoveNextAsync(changes, cancellationToken))
                {
                    yield break;
                }

                var change = changes.Current;
                var revision = change.Kv.ModRevision;
                if (revision > last && cache.Feed.First <= revision)
                {
                    next = revision;
                    break;
                }

                yield return change;
                last = revision;
            }
        }
    }

    /// <summary>Waits for <paramref name="changed"/>; a view disposed meanwhile ends the watch as disposed.</summary>
    private async Task WaitAsync(Task changed, CancellationToken stop, CancellationToken caller)
    {
        try
        {
            await changed.WaitAsync(stop);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(WatchedView));
        }
    }

    private static async ValueTask<bool> MoveNextAsync(IAsyncEnumerator<WatchEvent> changes, CancellationToken caller)
    {
        try
        {
            return await changes.MoveNextAsync();
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(WatchedView));
        }
    }

    private CachedPrefix? Find(string keyOrPrefix) => _started ? Array.Find(_caches, c => c.Covers(keyOrPrefix)) : null;

    private async Task FollowAsync(CachedPrefix cache, CancellationToken stop)
    {
        var reload = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (reload)
                {
                    cache.Load(await _inner.RangeAsync(cache.Prefix, cancellationToken: stop));
                    LogResynchronised(_logger, cache.Prefix, cache.Applied);
                }

                reload = true;
                await FollowWatchAsync(cache, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogWatchLost(_logger, e, cache.Prefix, cache.Applied);

                // A stop during the delay ends it, and the loop with it.
                await Task.Delay(_options.ResyncDelay, _time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Applies the watch's changes, publishing each revision once it is whole (<see cref="WholeRevisions"/>), so
    /// that a transaction's changes become visible together, and as soon as they are all there.</summary>
    private Task FollowWatchAsync(CachedPrefix cache, CancellationToken stop) =>
        WholeRevisions.FollowAsync(_inner.WatchAsync(cache.Prefix, cache.Applied + 1, stop), cache.Apply, cache.Publish, stop);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the view of {Prefix} lost its watch at revision {Revision}; reading it anew")]
    private static partial void LogWatchLost(ILogger logger, Exception exception, string prefix, long revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "the view of {Prefix} is read anew at revision {Revision}")]
    private static partial void LogResynchronised(ILogger logger, string prefix, long revision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the view of {Prefix} did not reach revision {Revision} in time (it is at {Applied}); answering anyway")]
    private static partial void LogSlowView(ILogger logger, string prefix, long revision, long applied);
}