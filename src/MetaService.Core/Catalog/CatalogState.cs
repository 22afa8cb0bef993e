using System.Collections.Concurrent;

using MetaService.Core.Storage;

namespace MetaService.Core.Catalog;

/// <summary>The catalog's entries by key and the index of each tenant: loaded in pages, then changed by the catalog's
/// follow loop only (readers take the index's lock).</summary>
internal sealed class CatalogState
{
    /// <summary>Reads every record key in pages; returns them with the revision of the first page. Later pages are at later
    /// revisions, and the watch replays from the first: applying only changes newer than an entry makes the
    /// result exact. The next page is read while the last one is applied (on another thread: an embedded store reads
    /// synchronously).</summary>
    public static async Task<(CatalogState State, long Revision)> LoadAsync(IMetaStore store, int pageSize, CancellationToken cancellationToken)
    {
        var state = new CatalogState();
        long? first = null;
        var reading = Read(store, pageSize, null, cancellationToken);
        while (true)
        {
            var page = await reading;
            first ??= page.Revision;
            var more = page.More && page.Items.Count > 0;
            if (more)
            {
                reading = Read(store, pageSize, page.Items[^1].Key, cancellationToken);
            }

            state.Load(page.Items);
            if (!more)
            {
                return (state, first.Value);
            }
        }
    }

    private static Task<RangeResult> Read(IMetaStore store, int pageSize, string? after, CancellationToken cancellationToken) =>
        Task.Run(() => store.RangeKeysAsync(PlatformKeys.RecordRoot, pageSize, after, cancellationToken), cancellationToken);

    /// <summary>Puts a page of keys read in key order: consecutive keys of one tenant share its index without a look-up.</summary>
    private void Load(IReadOnlyList<KeyValue> page)
    {
        TenantIndex? index = null;
        foreach (var kv in page)
        {
            var key = kv.Key;
            if (!FunctionEntry.TryTenantPrefix(key, out var length))
            {
                continue;
            }

            if (index is null || index.Prefix.Length != length || !key.StartsWith(index.Prefix, StringComparison.Ordinal))
            {
                index = Tenants.GetOrAdd(key[..length], prefix => new TenantIndex(prefix));
            }

            lock (index)
            {
                index.Apply(FunctionEntry.Create(index.Prefix, key, kv.ModRevision), put: true);
            }
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

    /// <summary>The functions and published versions of each tenant of the business.</summary>
    public List<TenantCount> Counts()
    {
        var root = PlatformKeys.RecordRoot + Tenant.Business + "/";
        var counts = new List<TenantCount>();
        foreach (var (prefix, index) in Tenants)
        {
            if (prefix.StartsWith(root, StringComparison.Ordinal))
            {
                lock (index)
                {
                    if (index.Functions > 0)
                    {
                        counts.Add(new TenantCount(prefix[root.Length..^1], index.Functions, index.Published));
                    }
                }
            }
        }

        return counts;
    }

    /// <summary>The keys of every entry changed after <paramref name="revision"/>.</summary>
    public List<string> KeysChangedAfter(long revision)
    {
        var keys = new List<string>();
        foreach (var index in Tenants.Values)
        {
            lock (index)
            {
                keys.AddRange(index.KeysChangedAfter(revision));
            }
        }

        return keys;
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