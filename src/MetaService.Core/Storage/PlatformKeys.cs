namespace MetaService.Core.Storage;

/// <summary>
/// The keys MetaService writes (§6 of the reference). <c>/sn/functions</c>, <c>/yr/functions</c> and
/// <c>/instances</c> are the platform's contract: its schedulers and proxies watch them. <c>/repo</c>
/// holds the original's own tables (function versions, statuses, package references), in its layout and value
/// format, so that either service can take over from the other. What only MetaService has lives under
/// <see cref="OwnRoot"/>, which no openYuanrong component reads.
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

    /// <summary>The original's <c>FunctionStatus</c> table: one record beside each version.</summary>
    public static string FunctionStatuses(Tenant tenant, string name) =>
        $"/repo/FunctionStatus/{Tenant.Business}/{tenant.TenantId}/{tenant.ProductId}/{name}/";

    public static string Status(Tenant tenant, string name, string version) => $"{FunctionStatuses(tenant, name)}{version}/";

    /// <summary>The original's <c>ObjectRefIndex</c>: how many versions refer to a repository-managed code package.</summary>
    public static string ObjectRef(Tenant tenant, string bucket, string objectId) =>
        $"/repo/ObjectRefIndex/{Tenant.Business}/{tenant.TenantId}/{tenant.ProductId}/{bucket}/{objectId}/";

    private static readonly string[] FunctionTableNames = ["Alias", "AliasRoutingIndex", "Trigger", "FunctionResourceIDIndex"];

    private static readonly string[] VersionTableNames = ["Trigger", "FunctionResourceIDIndex"];

    /// <summary>The original's tables keyed below a function's name that its delete clears (aliases, their routing
    /// index, triggers and their resource ids): none of its served routes writes them, but a cluster may hold them.</summary>
    public static IEnumerable<string> FunctionTables(Tenant tenant, string name) =>
        FunctionTableNames.Select(table => $"/repo/{table}/{Tenant.Business}/{tenant.TenantId}/{tenant.ProductId}/{name}/");

    /// <summary>The same tables' entries of one version.</summary>
    public static IEnumerable<string> VersionTables(Tenant tenant, string name, string version) =>
        VersionTableNames.Select(table => $"/repo/{table}/{Tenant.Business}/{tenant.TenantId}/{tenant.ProductId}/{name}/{version}/");

    /// <summary>MetaService's own keys: what the original has no table for. No openYuanrong component reads them.</summary>
    public const string OwnRoot = "/metaservice/";

    /// <summary><c>/sn/functions</c> for faas and agent, <c>/yr/functions</c> for every other kind.</summary>
    public static string PublishedRoot(string kind) => kind is FunctionKinds.Faas or FunctionKinds.Agent ? "/sn/functions" : "/yr/functions";

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
        $"{OwnRoot}ReservedInstanceLabels/{Tenant.Business}/{tenant.TenantId}/{tenant.ProductId}/{name}/";

    /// <summary>Where MetaService kept those guards before it had a root of its own; cleared with the function.</summary>
    public static string LegacyReserveLabelGuards(Tenant tenant, string name) =>
        $"/repo/ReservedInstanceLabels/{Tenant.Business}/{tenant.TenantId}/{tenant.ProductId}/{name}/";

    public static string ReserveLabelGuard(Tenant tenant, string name, string version) => ReserveLabelGuards(tenant, name) + version;

    public static string Aliases(Tenant tenant, string name) =>
        $"/sn/aliases/business/{Tenant.Business}/tenant/{tenant.UrnTenant}/function/{name}/";

    public static string Triggers(Tenant tenant, string name) =>
        $"/sn/triggers/triggerType/HTTP/business/{Tenant.Business}/tenant/{tenant.UrnTenant}/function/{name}/";

    public static string FunctionChain(Tenant tenant, string name) =>
        $"/sn/functionchains/business/{Tenant.Business}/tenant/{tenant.UrnTenant}/function/{name}";
}