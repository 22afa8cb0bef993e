namespace MetaService.Server.Watch;

/// <summary>
/// Starts every hub with the host, so that each ring begins at the revision its kind's lists answer from the start
/// (<see cref="WatchKind.ListedRevisionAsync"/>): a client that lists, then watches from the list's revision, is served
/// by the ring even when the store has compacted past that revision since. On etcd that is the common case for a quiet
/// kind: other prefixes (the platform's instances, other servers) move the revision on and compaction follows it, while
/// a list answered from the catalog still carries the last function change. A hub that cannot start now (the store is
/// unreachable) is started by its first watcher.
/// </summary>
internal sealed partial class WatchStarter(WatchHubs hubs, ILogger<WatchStarter> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WatchHubs.Kinds.Select(async kind =>
        {
            try
            {
                await hubs.Find(kind)!.RingAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                LogNotStarted(logger, kind, e.Message);
            }
        }));

    [LoggerMessage(Level = LogLevel.Warning, Message = "the {Kind} watch did not start with the server; its first watcher starts it: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string kind, string reason);
}