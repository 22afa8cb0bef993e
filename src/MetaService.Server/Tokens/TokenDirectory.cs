using System.Collections.Concurrent;

using MetaService.Core.Storage;

namespace MetaService.Server.Tokens;

/// <summary>
/// The API tokens of the store, in memory: loaded with one range of <c>/metaservice/tokens/</c> and kept current by the
/// store's watch, so that a token revoked through any replica is refused by every replica as soon as the watch brings the
/// deletion (milliseconds; on a lost watch it loads anew after a second). A token the directory does not hold (made
/// through another replica a moment ago, or before the first load) is looked up in the store.
/// </summary>
public sealed partial class TokenDirectory(IMetaStore store, TimeProvider clock, ILogger<TokenDirectory> logger) : BackgroundService
{
    private ConcurrentDictionary<string, TokenRecord> _tokens = new(StringComparer.Ordinal);

    public IMetaStore Store => store;

    /// <summary>The record of <paramref name="id"/>, or null when there is none.</summary>
    public async ValueTask<TokenRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (_tokens.TryGetValue(id, out var known))
        {
            return known;
        }

        return await store.GetAsync(TokenRecord.KeyOf(id), cancellationToken) is { } kv ? TokenRecord.FromBytes(kv.Value) : null;
    }

    /// <summary>Whether the directory holds <paramref name="record"/> itself: false once the token is revoked or changed
    /// (the watch or a reload replaces or removes the record), and for a record read from the store.</summary>
    public bool Holds(TokenRecord record) => _tokens.TryGetValue(record.Id, out var held) && ReferenceEquals(held, record);

    /// <summary>Every token, read from the store (the list answer must not miss one another replica just made).</summary>
    public async Task<List<TokenRecord>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.RangeAsync(TokenRecord.Prefix, cancellationToken: cancellationToken)).Items.Select(kv => TokenRecord.FromBytes(kv.Value)).OfType<TokenRecord>()];

    /// <summary>Forgets <paramref name="id"/> at once on this replica (its deletion is committed; the watch confirms it).</summary>
    public void Forget(string id) => _tokens.TryRemove(id, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var range = await store.RangeAsync(TokenRecord.Prefix, cancellationToken: stoppingToken);
                var tokens = new ConcurrentDictionary<string, TokenRecord>(StringComparer.Ordinal);
                foreach (var record in range.Items.Select(kv => TokenRecord.FromBytes(kv.Value)).OfType<TokenRecord>())
                {
                    tokens[record.Id] = record;
                }

                _tokens = tokens;
                await foreach (var change in store.WatchAsync(TokenRecord.Prefix, range.Revision + 1, stoppingToken))
                {
                    Apply(change);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Until it has loaded anew, every token is looked up in the store: a deletion made meanwhile is not missed.
                _tokens = new(StringComparer.Ordinal);
                LogWatchLost(logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void Apply(WatchEvent change)
    {
        var id = change.Kv.Key[TokenRecord.Prefix.Length..];
        if (change.Type == WatchEventType.Delete || TokenRecord.FromBytes(change.Kv.Value) is not { } record)
        {
            _tokens.TryRemove(id, out _);
        }
        else
        {
            _tokens[id] = record;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the token directory lost its watch of the store and loads anew: {Reason}")]
    private static partial void LogWatchLost(ILogger logger, string reason);
}