using System.Text;

using MetaService.Core.Storage;

namespace MetaService.Core.Aliases;

/// <summary>
/// The one transaction every alias write makes (create, update, rollback, delete): compares that the function's aliases
/// are as read (the guard and every alias record) and that each version the alias routes to still exists; writes of the
/// alias record, its published key, the routing index, the previous routing and the guard. A change that must commit with
/// the alias (a history entry, an idempotency record) is added to <see cref="Compares"/> and <see cref="Writes"/> before
/// the transaction runs.
/// </summary>
public sealed class AliasWrite
{
    public List<Compare> Compares { get; } = [];

    public List<WriteOp> Writes { get; } = [];

    /// <summary>Builds the write that turns <paramref name="state"/>'s alias <paramref name="alias"/> into
    /// <paramref name="after"/> (null: deleted). <paramref name="previous"/>: the routing rollback will restore; null deletes
    /// it, <see cref="KeepPrevious"/> leaves it. Every version <paramref name="after"/> routes to must be in the state.</summary>
    public static AliasWrite Build(Tenant tenant, string name, FunctionAliases state, string alias, AliasRecord? after, PreviousRouting? previous, MetaOptions options)
    {
        var write = new AliasWrite();
        var stored = state.Find(alias);
        write.Compares.AddRange(state.Unchanged(tenant, name));
        if (stored is null)
        {
            write.Compares.Add(Compare.Absent(AliasKeys.Record(tenant, name, alias)));
        }

        var recordKey = AliasKeys.Record(tenant, name, alias);
        var publishedKey = AliasKeys.Published(tenant, name, alias);
        if (after is null)
        {
            write.Writes.Add(new WriteOp.Delete(recordKey));
            write.Writes.Add(new WriteOp.Delete(publishedKey));
        }
        else
        {
            foreach (var version in after.Targets().Distinct(StringComparer.Ordinal))
            {
                var kv = state.Versions[version];
                write.Compares.Add(new Compare(kv.Key, kv.ModRevision));
            }

            write.Writes.Add(new WriteOp.Put(recordKey, after.Encode()));
            write.Writes.Add(new WriteOp.Put(publishedKey, AliasPublished.Value(after, tenant, options)));
        }

        if (!ReferenceEquals(previous, KeepPrevious))
        {
            write.Writes.Add(previous is null
                ? new WriteOp.Delete(AliasKeys.PreviousRouting(tenant, name, alias))
                : new WriteOp.Put(AliasKeys.PreviousRouting(tenant, name, alias), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(previous, AliasJson.Default.PreviousRouting)));
        }

        write.Writes.AddRange(Index(tenant, name, state, alias, after));
        write.Writes.Add(new WriteOp.Put(AliasKeys.Guard(tenant, name), Encoding.UTF8.GetBytes(after?.RevisionId ?? "")));
        return write;
    }

    /// <summary>Says "leave the previous routing as it is" to <see cref="Build"/>.</summary>
    public static PreviousRouting KeepPrevious { get; } = new("", [], null, null, "");

    /// <summary>The original's routing index, rebuilt from every alias after the change: one entry per routed version
    /// (naming one alias that routes to it), none for a version no alias routes to any more.</summary>
    private static IEnumerable<WriteOp> Index(Tenant tenant, string name, FunctionAliases state, string alias, AliasRecord? after)
    {
        var records = state.Aliases.Where(a => a.Name != alias).Select(a => a.Record).OfType<AliasRecord>().ToList();
        var before = records.Concat(state.Find(alias)?.Record is { } old ? [old] : []).SelectMany(r => r.Targets()).ToHashSet(StringComparer.Ordinal);
        if (after is not null)
        {
            records.Add(after);
        }

        var routed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            foreach (var version in record.Targets())
            {
                routed.TryAdd(version, record.Name);
            }
        }

        foreach (var version in before.Where(v => !routed.ContainsKey(v)))
        {
            yield return new WriteOp.Delete(AliasKeys.RoutingIndex(tenant, name, version));
        }

        foreach (var (version, by) in routed)
        {
            yield return new WriteOp.Put(AliasKeys.RoutingIndex(tenant, name, version), Encoding.UTF8.GetBytes($$"""{"Name":"{{by}}"}"""));
        }
    }
}