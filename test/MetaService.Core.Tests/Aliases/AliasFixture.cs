using MetaService.Core.Aliases;
using MetaService.Core.Storage;
using MetaService.Core.Tests.Catalog;

namespace MetaService.Core.Tests.Aliases;

/// <summary>A function with versions in a real store, and the alias service over it, for the alias tests.</summary>
internal static class AliasFixture
{
    public const string Name = "0-svc-fn";

    public static readonly Tenant Alice = new("alice");

    /// <summary>What a view's and a published value's URNs begin with.</summary>
    public static readonly string FunctionUrn = $"sn:cn:yrk:alice:function:{Name}";

    /// <summary>The function <see cref="Name"/> with <paramref name="versions"/>; returns the store's revision after.</summary>
    public static async Task<long> FunctionAsync(IMetaStore store, params string[] versions)
    {
        var revision = 0L;
        foreach (var version in versions)
        {
            revision = await StoredRecords.PutAsync(store, Alice, Name, version);
        }

        return revision;
    }

    public static AliasService Service(IMetaStore store, TimeProvider clock, MetaOptions? options = null) => new(store, options ?? new MetaOptions(), clock);

    public static AliasRequest Weighted(string alias, string version, Dictionary<string, double>? weights = null, string? description = null) =>
        new() { Name = alias, FunctionVersion = version, RoutingConfig = weights, Description = description };

    public static RoutingRules Rules(string gray, params string[] rules) => new() { RuleLogic = "and", Rules = rules, GrayVersion = gray };

    public static async Task<AliasRecord?> StoredAsync(IMetaStore store, string alias) =>
        await store.GetAsync(AliasKeys.Record(Alice, Name, alias), Xunit.TestContext.Current.CancellationToken) is { } kv ? AliasRecord.Decode(kv.Value) : null;

    /// <summary>Each routed version and the alias its routing index entry names.</summary>
    public static async Task<Dictionary<string, string>> IndexAsync(IMetaStore store)
    {
        var prefix = AliasKeys.RoutingIndexes(Alice, Name);
        var range = await store.RangeAsync(prefix, cancellationToken: Xunit.TestContext.Current.CancellationToken);
        return range.Items.ToDictionary(kv => kv.Key[prefix.Length..^1], kv => System.Text.Encoding.UTF8.GetString(kv.Value), StringComparer.Ordinal);
    }

    public static Task<long> RevisionAsync(IMetaStore store) => store.GetRevisionAsync(Xunit.TestContext.Current.CancellationToken);
}