using MetaService.Core.Catalog;
using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Functions;

/// <summary>The reads of <see cref="FunctionService"/>: get, find, list, from the catalog.</summary>
public sealed partial class FunctionService
{
    public async Task<Outcome<FunctionView>> GetAsync(Tenant tenant, string pathName, string? versionNumber, string? qualifier, CancellationToken cancellationToken)
    {
        if (!(await FindAsync(tenant, pathName, versionNumber, qualifier, cancellationToken)).TryGet(out var found, out var error))
        {
            return error;
        }

        var record = await catalog.ReadAsync(found.Key, keep: false, cancellationToken);
        return record is null ? MetaError.FunctionNotFound(found.Name) : View(record.Value.Record);
    }

    /// <summary>The view of <paramref name="entry"/>'s record and the mod revision it is at (the entry's, unless
    /// written meanwhile); null when the version was deleted meanwhile.</summary>
    public async ValueTask<(FunctionView View, long ModRevision)?> ViewAsync(FunctionEntry entry, CancellationToken cancellationToken) =>
        await catalog.RecordOfAsync(entry, cancellationToken) is { } stored ? (View(stored.Record), stored.ModRevision) : null;

    /// <summary>The stored version a get names, from the catalog, with its cached answer.</summary>
    public async ValueTask<Outcome<FunctionEntry>> FindAsync(Tenant tenant, string pathName, string? versionNumber, string? qualifier, CancellationToken cancellationToken)
    {
        var target = Resolve(tenant, pathName, versionNumber, qualifier);
        if (!target.TryGet(out var resolved, out var error))
        {
            return error;
        }

        var (name, version) = resolved;
        var found = version is null
            ? await catalog.GetAsync(PlatformKeys.Record(tenant, name, FunctionKinds.DraftOther), cancellationToken)
                ?? await catalog.GetAsync(PlatformKeys.Record(tenant, name, FunctionKinds.DraftFaas), cancellationToken)
            : await catalog.GetAsync(PlatformKeys.Record(tenant, name, version), cancellationToken);
        return found is null ? MetaError.FunctionNotFound(name) : found;
    }

    public async Task<Outcome<FunctionPage>> ListAsync(Tenant tenant, FunctionQuery query, CancellationToken cancellationToken)
    {
        var version = string.IsNullOrEmpty(query.VersionNumber) ? query.Qualifier : query.VersionNumber;
        var (rows, revision) = await catalog.AtOneRevisionAsync(() => catalog.MatchAsync(tenant, query.Name, version, cancellationToken), cancellationToken);
        return Page(rows, query.Page) with { Revision = revision };
    }

    public async Task<Outcome<FunctionPage>> ListVersionsAsync(Tenant tenant, string pathName, Paging paging, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        var (versions, revision) = await catalog.AtOneRevisionAsync(() => catalog.VersionsAsync(tenant, reference.Name, cancellationToken), cancellationToken);
        return Page(versions, paging) with { Revision = revision };
    }

    /// <summary>The function and version a path and query name; a null version means the draft.</summary>
    private static Outcome<(string Name, string? Version)> Resolve(Tenant tenant, string pathName, string? versionNumber, string? qualifier)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        if (!string.IsNullOrEmpty(qualifier) && !FunctionNames.IsValidQueryVersion(qualifier))
        {
            return MetaError.InvalidQualifier($"invalid qualifier: {qualifier}");
        }

        var version = !string.IsNullOrEmpty(versionNumber) ? versionNumber : !string.IsNullOrEmpty(qualifier) ? qualifier : reference.Version;
        return (reference.Name, FunctionKinds.IsDraftVersion(version) ? null : version);
    }

    /// <summary>Every stored version of a function; a record that cannot be read is reported and kept as its key.</summary>
    private async Task<List<StoredVersion>> GetVersionsAsync(Tenant tenant, string name, CancellationToken cancellationToken)
    {
        var range = await store.RangeAsync(PlatformKeys.FunctionRecords(tenant, name), cancellationToken: cancellationToken);
        var versions = new List<StoredVersion>(range.Items.Count);
        foreach (var kv in range.Items)
        {
            if (!RecordFormat.TryParseKey(kv.Key, out var parts))
            {
                continue;
            }

            FunctionRecord? record = null;
            try
            {
                record = FunctionEntry.Decode(kv.Key, kv.Value);
            }
            catch (UnreadableRecordException e)
            {
                _unreadable.Report(e, kv.ModRevision);
            }

            versions.Add(new StoredVersion(kv.Key, kv.ModRevision, parts.Version, record));
        }

        return versions;
    }

    private static UnreadableRecordException UnreadableDraft(StoredVersion version) =>
        new(version.Key, "it could not be decoded; the server log has the reason");

    /// <summary>Newest change first, then key order (the order the original's stable sort of a key-ordered range gives).</summary>
    private static FunctionPage Page(List<FunctionEntry> rows, Paging paging)
    {
        rows.Sort((a, b) => a.ModRevision != b.ModRevision ? b.ModRevision.CompareTo(a.ModRevision) : FunctionEntry.CompareKeys(a, b));
        var skip = (long)paging.PageSize * (paging.PageIndex - 1);
        var page = rows.Skip((int)Math.Min(skip, int.MaxValue)).Take(paging.PageSize).ToList();
        return new FunctionPage(page.Count == 0 ? null : page, rows.Count);
    }
}

/// <summary>A page of rows with the number of rows across all pages; rows are null when the page is empty. <see cref="Revision"/>:
/// the store revision whose state the rows are (null when not known).</summary>
public sealed record FunctionPage(IReadOnlyList<FunctionEntry>? Functions, int Total)
{
    public long? Revision { get; init; }
}


/// <summary>The filters of the list route.</summary>
public sealed record FunctionQuery(string? Name, string? VersionNumber, string? Qualifier, Paging Page);