namespace MetaService.Sqlite;

/// <summary>Settings of the embedded store.</summary>
public sealed record SqliteStoreOptions : Core.ISettings
{
    /// <summary>The directory that holds <c>meta.db</c>; created when missing.</summary>
    public required string DataDirectory { get; set; }

    /// <summary>How many revisions of change history are kept for watches (etcd's compaction).</summary>
    public int HistoryRetention { get; init; } = 100_000;

    /// <summary>The most transactions committed together with one fsync (group commit).</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>How many bytes of the latest changes the store keeps in memory for its watches (each change counts its
    /// key twice, its value once and 96 bytes besides). A watch whose position is older than what the feed holds reads
    /// the change log in the file until it catches up.</summary>
    public long FeedCapacityBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>How far apart the append log's index generations turn over; only tests set it (not a setting).</summary>
    internal AppendRotation Rotation { get; init; } = AppendRotation.Default;

    public string DatabasePath => Path.Combine(DataDirectory, "meta.db");

    /// <summary>Every problem of these settings, each naming its key (<c>Store:Sqlite:…</c>) and what it may be.</summary>
    public IEnumerable<string> Problems()
    {
        if (HistoryRetention < 1)
        {
            yield return $"Store:Sqlite:HistoryRetention is {HistoryRetention}: keep at least 1 revision of history (default 100000)";
        }

        if (MaxBatch is < 1 or > 10_000)
        {
            yield return $"Store:Sqlite:MaxBatch is {MaxBatch}: give 1 (one fsync per write) to 10000 (default 256)";
        }

        if (FeedCapacityBytes < 1)
        {
            yield return $"Store:Sqlite:FeedCapacityBytes is {FeedCapacityBytes}: give at least 1 byte (default 16777216; watchers further behind read the file)";
        }
    }
}