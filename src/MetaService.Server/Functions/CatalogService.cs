using MetaService.Core.Catalog;
using MetaService.Core.Storage;

namespace MetaService.Server.Functions;

/// <summary>Starts loading the function catalog with the host, so the first request finds it (nearly) ready; and, in the
/// background, once it has loaded, rewrites in openYuanrong's format the records an earlier MetaService stored in its own
/// JSON, so that the original can take the store back (<see cref="EarlierRecords"/>).</summary>
internal sealed partial class CatalogService(FunctionCatalog catalog, ILogger<CatalogService> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        catalog.Start();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var (_, rewritten) = await EarlierRecords.RewriteAsync(catalog, stoppingToken);
            if (rewritten > 0)
            {
                LogRewritten(logger, rewritten);
            }
        }
        catch (Exception e) when (e is StoreUnavailableException or OperationCanceledException)
        {
            // The next start tries again; records are read in either format meanwhile.
            LogNotRewritten(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "rewrote {Count} function records of an earlier MetaService in openYuanrong's format")]
    private static partial void LogRewritten(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "records of an earlier MetaService were not rewritten in openYuanrong's format this time: {Reason}")]
    private static partial void LogNotRewritten(ILogger logger, string reason);
}