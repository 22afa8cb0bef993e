namespace MetaService.Core.Storage;

/// <summary>
/// Compares and writes that join the transaction a write makes, so that what the caller keeps beside the change (an
/// idempotency record holding the write's answer) commits with it or not at all. <see cref="Writes"/> is given the
/// write's result each time the write tries its transaction; the last call belongs to the transaction that committed.
/// </summary>
public sealed class TxnRider<T>(IReadOnlyList<Compare> compares, Func<T, IReadOnlyList<WriteOp>> writes)
{
    public IReadOnlyList<Compare> Compares => compares;

    public IReadOnlyList<WriteOp> Writes(T result) => writes(result);

    /// <summary>Whether the rider's own compares still hold in <paramref name="store"/>: false means another request
    /// took what the rider guards (a retry of a lost transaction would only lose again).</summary>
    public async Task<bool> HoldsAsync(IMetaStore store, CancellationToken cancellationToken)
    {
        foreach (var compare in compares)
        {
            if (((await store.GetAsync(compare.Key, cancellationToken))?.ModRevision ?? 0) != compare.ModRevision)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>An absent rider rides along with nothing.</summary>
public static class TxnRiders
{
    public static IReadOnlyList<Compare> ComparesOrNone<T>(this TxnRider<T>? rider) => rider?.Compares ?? [];

    public static IReadOnlyList<WriteOp> WritesOrNone<T>(this TxnRider<T>? rider, T result) => rider?.Writes(result) ?? [];

    /// <summary>A write lost to another request that took what its rider guards (the server answers that request's
    /// answer instead).</summary>
    public static MetaError Taken() => new(409, "another request with the same Idempotency-Key was answered meanwhile; send the request again to get its answer", ErrorKind.Conflict);
}