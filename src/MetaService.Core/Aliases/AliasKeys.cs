using MetaService.Core.Storage;

namespace MetaService.Core.Aliases;

/// <summary>
/// The keys of an alias: the original's record and routing index under <c>/repo</c> (its layout, so that either service
/// can take over), the key the platform routes by under <c>/sn/aliases</c>, and MetaService's own keys under
/// <see cref="PlatformKeys.OwnRoot"/>: a per-function guard every alias write rewrites (so a version delete, a publish
/// that prunes and another alias write each see the aliases as they are when they commit) and each alias's previous
/// routing (what rollback restores).
/// </summary>
public static class AliasKeys
{
    private static string Scope(Tenant tenant, string name) => $"{Tenant.Business}/{tenant.TenantId}/{tenant.ProductId}/{name}";

    /// <summary>Every alias record of a function.</summary>
    public static string Records(Tenant tenant, string name) => $"/repo/Alias/{Scope(tenant, name)}/";

    public static string Record(Tenant tenant, string name, string alias) => $"{Records(tenant, name)}{alias}/";

    /// <summary>The original's routing index (one entry per routed version).</summary>
    public static string RoutingIndexes(Tenant tenant, string name) => $"/repo/AliasRoutingIndex/{Scope(tenant, name)}/";

    public static string RoutingIndex(Tenant tenant, string name, string version) => $"{RoutingIndexes(tenant, name)}{version}/";

    /// <summary><c>/sn/aliases/business/yrk/tenant/&lt;t&gt;/function/&lt;name&gt;/&lt;alias&gt;</c>: 10 segments, as the consumers filter.</summary>
    public static string Published(Tenant tenant, string name, string alias) => PlatformKeys.Aliases(tenant, name) + alias;

    public static string Guard(Tenant tenant, string name) => $"{PlatformKeys.OwnRoot}AliasGuard/{Scope(tenant, name)}";

    public static string PreviousRoutings(Tenant tenant, string name) => $"{PlatformKeys.OwnRoot}AliasPrevious/{Scope(tenant, name)}/";

    public static string PreviousRouting(Tenant tenant, string name, string alias) => PreviousRoutings(tenant, name) + alias;

    public static string Retention(Tenant tenant, string name) => $"{PlatformKeys.OwnRoot}VersionRetention/{Scope(tenant, name)}";

    /// <summary>MetaService's own alias keys of a function, deleted with it (the <c>/repo</c> and <c>/sn</c> ones go with the
    /// tables the function delete clears already).</summary>
    public static IEnumerable<WriteOp> DeleteOwn(Tenant tenant, string name)
    {
        yield return new WriteOp.Delete(Guard(tenant, name));
        yield return new WriteOp.DeletePrefix(PreviousRoutings(tenant, name));
        yield return new WriteOp.Delete(Retention(tenant, name));
    }
}