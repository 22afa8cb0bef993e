using Microsoft.Extensions.Logging;

namespace MetaService.Core.Storage;

/// <summary>Settings of <see cref="WatchedView"/>.</summary>
public sealed record WatchedViewOptions
{
    /// <summary>The prefixes served from memory. The default holds the service's own records and the pools;
    /// the platform values (<c>/sn/</c>, <c>/yr/functions/</c>, <c>/instances/</c>) are written, not read back.</summary>
    public IReadOnlyList<string> CachedPrefixes { get; init; } = ["/repo/", "/yr/podpools/"];

    /// <summary>How long a write waits for its own changes to reach the view before it answers anyway.</summary>
    public TimeSpan ReadYourWritesTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The pause before reading a prefix anew after its watch was lost.</summary>
    public TimeSpan ResyncDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>
/// Serves reads of the cached prefixes from memory, fed by a watch of the store below: each prefix is read
/// once at a revision R, then followed from R + 1. A lost watch (store restart, compaction, broken stream)
/// is healed by reading the prefix anew and watching again. Writes go to the store; a successful write
/// returns once the view holds its changes, so a client reads its own writes on this replica. Everything
/// else passes through.
/// </summary>
public sealed partial class WatchedView : IMetaStore
{
    private readonly IMetaStore _inner;
    private readonly WatchedViewOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WatchedView> _logger;
    private readonly CachedPrefix[] _caches;
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
        _caches = [.. options.CachedPrefixes.Distinct().Select(p => new CachedPrefix(p))];
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

    public async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        var changed = _started ? [.. _caches.Where(c => c.IsChangedBy(writes))] : Array.Empty<CachedPrefix>();
        var result = await _inner.TxnAsync(compares, writes, cancellationToken);
        if (!result.Succeeded)
        {
            return result;
        }

        foreach (var cache in changed)
        {
            if (!await cache.WaitForAsync(result.Revision, _options.ReadYourWritesTimeout, _time, cancellationToken))
            {
                LogSlowView(_logger, cache.Prefix, result.Revision, cache.Applied);
            }
        }

        return result;
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        _inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => _inner.GetRevisionAsync(cancellationToken);

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
                try
                {
                    await Task.Delay(_options.ResyncDelay, _time, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Applies the watch's changes. A revision is published once the watch has nothing more at hand,
    /// so that a transaction's changes become visible together.</summary>
    private async Task FollowWatchAsync(CachedPrefix cache, CancellationToken stop)
    {
        await using var changes = _inner.WatchAsync(cache.Prefix, cache.Applied + 1, stop).GetAsyncEnumerator(stop);
        var last = 0L;
        while (true)
        {
            var next = changes.MoveNextAsync();
            if (!next.IsCompleted && last > 0)
            {
                cache.Publish(last);
            }

            if (!await next)
            {
                return;
            }

            cache.Apply(changes.Current);
            last = changes.Current.Kv.ModRevision;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the view of {Prefix} lost its watch at revision {Revision}; reading it anew")]
    private static partial void LogWatchLost(ILogger logger, Exception exception, string prefix, long revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "the view of {Prefix} is read anew at revision {Revision}")]
    private static partial void LogResynchronised(ILogger logger, string prefix, long revision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the view of {Prefix} did not reach revision {Revision} in time (it is at {Applied}); answering anyway")]
    private static partial void LogSlowView(ILogger logger, string prefix, long revision, long applied);
}