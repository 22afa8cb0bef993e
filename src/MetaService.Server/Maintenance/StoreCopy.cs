using MetaService.Core.Storage;
using MetaService.Sqlite.Backup;

namespace MetaService.Server.Maintenance;

/// <summary>How much a copy wrote, and the target's revision after it.</summary>
internal sealed record CopyTotals(long Keys, long Bytes, long TargetRevision);

/// <summary>
/// Writes a stream of keys into a store through the store seam, value byte for byte, in bounded transactions: at most
/// <see cref="MaxKeysPerTxn"/> keys and about <see cref="MaxTxnBytes"/> bytes each (etcd allows 128 operations and
/// 1.5 MiB per request by default), so memory holds one transaction's keys whatever the store's size. Without
/// <c>force</c> each transaction also requires its keys to be absent, so a key written into the target meanwhile
/// stops the copy instead of being overwritten. The target gives the keys its own revisions.
/// </summary>
internal static class StoreCopy
{
    public const int MaxKeysPerTxn = 64;
    public const int MaxTxnBytes = 1024 * 1024;

    /// <summary>Refuses when the target holds a key under <paramref name="prefix"/> and <paramref name="force"/> is not given.</summary>
    public static async Task EnsureEmptyAsync(IMetaStore target, string prefix, string describe, bool force, CancellationToken cancellationToken)
    {
        if (force)
        {
            return;
        }

        var existing = await target.RangeKeysAsync(prefix, limit: 1, cancellationToken: cancellationToken);
        if (existing.Items.Count > 0)
        {
            throw new MaintenanceRefusedException(
                $"{describe} already holds keys under '{prefix}' (e.g. {existing.Items[0].Key}): copy into an empty store, or add --force to overwrite the keys the source has (the target's other keys stay)");
        }
    }

    public static async Task<CopyTotals> CopyAsync(IAsyncEnumerable<KeyValue> source, IMetaStore target, bool force, CancellationToken cancellationToken)
    {
        var batch = new List<KeyValue>(MaxKeysPerTxn);
        long batchBytes = 0, keys = 0, bytes = 0, revision = await target.GetRevisionAsync(cancellationToken);
        await foreach (var kv in source.WithCancellation(cancellationToken))
        {
            if (kv.Key.Contains('\uFFFD', StringComparison.Ordinal))
            {
                // The seam's keys are text: a key that is not UTF-8 would arrive changed, so it is not copied at all.
                throw new MaintenanceRefusedException($"the source key '{kv.Key}' is not UTF-8 text and cannot be copied unchanged; {keys} keys were copied before it");
            }

            if (batch.Count == MaxKeysPerTxn || (batch.Count > 0 && batchBytes + kv.Value.Length > MaxTxnBytes))
            {
                revision = await CommitAsync(batch, target, force, keys, cancellationToken);
                keys += batch.Count;
                batch.Clear();
                batchBytes = 0;
            }

            batch.Add(kv);
            batchBytes += kv.Key.Length + kv.Value.Length;
            bytes += kv.Value.Length;
        }

        if (batch.Count > 0)
        {
            revision = await CommitAsync(batch, target, force, keys, cancellationToken);
            keys += batch.Count;
        }

        return new CopyTotals(keys, bytes, revision);
    }

    private static async Task<long> CommitAsync(List<KeyValue> batch, IMetaStore target, bool force, long copied, CancellationToken cancellationToken)
    {
        var compares = force ? [] : batch.ConvertAll(kv => Compare.Absent(kv.Key));
        var puts = batch.ConvertAll<WriteOp>(kv => new WriteOp.Put(kv.Key, kv.Value));
        var result = await target.TxnAsync(compares, puts, cancellationToken);
        if (!result.Succeeded)
        {
            throw new MaintenanceRefusedException(
                $"a key between {batch[0].Key} and {batch[^1].Key} appeared in the target during the copy (another writer?); {copied} keys were copied before it. Stop that writer and copy again with --force");
        }

        return result.Revision;
    }
}