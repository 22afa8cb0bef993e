namespace MetaService.Core;

/// <summary>Who a request acts for: business <c>yrk</c> (fixed), the tenant (<c>X-Tenant-Id</c>, default
/// <c>default</c>) and an optional product (<c>X-Product-Id</c>). Every key and URN is scoped by it.</summary>
public sealed record Tenant(string TenantId, string ProductId = "")
{
    public const string Business = "yrk";

    public static Tenant Default { get; } = new("default");

    /// <summary>The tenant as URNs and published keys spell it: <c>tenant</c> or <c>tenant@product</c>.</summary>
    public string UrnTenant => ProductId.Length == 0 ? TenantId : $"{TenantId}@{ProductId}";
}