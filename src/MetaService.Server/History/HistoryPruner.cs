using MetaService.Core.History;
using MetaService.Core.Storage;

using Microsoft.Extensions.Options;

namespace MetaService.Server.History;

/// <summary>Runs <see cref="HistoryPruning"/> every <c>History:PruneIntervalSeconds</c>, apart from every write.</summary>
public sealed partial class HistoryPruner(IMetaStore store, TimeProvider clock, IOptions<HistoryOptions> options, ILogger<HistoryPruner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pruning = new HistoryPruning(store, options.Value);
        var interval = TimeSpan.FromSeconds(options.Value.PruneIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
                if (await pruning.PruneAsync(clock.GetUtcNow(), stoppingToken) is var pruned and > 0)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted {Count} history entries past retention")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "history entries past retention were not deleted this time: {Reason}")]
    private static partial void LogNotPruned(ILogger logger, string reason);
}