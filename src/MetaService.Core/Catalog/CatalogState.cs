using System.Collections.Concurrent;

using MetaService.Core.Storage;

namespace MetaService.Core.Catalog;

/// <summary>The catalog's entries by key and the index of each tenant: loaded in pages, then changed by the catalog's
/// follow loop only (readers take the index's lock).</summary>
internal sealed class CatalogState
{
    /// <summary>Reads every record key in pages; returns them with the revision of the first page. Later pages are at later
    /// revisions, and the watch replays from the first: applying only changes newer than an entry makes the
    /// result exact.</summary>
    public static async Task<(CatalogState State, long Revision)> LoadAsync(IMetaStore store, int pageSize, CancellationToken cancellationToken)
    {
        var state = new CatalogState();
        long? first = null;
        string? after = null;
        while (true)
        {
            var page = await store.RangeKeysAsync(PlatformKeys.RecordRoot, pageSize, after, cancellationToken);
            first ??= page.Revision;
            foreach (var kv in page.Items)
            {
                state.Apply(new WatchEvent(WatchEventType.Put, kv));
            }

            if (!page.More || page.Items.Count == 0)
            {
                return (state, first.Value);
            }

            after = page.Items[^1].Key;
        }
    }

    public ConcurrentDictionary<string, FunctionEntry> ByKey { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, TenantIndex> Tenants { get; } = new(StringComparer.Ordinal);

    public void Apply(WatchEvent change)
    {
        var kv = change.Kv;
        if (!FunctionEntry.TryCreate(kv.Key, kv.ModRevision, out var entry, out var tenantPrefix))
        {
            return;
        }

        var existing = ByKey.GetValueOrDefault(kv.Key);
        if (existing is not null && existing.ModRevision >= kv.ModRevision)
        {
            return;
        }

        var index = Tenants.GetOrAdd(tenantPrefix, _ => new TenantIndex());
        lock (index)
        {
            if (change.Type == WatchEventType.Put)
            {
                ByKey[kv.Key] = entry;
                index.Put(entry);
            }
            else if (existing is not null)
            {
                ByKey.TryRemove(kv.Key, out _);
                index.Remove(existing);
            }
        }
    }
}