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

    public ConcurrentDictionary<string, TenantIndex> Tenants { get; } = new(StringComparer.Ordinal);

    /// <summary>How many entries all tenants hold.</summary>
    public long Count => Tenants.Values.Sum(index => { lock (index) { return index.Entries; } });

    /// <summary>The entry stored at <paramref name="key"/>; null when none (or not a record key).</summary>
    public FunctionEntry? Find(string key)
    {
        if (!FunctionEntry.TryTenantPrefix(key, out var length) || Tenants.GetValueOrDefault(key[..length]) is not { } index)
        {
            return null;
        }

        var (product, name) = FunctionEntry.FunctionOf(key, length);
        lock (index)
        {
            return index.Find(product, name, key);
        }
    }

    public void Apply(WatchEvent change)
    {
        var kv = change.Kv;
        if (!FunctionEntry.TryTenantPrefix(kv.Key, out var length))
        {
            return;
        }

        var index = Tenants.GetOrAdd(kv.Key[..length], prefix => new TenantIndex(prefix));
        var entry = FunctionEntry.Create(index.Prefix, kv.Key, kv.ModRevision);
        lock (index)
        {
            index.Apply(entry, change.Type == WatchEventType.Put);
        }
    }
}