using MetaService.Core.Storage;

namespace MetaService.Core.History;

/// <summary>
/// One pass of retention, for both places entries live. It walks every function's entries kept at keys (keys only, newest
/// first, a batch at a time) and deletes those past the newest <see cref="HistoryOptions.MaxEntriesPerFunction"/> or older
/// than <see cref="HistoryOptions.MaxAgeDays"/>, each with its trail and snapshot keys; then it trims the store's append log
/// by the same limits, if the store has one (<see cref="IAppendLog.TrimAsync(int, DateTimeOffset, int, long, CancellationToken)"/>, in batches of its own). Each batch is its own transaction, guarded by the keys' mod revisions, apart from any write,
/// so pruning never slows a write's transaction; a second replica pruning the same keys loses its compares harmlessly.
/// Between passes, <see cref="PruneGrownAsync"/> trims the append log by what was appended since. One caller at a time.
/// </summary>
public sealed class HistoryPruning(IMetaStore store, HistoryOptions options)
{
    /// <summary>The newest appended id when the append log was last trimmed (0: not yet).</summary>
    private long _trimmedThrough;

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
                return pruned + (store.Appends is { } log ? await TrimAsync(log, oldest, keysAppendedAfter: 0, await log.NewestIdAsync(cancellationToken), cancellationToken) : 0);
            }

            after = page.Items[^1].Key;
        }
    }

    /// <summary>Trims the store's append log once <see cref="HistoryOptions.PruneAfterAppends"/> entries were appended since
    /// it was last trimmed, by count only for the functions written since; returns how many entries went (0 also when it
    /// has not grown that far, or the store has no append log).</summary>
    public async Task<int> PruneGrownAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.PruneAfterAppends == 0 || store.Appends is not { } log)
        {
            return 0;
        }

        var newest = await log.NewestIdAsync(cancellationToken);
        return newest - _trimmedThrough < options.PruneAfterAppends ? 0 : await TrimAsync(log, now.AddDays(-options.MaxAgeDays), _trimmedThrough, newest, cancellationToken);
    }

    /// <summary>Trims the log, then remembers <paramref name="newest"/>, read before the trim: what is appended during it
    /// is read by the next one.</summary>
    private async Task<int> TrimAsync(IAppendLog log, DateTimeOffset oldest, long keysAppendedAfter, long newest, CancellationToken cancellationToken)
    {
        var trimmed = await log.TrimAsync(options.MaxEntriesPerFunction, oldest, options.PruneBatch, keysAppendedAfter, cancellationToken);
        _trimmedThrough = newest;
        return trimmed;
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