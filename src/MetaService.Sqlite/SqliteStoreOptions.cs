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

    public string DatabasePath => Path.Combine(DataDirectory, "meta.db");
}