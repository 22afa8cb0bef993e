using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Aliases;

/// <summary>The reads of <see cref="AliasService"/>, and the write loop every alias write goes through.</summary>
public sealed partial class AliasService
{
    public async Task<Outcome<AliasView>> GetAsync(Tenant tenant, string pathName, string alias, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        var kv = await _store.GetAsync(AliasKeys.Record(tenant, reference.Name, alias), cancellationToken);
        return kv is not null && AliasRecord.Decode(kv.Value) is { } record ? View(tenant, record) : AliasErrors.NotFound(reference.Name, alias);
    }

    /// <summary>One page of a function's aliases, newest change first (as the original orders them); <c>total</c> counts them all.</summary>
    public async Task<Outcome<AliasPage>> ListAsync(Tenant tenant, string pathName, Paging paging, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        var range = await _store.RangeAsync(AliasKeys.Records(tenant, reference.Name), cancellationToken: cancellationToken);
        if (range.Items.Count == 0 && !await FunctionExistsAsync(tenant, reference.Name, cancellationToken))
        {
            return MetaError.FunctionNotFound(reference.Name);
        }

        var rows = range.Items
            .Select(kv => (kv.ModRevision, Record: AliasRecord.Decode(kv.Value)))
            .Where(r => r.Record is not null)
            .OrderByDescending(r => r.ModRevision).ThenBy(r => r.Record!.Name, StringComparer.Ordinal)
            .ToList();
        var skip = (long)paging.PageSize * (paging.PageIndex - 1);
        var page = rows.Skip((int)Math.Min(skip, int.MaxValue)).Take(paging.PageSize).Select(r => View(tenant, r.Record!)).ToList();
        return new AliasPage(rows.Count, page) { Revision = range.Revision };
    }

    /// <summary>The version <c>?qualifier=&lt;alias&gt;</c> names on a function read: the alias's <c>functionVersion</c>, or
    /// null when the qualifier is no alias of the function.</summary>
    public async Task<string?> ResolveQualifierAsync(Tenant tenant, string pathName, string? qualifier, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(qualifier) || !AliasRules.IsAliasName(qualifier) || !FunctionNames.TryParsePathName(pathName, tenant, out var reference, out _))
        {
            return null;
        }

        var kv = await _store.GetAsync(AliasKeys.Record(tenant, reference.Name, qualifier), cancellationToken);
        return kv is not null && AliasRecord.Decode(kv.Value) is { FunctionVersion.Length: > 0 } record ? record.FunctionVersion : null;
    }

    public AliasView View(Tenant tenant, AliasRecord record) => new()
    {
        AliasUrn = $"{Urns.Function(options, tenant, record.FunctionName)}:{record.Name}",
        Name = record.Name,
        FunctionVersion = record.FunctionVersion,
        Description = record.Description,
        RevisionId = record.RevisionId,
        RoutingConfig = record.IsRule ? new Dictionary<string, int>() : record.EffectiveWeights,
        RoutingType = record.RoutingType,
        RoutingRules = record.RoutingRules,
    };

    private static System.Text.Json.Nodes.JsonObject? Node(AliasRecord? record) =>
        record is null ? null : System.Text.Json.JsonSerializer.SerializeToNode(record, AliasJson.Default.AliasRecord) as System.Text.Json.Nodes.JsonObject;

    private async Task<bool> FunctionExistsAsync(Tenant tenant, string name, CancellationToken cancellationToken) =>
        (await _store.RangeKeysAsync(PlatformKeys.FunctionRecords(tenant, name), 1, cancellationToken: cancellationToken)).Items.Count > 0;

    /// <summary>
    /// Every alias write: reads the function's aliases and versions, lets <paramref name="decide"/> make the change (or
    /// refuse), checks that each version it routes to exists, and commits the change's <see cref="AliasWrite"/> with the
    /// rider's compares and writes. A lost compare means the aliases or a routed version changed meanwhile: read and decide again.
    /// </summary>
    private async Task<Outcome<AliasView?>> WriteAsync(Tenant tenant, string pathName, string alias, string operation, TxnRider<AliasView>? rider, Func<string, FunctionAliases, Outcome<AliasChange>> decide, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var parseError))
        {
            return parseError;
        }

        var name = reference.Name;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var state = await FunctionAliases.ReadAsync(_store, tenant, name, cancellationToken);
            if (state.Versions.Count == 0)
            {
                return MetaError.FunctionNotFound(name);
            }

            if (!decide(name, state).TryGet(out var change, out var error))
            {
                return error;
            }

            if (change.After?.Targets().FirstOrDefault(v => !state.Versions.ContainsKey(v)) is { } missing)
            {
                return MetaError.VersionNotFound(name, missing);
            }

            var write = AliasWrite.Build(tenant, name, state, alias, change.After, change.Previous, options);
            var changes = RecordChanges.Between(Node(state.Find(alias)?.Record), Node(change.After), $"aliases.{alias}");
            write.Writes.AddRange(await history.WritesOrNoneAsync(_store, tenant, new HistoryWrite(operation, name, "", null, null, changes), cancellationToken));
            var view = change.After is { } after ? View(tenant, after) : null;
            if (view is not null && rider is not null)
            {
                write.Compares.AddRange(rider.Compares);
                write.Writes.AddRange(rider.Writes(view));
            }

            if ((await _store.TxnAsync(write.Compares, write.Writes, cancellationToken)).Succeeded)
            {
                return view;
            }

            if (rider is not null && !await rider.HoldsAsync(_store, cancellationToken))
            {
                return TxnRiders.Taken();
            }
        }

        throw new InvalidOperationException($"writing alias {alias} of {name} lost {MaxAttempts} races in a row");
    }
}

/// <summary>What an alias write makes: the alias after it (null: deleted) and the routing rollback will restore
/// (null: none; <see cref="AliasWrite.KeepPrevious"/>: unchanged).</summary>
public readonly record struct AliasChange(AliasRecord? After, PreviousRouting? Previous);