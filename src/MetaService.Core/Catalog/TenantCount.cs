namespace MetaService.Core.Catalog;

/// <summary>How many functions and published versions one tenant has.</summary>
public sealed record TenantCount(string Tenant, long Functions, long Versions);