namespace MetaService.Core.History;

/// <summary>Settings of the function history (<c>History:</c>).</summary>
public sealed class HistoryOptions : ISettings
{
    public const string Section = "History";

    /// <summary>Whether writes append history entries (on by default). Off, the history routes answer what was kept.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many entries each function keeps (the newest); older ones are pruned in the background.</summary>
    public int MaxEntriesPerFunction { get; set; } = 100;

    /// <summary>How long an entry is kept, in days.</summary>
    public int MaxAgeDays { get; set; } = 90;

    /// <summary>How often the pruner looks for entries past either limit, in seconds.</summary>
    public int PruneIntervalSeconds { get; set; } = 10 * 60;

    /// <summary>How many keys one prune step reads (and at most deletes) at a time.</summary>
    public int PruneBatch { get; set; } = 500;

    public IEnumerable<string> Problems()
    {
        if (MaxEntriesPerFunction is < 1 or > 1_000_000)
        {
            yield return $"History:MaxEntriesPerFunction is {MaxEntriesPerFunction}: give 1 to 1000000 (default 100)";
        }

        if (MaxAgeDays is < 1 or > 36_500)
        {
            yield return $"History:MaxAgeDays is {MaxAgeDays}: give 1 to 36500 days (default 90)";
        }

        if (PruneIntervalSeconds is < 1 or > 24 * 60 * 60)
        {
            yield return $"History:PruneIntervalSeconds is {PruneIntervalSeconds}: give 1 to 86400 seconds (default 600)";
        }

        if (PruneBatch is < 1 or > 10_000)
        {
            yield return $"History:PruneBatch is {PruneBatch}: give 1 to 10000 keys (default 500)";
        }
    }
}