using System.Globalization;
using System.Text;

using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Catalog;

/// <summary>
/// Finds the function records an earlier MetaService stored in its own JSON and rewrites them in openYuanrong's format
/// , after the catalog has loaded, so that the original can take the
/// store back. Without a mark it reads every record with its value; a pass that read at least <c>markFrom</c> records
/// then stores, under MetaService's own key <see cref="CheckedKey"/>, the revision every record up to which it looked
/// at, and later passes read only the records the catalog holds at a later mod revision. Small stores are read whole
/// each time and never written to unless a record needs rewriting.
/// </summary>
public static class EarlierRecords
{
    /// <summary>The revision up to which every record was looked at (decimal text).</summary>
    public const string CheckedKey = PlatformKeys.OwnRoot + "format/checked-through";

    /// <summary>From how many records read a pass stores its mark.</summary>
    public const int DefaultMarkFrom = 10_000;

    /// <summary>Looks at the records changed since the last mark (all without one); returns how many were read and
    /// how many rewritten.</summary>
    public static async Task<(int Read, int Rewritten)> RewriteAsync(FunctionCatalog catalog, CancellationToken cancellationToken, int markFrom = DefaultMarkFrom)
    {
        var store = catalog.Store;
        var mark = await store.GetAsync(CheckedKey, cancellationToken);
        var marked = mark is not null && long.TryParse(Encoding.ASCII.GetString(mark.Value), NumberStyles.None, CultureInfo.InvariantCulture, out var through)
            ? through
            : (long?)null;
        var (applied, changed) = await catalog.ChangedAfterAsync(marked, cancellationToken);
        var (read, rewritten) = (0, 0);
        if (marked is null)
        {
            (read, rewritten) = await RewriteAllAsync(store, cancellationToken);
        }
        else
        {
            foreach (var key in changed)
            {
                if (await store.GetAsync(key, cancellationToken) is { } kv)
                {
                    read++;
                    rewritten += await RewriteIfEarlierAsync(store, kv, cancellationToken) ? 1 : 0;
                }
            }
        }

        if (read >= markFrom)
        {
            await store.TxnAsync([], [new WriteOp.Put(CheckedKey, Encoding.ASCII.GetBytes(applied.ToString(CultureInfo.InvariantCulture)))], cancellationToken);
        }

        return (read, rewritten);
    }

    /// <summary>Rewrites, in the original's format, every record an earlier MetaService stored in its own JSON, so that
    /// the original can read every version (published versions are never written again otherwise). Reads in pages;
    /// returns how many records were read and how many rewritten.</summary>
    private static async Task<(int Read, int Rewritten)> RewriteAllAsync(IMetaStore store, CancellationToken cancellationToken)
    {
        var (read, rewritten) = (0, 0);
        string? after = null;
        while (true)
        {
            var page = await store.RangeAsync(PlatformKeys.RecordRoot, 256, after, cancellationToken);
            foreach (var kv in page.Items)
            {
                read++;
                rewritten += await RewriteIfEarlierAsync(store, kv, cancellationToken) ? 1 : 0;
            }

            if (!page.More || page.Items.Count == 0)
            {
                return (read, rewritten);
            }

            after = page.Items[^1].Key;
        }
    }

    /// <summary>Rewrites one record in the original's format when an earlier MetaService stored it in its own JSON. The
    /// rewrite compares the record's mod revision: a record another writer changed meanwhile is left to that writer.</summary>
    private static async Task<bool> RewriteIfEarlierAsync(IMetaStore store, KeyValue kv, CancellationToken cancellationToken)
    {
        if (!RecordFormat.IsOwnFormat(kv.Value))
        {
            return false;
        }

        FunctionRecord record;
        try
        {
            record = RecordFormat.Decode(kv.Key, kv.Value);
        }
        catch (UnreadableRecordException)
        {
            return false;
        }

        var result = await store.TxnAsync([new Compare(kv.Key, kv.ModRevision)], [new WriteOp.Put(kv.Key, RecordFormat.Encode(record))], cancellationToken);
        return result.Succeeded;
    }
}