using MetaService.Core.Storage;

namespace MetaService.Core.Catalog;

/// <summary>Pages in key order, for lists continued with a token (<c>limit</c> and <c>continue</c>).</summary>
public sealed partial class FunctionCatalog
{
    /// <summary>Up to <paramref name="take"/> versions of the tenant that <see cref="MatchAsync"/> would give, after the key part
    /// <paramref name="after"/>, in key order; with the revision the catalog had applied when it read them (at least).</summary>
    public async ValueTask<(List<FunctionEntry> Rows, long Revision)> PageAsync(Tenant tenant, string? name, string? version, string? after, int take, CancellationToken cancellationToken)
    {
        var state = await ReadyAsync(cancellationToken);
        var revision = AppliedRevision;
        var index = state.Tenants.GetValueOrDefault(PlatformKeys.TenantRecords(tenant));
        if (index is null)
        {
            return ([], revision);
        }

        lock (index)
        {
            return (index.MatchAfter(name, version, after, take), revision);
        }
    }
}