namespace MetaService.Sqlite;

/// <summary>Settings of the embedded store.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>The directory that holds <c>meta.db</c>; created when missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>How many revisions of change history are kept for watches (etcd's compaction).</summary>
    public int HistoryRetention { get; init; } = 100_000;

    /// <summary>The most transactions committed together with one fsync (group commit).</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>How many bytes of the latest changes the store keeps in memory for its watches (each change counts its
    /// key twice, its value once and 96 bytes besides). A watch whose position is older than what the feed holds reads
    /// the change log in the file until it catches up.</summary>
    public long FeedCapacityBytes { get; init; } = 16L * 1024 * 1024;

    public string DatabasePath => Path.Combine(DataDirectory, "meta.db");
}