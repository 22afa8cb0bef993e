using MetaService.Core.Storage;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Idempotency;

/// <summary>Deletes expired <c>Idempotency-Key</c> answers every <c>Idempotency:PruneIntervalSeconds</c>: a page of keys at a
/// time, each delete its own transaction with a compare on the key's mod revision (a key taken again meanwhile stays), so
/// no write waits for a sweep. Every replica sweeps; the compares make a second delete of a key a no-op.</summary>
public sealed partial class IdempotencyPruner(IMetaStore store, TimeProvider clock, IOptions<IdempotencyOptions> options, ILogger<IdempotencyPruner> logger) : BackgroundService
{
    private const int PageSize = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PruneIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
                if (await PruneAsync(clock.GetUtcNow(), stoppingToken) is var pruned and > 0)
                {
                    LogPruned(logger, pruned);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StoreUnavailableException or ObjectDisposedException)
            {
                LogNotPruned(logger, e.Message);
            }
        }
    }

    /// <summary>One sweep: deletes every answer expired at <paramref name="at"/>; returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var now = at.ToUnixTimeMilliseconds();
        var pruned = 0;
        string? after = null;
        while (true)
        {
            var page = await store.RangeAsync(IdempotencyFilter.Root, PageSize, after, cancellationToken);
            foreach (var kv in page.Items)
            {
                if (IdempotencyFilter.Parse(kv.Value) is { } stored && stored.ExpiresAt > now)
                {
                    continue;
                }

                if ((await store.TxnAsync([new Compare(kv.Key, kv.ModRevision)], [new WriteOp.Delete(kv.Key)], cancellationToken)).Succeeded)
                {
                    pruned++;
                }
            }

            if (!page.More || page.Items.Count == 0)
            {
                return pruned;
            }

            after = page.Items[^1].Key;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted {Count} expired Idempotency-Key answers")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "expired Idempotency-Key answers were not deleted this time: {Reason}")]
    private static partial void LogNotPruned(ILogger logger, string reason);
}