namespace MetaService.Core.Storage;

/// <summary>
/// The metadata store, modelled on etcd: keys and values, one global revision that every successful
/// transaction advances by one, per-key create/mod revisions, prefix ranges with a limit, transactions of
/// compares plus writes, and a change stream from a revision. The embedded store and the etcd store
/// implement it alike, so the core writes the same keys on both.
/// </summary>
public interface IMetaStore : IAsyncDisposable
{
    /// <summary>The value of one key, or null.</summary>
    Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The value <paramref name="key"/> was put with at <paramref name="modRevision"/> (what a read at that revision
    /// returned), or null when the store no longer keeps that revision or the key was not put then. A store without
    /// history keeps none.</summary>
    Task<KeyValue?> GetAtAsync(string key, long modRevision, CancellationToken cancellationToken = default) => Task.FromResult<KeyValue?>(null);

    /// <summary>Keys that start with <paramref name="prefix"/>, in key order, after <paramref name="startAfter"/>
    /// when given, at most <paramref name="limit"/> of them (0: no limit).</summary>
    Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="RangeAsync"/> but the values may be left empty (etcd's <c>keys_only</c>): what an
    /// index of keys and revisions needs. A store that can skip reading values overrides it.</summary>
    Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        RangeAsync(prefix, limit, startAfter, cancellationToken);

    /// <summary>Applies every write if every compare holds, atomically and durably; otherwise nothing.</summary>
    Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default);

    /// <summary>Changes under <paramref name="prefix"/> from revision <paramref name="fromRevision"/> on, in
    /// revision order, until cancelled. Throws <see cref="RevisionCompactedException"/> when that revision
    /// is no longer kept.</summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default);

    /// <summary>The store's current revision.</summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>The store's append log (<see cref="WriteOp.Append"/>), or null when it has none and refuses appends.</summary>
    IAppendLog? Appends => null;

    /// <summary>Whether the store still keeps the history of <paramref name="revision"/> (it has not compacted past it):
    /// what a list continued from that revision may rely on. A store without compaction keeps every revision.</summary>
    Task<bool> KeepsRevisionAsync(long revision, CancellationToken cancellationToken = default) => Task.FromResult(true);
}

/// <summary>A watch asked for history the store has compacted away: read anew, then watch from the new revision.</summary>
public sealed class RevisionCompactedException(long requested, long compacted)
    : Exception($"revision {requested} has been compacted; the oldest kept is {compacted + 1}")
{
    public long Requested { get; } = requested;

    public long CompactedRevision { get; } = compacted;
}

/// <summary>The store could not be reached or failed: a fault, answered as 503/500, never an expected outcome.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A write whose outcome the store left unknown: it may or may not have been applied.</summary>
    public bool OutcomeUnknown { get; init; }
}

/// <summary>The store refused a write as larger than it accepts (etcd's <c>--max-request-bytes</c>); nothing was applied.</summary>
public sealed class StoreWriteTooLargeException(string message, Exception? inner = null) : Exception(message, inner);