using MetaService.Core.Publishing;
using MetaService.Core.Storage;

namespace MetaService.Core.Functions;

/// <summary>The records a write starts from: from the catalog, or from the store itself when <c>fresh</c>
/// (after a lost race, when the catalog may not yet hold the winner's change).</summary>
internal sealed class StoredRecords(FunctionCatalog catalog)
{
    private readonly IMetaStore store = catalog.Store;

    public async Task<StoredRecord?> GetDraftAsync(Tenant tenant, string name, bool fresh, CancellationToken cancellationToken, string? kindHint = null)
    {
        var first = FunctionNames.DraftVersion(kindHint);
        var second = first == FunctionNames.DraftFaas ? FunctionNames.DraftOther : FunctionNames.DraftFaas;
        return await GetRecordAsync(PlatformKeys.Record(tenant, name, first), fresh, cancellationToken)
            ?? await GetRecordAsync(PlatformKeys.Record(tenant, name, second), fresh, cancellationToken);
    }

    public async Task<StoredRecord?> GetRecordAsync(string key, bool fresh, CancellationToken cancellationToken)
    {
        if (fresh)
        {
            var kv = await store.GetAsync(key, cancellationToken);
            return kv is null ? null : new StoredRecord(kv.Key, kv.ModRevision, FunctionEntry.Decode(kv.Key, kv.Value));
        }

        var entry = await catalog.GetAsync(key, cancellationToken);
        return entry is null ? null : new StoredRecord(entry.Key, entry.ModRevision, entry.Record);
    }

    public async Task<List<StoredRecord>> GetVersionsAsync(Tenant tenant, string name, bool fresh, CancellationToken cancellationToken)
    {
        if (fresh)
        {
            var range = await store.RangeAsync(PlatformKeys.FunctionRecords(tenant, name), cancellationToken: cancellationToken);
            return [.. range.Items.Select(kv => new StoredRecord(kv.Key, kv.ModRevision, FunctionEntry.Decode(kv.Key, kv.Value)))];
        }

        var versions = await catalog.VersionsAsync(tenant, name, cancellationToken);
        versions.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return [.. versions.Select(e => new StoredRecord(e.Key, e.ModRevision, e.Record))];
    }
}

internal readonly record struct StoredRecord(string Key, long ModRevision, FunctionRecord Record);