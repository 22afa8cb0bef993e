namespace MetaService.Core.History;

/// <summary>Settings of the function history (<c>History:</c>).</summary>
public sealed class HistoryOptions : ISettings
{
    public const string Section = "History";

    /// <summary>The default of <see cref="ChangesCacheBytes"/>: 8 MiB.</summary>
    public const long DefaultChangesCacheBytes = 8L * 1024 * 1024;

    /// <summary>The default of <see cref="PruneAfterAppends"/>.</summary>
    public const int DefaultPruneAfterAppends = 10_000;

    /// <summary>Whether writes append history entries (on by default). Off, the history routes answer what was kept.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many entries each function keeps (the newest); older ones are pruned in the background.</summary>
    public int MaxEntriesPerFunction { get; set; } = 100;

    /// <summary>How long an entry is kept, in days.</summary>
    public int MaxAgeDays { get; set; } = 90;

    /// <summary>How often the pruner looks for entries past either limit, in seconds.</summary>
    public int PruneIntervalSeconds { get; set; } = 10 * 60;

    /// <summary>How many entries the embedded store's append log takes before the pruner trims it again, between its
    /// passes every <see cref="PruneIntervalSeconds"/> (0: only then). Such a trim reads only the functions written since
    /// the last one, and keeps the file, and the values compaction has to step over, within retention under any load.</summary>
    public int PruneAfterAppends { get; set; } = DefaultPruneAfterAppends;

    /// <summary>How many keys one prune step reads (and at most deletes) at a time.</summary>
    public int PruneBatch { get; set; } = 500;

    /// <summary>How many bytes of entries' field changes the reader keeps, made from the values the embedded store keeps
    /// with each entry when it is read (the least recently read go first; 0: none kept, each read makes them again).</summary>
    public long ChangesCacheBytes { get; set; } = DefaultChangesCacheBytes;

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

        if (PruneAfterAppends is < 0 or > 100_000_000)
        {
            yield return $"History:PruneAfterAppends is {PruneAfterAppends}: give 0 (only every History:PruneIntervalSeconds) to 100000000 entries (default {DefaultPruneAfterAppends})";
        }

        if (PruneBatch is < 1 or > 10_000)
        {
            yield return $"History:PruneBatch is {PruneBatch}: give 1 to 10000 keys (default 500)";
        }

        if (ChangesCacheBytes is < 0 or > 1L << 30)
        {
            yield return $"History:ChangesCacheBytes is {ChangesCacheBytes}: give 0 (none kept) to 1073741824 bytes (default 8388608)";
        }
    }
}