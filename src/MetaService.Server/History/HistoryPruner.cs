using MetaService.Core.History;
using MetaService.Core.Storage;

using Microsoft.Extensions.Options;

namespace MetaService.Server.History;

/// <summary>Runs <see cref="HistoryPruning"/> every <c>History:PruneIntervalSeconds</c>, apart from every write; in between,
/// every second, trims the embedded store's append log once it has grown by <c>History:PruneAfterAppends</c>.</summary>
public sealed partial class HistoryPruner(IMetaStore store, TimeProvider clock, IOptions<HistoryOptions> options, ILogger<HistoryPruner> logger) : BackgroundService
{
    /// <summary>How often the append log's growth is looked at (a read of its newest id).</summary>
    private static readonly TimeSpan GrowthCheck = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pruning = new HistoryPruning(store, options.Value);
        var interval = TimeSpan.FromSeconds(options.Value.PruneIntervalSeconds);
        var tick = options.Value.PruneAfterAppends > 0 && store.Appends is not null && GrowthCheck < interval ? GrowthCheck : interval;
        var due = clock.GetUtcNow() + interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(tick, clock, stoppingToken);
                var now = clock.GetUtcNow();
                if (now >= due)
                {
                    due = now + interval;
                    if (await pruning.PruneAsync(now, stoppingToken) is var pruned and > 0)
                    {
                        LogPruned(logger, pruned);
                    }
                }
                else if (await pruning.PruneGrownAsync(now, stoppingToken) is var trimmed and > 0)
                {
                    LogTrimmed(logger, trimmed);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted {Count} history entries past retention")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "deleted {Count} history entries past retention as the history grew")]
    private static partial void LogTrimmed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "history entries past retention were not deleted this time: {Reason}")]
    private static partial void LogNotPruned(ILogger logger, string reason);
}