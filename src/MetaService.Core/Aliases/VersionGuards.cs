using MetaService.Core.Functions;
using MetaService.Core.Storage;

namespace MetaService.Core.Aliases;

/// <summary>
/// What a version delete and a publish must check against the aliases, in their own transactions: a version an alias
/// routes to is not deleted (4105), and a publish of a function with a version retention prunes its oldest versions no
/// alias routes to. Both read the aliases from the store and add compares that fail if any alias changes before the
/// transaction commits (<see cref="FunctionAliases.Unchanged"/>), so the check cannot be stale.
/// </summary>
public static class VersionGuards
{
    /// <summary>The compares a delete of <paramref name="versions"/> adds, or 4105 when an alias routes to one of them.</summary>
    public static async Task<Outcome<IReadOnlyList<Compare>>> ForDeleteAsync(IMetaStore store, Tenant tenant, string name, IEnumerable<string> versions, CancellationToken cancellationToken)
    {
        var state = await FunctionAliases.ReadAsync(store, tenant, name, cancellationToken);
        foreach (var version in versions)
        {
            if (state.RoutedBy(version) is { } alias)
            {
                return AliasErrors.VersionRouted(version, alias);
            }
        }

        return state.Unchanged(tenant, name).ToList();
    }

    /// <summary>
    /// The versions a publish prunes to stay within the function's retention (none without one: the original's limit
    /// then stands), the oldest published first among those no alias routes to, with the compares that keep the choice
    /// valid. 4110 when too many of the versions are routed for the publish to stay within it.
    /// </summary>
    public static async Task<Outcome<Pruning>> ForPublishAsync(IMetaStore store, Tenant tenant, string name, IReadOnlyList<StoredVersion> versions, int versionMax, CancellationToken cancellationToken)
    {
        var setting = await store.GetAsync(AliasKeys.Retention(tenant, name), cancellationToken);
        if (setting is null || AliasRecord.DecodeRetention(setting.Value) is not { KeepVersions: > 0 } retention)
        {
            return Pruning.None;
        }

        var keep = Math.Min(retention.KeepVersions, versionMax);
        var published = versions.Where(v => !v.IsDraft).OrderBy(v => v.ModRevision).ToList();
        var excess = published.Count + 1 - keep;
        var compares = new List<Compare> { new(setting.Key, setting.ModRevision) };
        if (excess <= 0)
        {
            return new Pruning(compares, []);
        }

        var state = await FunctionAliases.ReadAsync(store, tenant, name, cancellationToken);
        var pruned = published.Where(v => state.RoutedBy(v.Version) is null).Take(excess).ToList();
        if (pruned.Count < excess)
        {
            return AliasErrors.AllVersionsRouted(keep);
        }

        compares.AddRange(state.Unchanged(tenant, name));
        compares.AddRange(pruned.Select(v => new Compare(v.Key, v.ModRevision)));
        return new Pruning(compares, pruned);
    }
}

/// <summary>The versions a publish deletes with it, and the compares that keep that choice valid.</summary>
public sealed record Pruning(IReadOnlyList<Compare> Compares, IReadOnlyList<StoredVersion> Versions)
{
    public static Pruning None { get; } = new([], []);
}