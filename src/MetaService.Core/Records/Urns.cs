namespace MetaService.Core.Records;

/// <summary>The URNs of functions, versions and layers, as the platform reads them.</summary>
public static class Urns
{
    public static string Function(MetaOptions options, Tenant tenant, string name) =>
        $"{options.UrnPrefix}:{options.UrnZone}:{Tenant.Business}:{tenant.UrnTenant}:function:{name}";

    public static string Version(MetaOptions options, Tenant tenant, string name, string version) =>
        $"{Function(options, tenant, name)}:{version}";

    /// <summary>A layer version's URN, <c>prefix:zone:yrk:tenant:layer:name:version</c>.</summary>
    public static string Layer(MetaOptions options, Tenant tenant, LayerRef layer) =>
        $"{options.UrnPrefix}:{options.UrnZone}:{Tenant.Business}:{tenant.UrnTenant}:layer:{layer.Name}:{layer.Version}";
}