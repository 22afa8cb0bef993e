namespace MetaService.Server.Watch;

/// <summary>Settings of <c>GET /serverless/v1/watch</c> (<c>Watch:</c>).</summary>
public sealed class WatchOptions : Core.ISettings
{
    public const string Section = "Watch";

    /// <summary>Seconds of silence after which a watcher is sent a comment line, so proxies keep the stream open.</summary>
    public double HeartbeatSeconds { get; set; } = 15;

    /// <summary>The most bytes of rendered recent changes each kind keeps in memory for its watchers; a watcher that
    /// falls further behind is ended with an error event.</summary>
    public long RingBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Seconds a write to one watcher may wait for the client to read before its connection is closed.</summary>
    public double WriteTimeoutSeconds { get; set; } = 30;

    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);

    public TimeSpan WriteTimeout => TimeSpan.FromSeconds(WriteTimeoutSeconds);

    public IEnumerable<string> Problems()
    {
        if (HeartbeatSeconds is < 0.05 or > 3600)
        {
            yield return $"Watch:HeartbeatSeconds is {HeartbeatSeconds}: give seconds from 0.05 to 3600 (default 15)";
        }

        if (RingBytes < 4096)
        {
            yield return $"Watch:RingBytes is {RingBytes}: give at least 4096 bytes (default 16777216)";
        }

        if (WriteTimeoutSeconds is < 0.1 or > 3600)
        {
            yield return $"Watch:WriteTimeoutSeconds is {WriteTimeoutSeconds}: give seconds from 0.1 to 3600 (default 30)";
        }
    }
}