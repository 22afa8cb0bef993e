using MetaService.Core.Functions;
using MetaService.Core.Publishing;
using MetaService.Core.Storage;

namespace MetaService.Server.Observability;

/// <summary>Counts functions and published versions per tenant from the record keys
/// (<c>/repo/FunctionVersion/yrk/{tenant}/{product}/{name}/{version}/</c>); values are not decoded.</summary>
internal static class TenantCounts
{
    public static async Task<IReadOnlyList<TenantCount>> ReadAsync(IMetaStore store, CancellationToken cancellationToken)
    {
        var root = PlatformKeys.RecordRoot + Tenant.Business + "/";
        var range = await store.RangeAsync(root, cancellationToken: cancellationToken);
        return [.. range.Items
            .Select(kv => kv.Key[root.Length..].Split('/'))
            .Where(parts => parts.Length >= 4)
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .Select(tenant => new TenantCount(
                tenant.Key,
                tenant.Select(p => p[1] + "/" + p[2]).Distinct(StringComparer.Ordinal).LongCount(),
                tenant.LongCount(p => !FunctionNames.IsDraftVersion(p[3]))))];
    }
}