using MetaService.Core;
using MetaService.Core.Storage;

namespace MetaService.Etcd;

/// <summary>Settings of <see cref="WatchedView"/>.</summary>
public sealed record WatchedViewOptions : ISettings
{
    /// <summary>The prefixes served from memory: by default the pools. The function records
    /// (<see cref="PlatformKeys.RecordRoot"/>) are the function catalog's, which keeps their keys and, bounded, the records
    /// themselves decoded, so the view does not hold them again; the platform values (<c>/sn/</c>, <c>/yr/functions/</c>,
    /// <c>/instances/</c>) are written, not read back.</summary>
    public IReadOnlyList<string> CachedPrefixes { get; init; } = ["/yr/podpools/"];

    /// <summary>How long a write waits for its own changes to reach the view before it answers anyway.</summary>
    public TimeSpan ReadYourWritesTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The pause before reading a prefix anew after its watch was lost.</summary>
    public TimeSpan ResyncDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How many bytes of the latest changes each cached prefix keeps for watchers in this process (see
    /// <see cref="WatchedView.WatchAsync"/>); a watcher further behind watches the store itself.</summary>
    public long ChangeFeedBytes { get; init; } = 16L << 20;

    public IEnumerable<string> Problems()
    {
        if (ReadYourWritesTimeout <= TimeSpan.Zero)
        {
            yield return $"Store:View:ReadYourWritesTimeout is {ReadYourWritesTimeout}: give a positive duration (default 00:00:05)";
        }

        if (ResyncDelay < TimeSpan.Zero)
        {
            yield return $"Store:View:ResyncDelay is {ResyncDelay}: give a duration of 0 or more (default 00:00:00.2)";
        }

        if (ChangeFeedBytes < 1)
        {
            yield return $"Store:View:ChangeFeedBytes is {ChangeFeedBytes}: give at least 1 byte (default 16777216)";
        }

        if (CachedPrefixes.Count == 0)
        {
            yield return $"Store:View:CachedPrefixes is empty: give at least one prefix (default /yr/podpools/)";
        }

        foreach (var prefix in CachedPrefixes.Where(HoldsRecords))
        {
            yield return $"Store:View:CachedPrefixes holds '{prefix}', which covers the function records ({PlatformKeys.RecordRoot}): "
                + $"the function catalog keeps those, so give prefixes outside them (default /yr/podpools/)";
        }
    }

    /// <summary>Whether <paramref name="prefix"/> covers function records (holds the record root, or lies inside it).</summary>
    private static bool HoldsRecords(string prefix) =>
        PlatformKeys.RecordRoot.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(PlatformKeys.RecordRoot, StringComparison.Ordinal);
}