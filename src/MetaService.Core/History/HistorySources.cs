using System.Globalization;

using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.History;

/// <summary>
/// What a diff or a restore names as a side: a version number (<c>v3</c>), the draft (<c>latest</c> or <c>$latest</c>), or
/// a history entry (<c>@&lt;revision&gt;</c>, its snapshot). A malformed name is a 400, one that names nothing a 404.
/// </summary>
public sealed class HistorySources(IMetaStore store)
{
    private readonly HistoryReader _reader = new(store);

    public async Task<Outcome<FunctionRecord>> ResolveAsync(Tenant tenant, string pathName, string? side, string parameter, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        var name = reference.Name;
        if (string.IsNullOrEmpty(side))
        {
            return MetaError.InvalidParam($"{parameter} is missing: give a version number (v3), latest, or @<revision> of a history entry");
        }

        if (side.StartsWith('@'))
        {
            if (!long.TryParse(side.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var revision) || revision < 1)
            {
                return MetaError.InvalidParam($"{parameter} '{side}' is not @<revision>: give the revision of a history entry, e.g. @42");
            }

            if (!(await _reader.OneAsync(tenant, pathName, revision, cancellationToken)).TryGet(out var entry, out error))
            {
                return error;
            }

            return entry?.Snapshot is { } snapshot
                ? snapshot
                : new MetaError(4116, $"function [{name}] has no history entry with a record at revision {revision}" + MetaError.CheckInput, ErrorKind.NotFound);
        }

        if (FunctionKinds.IsDraftVersion(side))
        {
            foreach (var draft in new[] { FunctionKinds.DraftFaas, FunctionKinds.DraftOther })
            {
                if (await ReadAsync(PlatformKeys.Record(tenant, name, draft), cancellationToken) is { } record)
                {
                    return record;
                }
            }

            return MetaError.FunctionNotFound(name);
        }

        if (!FunctionNames.IsValidVersionNumber(side))
        {
            return MetaError.InvalidParam($"{parameter} '{side}' is not a version: give a version number (v3), latest, or @<revision>");
        }

        return await ReadAsync(PlatformKeys.Record(tenant, name, side), cancellationToken) is { } version
            ? version
            : MetaError.VersionNotFound(name, side);
    }

    private async Task<FunctionRecord?> ReadAsync(string key, CancellationToken cancellationToken) =>
        await store.GetAsync(key, cancellationToken) is { } kv ? FunctionEntry.Decode(kv.Key, kv.Value) : null;
}