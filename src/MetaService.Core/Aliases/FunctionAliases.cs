using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Aliases;

/// <summary>
/// A function's aliases and versions as a write reads them from the store: the guard's mod revision (read first, so an
/// alias write that commits after this read changes it and fails the compare of the write built from this read), every
/// alias record with its mod revision, and every version key. Never from a cache: what protects a version must be what
/// the store holds when the transaction commits.
/// </summary>
public sealed class FunctionAliases
{
    private FunctionAliases(long guardRevision, List<StoredAlias> aliases, Dictionary<string, KeyValue> versions)
    {
        GuardRevision = guardRevision;
        Aliases = aliases;
        Versions = versions;
    }

    public long GuardRevision { get; }

    public IReadOnlyList<StoredAlias> Aliases { get; }

    /// <summary>Version number → its record key (with its mod revision).</summary>
    public IReadOnlyDictionary<string, KeyValue> Versions { get; }

    public static async Task<FunctionAliases> ReadAsync(IMetaStore store, Tenant tenant, string name, CancellationToken cancellationToken)
    {
        var guard = await store.GetAsync(AliasKeys.Guard(tenant, name), cancellationToken);
        var records = await store.RangeAsync(AliasKeys.Records(tenant, name), cancellationToken: cancellationToken);
        var aliases = new List<StoredAlias>(records.Items.Count);
        foreach (var kv in records.Items)
        {
            var alias = kv.Key[AliasKeys.Records(tenant, name).Length..].TrimEnd('/');
            if (alias.Length > 0 && !alias.Contains('/'))
            {
                aliases.Add(new StoredAlias(alias, kv, AliasRecord.Decode(kv.Value)));
            }
        }

        var previous = new Dictionary<string, PreviousRouting?>(StringComparer.Ordinal);
        foreach (var kv in (await store.RangeAsync(AliasKeys.PreviousRoutings(tenant, name), cancellationToken: cancellationToken)).Items)
        {
            previous[kv.Key[AliasKeys.PreviousRoutings(tenant, name).Length..]] = AliasRecord.DecodePrevious(kv.Value);
        }

        for (var i = 0; i < aliases.Count; i++)
        {
            aliases[i] = aliases[i] with { Previous = previous.GetValueOrDefault(aliases[i].Name) };
        }

        var versions = new Dictionary<string, KeyValue>(StringComparer.Ordinal);
        foreach (var kv in (await store.RangeKeysAsync(PlatformKeys.FunctionRecords(tenant, name), cancellationToken: cancellationToken)).Items)
        {
            if (RecordFormat.TryParseKey(kv.Key, out var parts))
            {
                versions[parts.Version] = kv;
            }
        }

        return new FunctionAliases(guard?.ModRevision ?? 0, aliases, versions);
    }

    public StoredAlias? Find(string alias) => Aliases.FirstOrDefault(a => a.Name == alias);

    /// <summary>The compares that hold while no alias of the function changes.</summary>
    public IEnumerable<Compare> Unchanged(Tenant tenant, string name) =>
        Aliases.Select(a => new Compare(a.Kv.Key, a.Kv.ModRevision)).Prepend(new Compare(AliasKeys.Guard(tenant, name), GuardRevision));

    /// <summary>Which alias routes to <paramref name="version"/>, if any.</summary>
    public string? RoutedBy(string version) =>
        Aliases.FirstOrDefault(a => a.Record is { } record && record.Targets().Contains(version, StringComparer.Ordinal))?.Name;
}

/// <summary>One stored alias: its name (from the key), its key and revisions, its record (null when unreadable).</summary>
public sealed record StoredAlias(string Name, KeyValue Kv, AliasRecord? Record)
{
    /// <summary>The routing rollback restores, when the alias has one.</summary>
    public PreviousRouting? Previous { get; init; }
}