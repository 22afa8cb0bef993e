using MetaService.Core.Storage;

namespace MetaService.Core.History;

/// <summary>
/// One pass of retention, for both places entries live. It walks every function's entries kept at keys (keys only, newest
/// first, a batch at a time) and deletes those past the newest <see cref="HistoryOptions.MaxEntriesPerFunction"/> or older
/// than <see cref="HistoryOptions.MaxAgeDays"/>, each with its trail and snapshot keys; then it trims the store's append log
/// by the same limits, if the store has one (<see cref="IAppendLog.TrimAsync"/>, in batches of its own). Each batch is its own transaction, guarded by the keys' mod revisions, apart from any write,
/// so pruning never slows a write's transaction; a second replica pruning the same keys loses its compares harmlessly.
/// </summary>
public sealed class HistoryPruning(IMetaStore store, HistoryOptions options)
{
    /// <summary>Entries one transaction deletes (four deletes each: the entry, its trail key, its snapshot at either of
    /// its keys): etcd refuses more than 128 operations in one.</summary>
    private const int EntriesPerTxn = 24;

    /// <summary>Deletes what is past retention at <paramref name="now"/>; returns how many entries.</summary>
    public async Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var oldest = now.AddDays(-options.MaxAgeDays);
        var pruned = 0;
        string? after = null;
        string? function = null;
        var kept = 0;
        while (true)
        {
            var page = await store.RangeKeysAsync(HistoryKeys.AllFunctions, options.PruneBatch, after, cancellationToken);
            var compares = new List<Compare>();
            var deletes = new List<WriteOp>();
            foreach (var kv in page.Items)
            {
                var owner = kv.Key[..(kv.Key.LastIndexOf('/') + 1)];
                if (owner != function)
                {
                    function = owner;
                    kept = 0;
                }

                if (++kept <= options.MaxEntriesPerFunction && HistoryKeys.TimeOf(kv.Key) >= oldest)
                {
                    continue;
                }

                if (compares.Count == EntriesPerTxn)
                {
                    pruned += await DeleteAsync(compares, deletes, cancellationToken);
                }

                compares.Add(new Compare(kv.Key, kv.ModRevision));
                deletes.Add(new WriteOp.Delete(kv.Key));
                deletes.Add(new WriteOp.Delete(HistoryKeys.SnapshotKeyOf(kv.Key)));
                deletes.Add(new WriteOp.Delete(HistoryKeys.EarlierSnapshotKeyOf(kv.Key)));
                if (HistoryKeys.TrailKeyOf(kv.Key) is { } trail)
                {
                    deletes.Add(new WriteOp.Delete(trail));
                }
            }

            pruned += await DeleteAsync(compares, deletes, cancellationToken);

            if (!page.More || page.Items.Count == 0)
            {
                return pruned + (store.Appends is { } log ? await log.TrimAsync(options.MaxEntriesPerFunction, oldest, options.PruneBatch, cancellationToken) : 0);
            }

            after = page.Items[^1].Key;
        }
    }

    /// <summary>Deletes the entries gathered (a lost compare leaves them to the next pass); returns how many.</summary>
    private async Task<int> DeleteAsync(List<Compare> compares, List<WriteOp> deletes, CancellationToken cancellationToken)
    {
        var count = compares.Count > 0 && (await store.TxnAsync(compares, deletes, cancellationToken)).Succeeded ? compares.Count : 0;
        compares.Clear();
        deletes.Clear();
        return count;
    }
}