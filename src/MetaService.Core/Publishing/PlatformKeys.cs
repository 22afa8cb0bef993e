using MetaService.Core.Functions;

namespace MetaService.Core.Publishing;

/// <summary>
/// The keys MetaService writes (§6 of the reference). <c>/sn/functions</c>, <c>/yr/functions</c> and
/// <c>/instances</c> are the platform's contract: its schedulers and proxies watch them. <c>/repo</c>
/// holds MetaService's own records, in the original's layout.
/// </summary>
public static class PlatformKeys
{
    public const string RecordRoot = "/repo/FunctionVersion/";

    /// <summary>Every record of a tenant, across its products (what list reads).</summary>
    public static string TenantRecords(Tenant tenant) => $"{RecordRoot}{Tenant.Business}/{tenant.TenantId}/";

    /// <summary>Every version record of one function.</summary>
    public static string FunctionRecords(Tenant tenant, string name) =>
        $"{RecordRoot}{Tenant.Business}/{tenant.TenantId}/{tenant.ProductId}/{name}/";

    public static string Record(Tenant tenant, string name, string version) => $"{FunctionRecords(tenant, name)}{version}/";

    /// <summary><c>/sn/functions</c> for faas and agent, <c>/yr/functions</c> for every other kind.</summary>
    public static string PublishedRoot(string kind) => kind is FunctionNames.KindFaas or FunctionNames.KindAgent ? "/sn/functions" : "/yr/functions";

    public static string PublishedVersions(string root, Tenant tenant, string name) =>
        $"{root}/business/{Tenant.Business}/tenant/{tenant.UrnTenant}/function/{name}/version/";

    public static string Published(string kind, Tenant tenant, string name, string version) =>
        PublishedVersions(PublishedRoot(kind), tenant, name) + version;

    public static string InstanceVersions(string cluster, Tenant tenant, string name) =>
        $"/instances/business/{Tenant.Business}/cluster/{cluster}/tenant/{tenant.TenantId}/function/{name}/version/";

    public static string Instance(string cluster, Tenant tenant, string name, string version) =>
        InstanceVersions(cluster, tenant, name) + version;

    /// <summary>The reserved-instance labels of one function version in one cluster (§3.8).</summary>
    public static string InstanceLabels(string cluster, Tenant tenant, string name, string version) =>
        Instance(cluster, tenant, name, version) + "/label/";

    public static string InstanceLabel(string cluster, Tenant tenant, string name, string version, string label) =>
        InstanceLabels(cluster, tenant, name, version) + label;

    /// <summary>Every pod pool (§3.9); the platform watches this prefix.</summary>
    public const string PoolRoot = "/yr/podpools/info/";

    public static string Pool(string id) => PoolRoot + id;

    /// <summary>MetaService's own guard of a function version's label set: every create of a new label
    /// rewrites it, so two creates that counted the same labels cannot both commit.</summary>
    public static string ReserveLabelGuards(Tenant tenant, string name) =>
        $"/repo/ReservedInstanceLabels/{Tenant.Business}/{tenant.TenantId}/{tenant.ProductId}/{name}/";

    public static string ReserveLabelGuard(Tenant tenant, string name, string version) => ReserveLabelGuards(tenant, name) + version;

    public static string Aliases(Tenant tenant, string name) =>
        $"/sn/aliases/business/{Tenant.Business}/tenant/{tenant.UrnTenant}/function/{name}/";

    public static string Triggers(Tenant tenant, string name) =>
        $"/sn/triggers/triggerType/HTTP/business/{Tenant.Business}/tenant/{tenant.UrnTenant}/function/{name}/";

    public static string FunctionChain(Tenant tenant, string name) =>
        $"/sn/functionchains/business/{Tenant.Business}/tenant/{tenant.UrnTenant}/function/{name}";
}