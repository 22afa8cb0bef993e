using System.Globalization;
using System.Text;

using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Catalog;

/// <summary>
/// Finds the function records an earlier MetaService stored in its own JSON and rewrites them in openYuanrong's format
/// (<see cref="RecordFormat.RewriteIfEarlierAsync"/>), after the catalog has loaded, so that the original can take the
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
        var (applied, changed) = await catalog.ChangedAfterAsync(marked ?? long.MaxValue, cancellationToken);
        var (read, rewritten) = (0, 0);
        if (marked is null)
        {
            (read, rewritten) = await RecordFormat.RewriteEarlierRecordsAsync(store, cancellationToken);
        }
        else
        {
            foreach (var key in changed)
            {
                if (await store.GetAsync(key, cancellationToken) is { } kv)
                {
                    read++;
                    rewritten += await RecordFormat.RewriteIfEarlierAsync(store, kv, cancellationToken) ? 1 : 0;
                }
            }
        }

        if (read >= markFrom)
        {
            await store.TxnAsync([], [new WriteOp.Put(CheckedKey, Encoding.ASCII.GetBytes(applied.ToString(CultureInfo.InvariantCulture)))], cancellationToken);
        }

        return (read, rewritten);
    }
}