using System.Text.Json;

using MetaService.Core.Publishing;
using MetaService.Core.Storage;

namespace MetaService.Core.Functions;

/// <summary>
/// The function lifecycle: create, read, update, publish, delete. Every write is one store transaction
/// that carries the record and its platform keys, guarded by compares on the mod revisions it read, so
/// the revisionId check holds under concurrency: of N writers carrying one revisionId, one wins.
/// </summary>
public sealed class FunctionService(IMetaStore store, MetaOptions options, TimeProvider clock)
{
    /// <summary>How often a write re-reads and retries after losing a race that did not decide its outcome.</summary>
    private const int MaxAttempts = 32;

    public async Task<Outcome<FunctionView>> CreateAsync(Tenant tenant, FunctionRequest request, CancellationToken cancellationToken)
    {
        var built = FunctionRules.BuildDraft(request, tenant, options, clock);
        if (built.Error is { } error)
        {
            return error;
        }

        var record = built.Value!;
        var compares = new[]
        {
            Compare.Absent(PlatformKeys.Record(tenant, record.Name, FunctionNames.DraftFaas)),
            Compare.Absent(PlatformKeys.Record(tenant, record.Name, FunctionNames.DraftOther)),
        };
        var result = await store.TxnAsync(compares, [.. Writes(tenant, record)], cancellationToken);
        return result.Succeeded ? View(record) : MetaError.NameExists();
    }

    public async Task<Outcome<FunctionView>> GetAsync(Tenant tenant, string pathName, string? versionNumber, string? qualifier, CancellationToken cancellationToken)
    {
        var target = Resolve(tenant, pathName, versionNumber, qualifier);
        if (target.Error is { } error)
        {
            return error;
        }

        var (name, version) = target.Value!;
        var found = version is null ? await GetDraftAsync(tenant, name, cancellationToken) : await GetRecordAsync(tenant, name, version, cancellationToken);
        return found is null ? MetaError.FunctionNotFound(name) : View(found.Value.Record);
    }

    public async Task<Outcome<FunctionPage>> ListAsync(Tenant tenant, FunctionQuery query, CancellationToken cancellationToken)
    {
        var range = await store.RangeAsync(PlatformKeys.TenantRecords(tenant), cancellationToken: cancellationToken);
        var version = string.IsNullOrEmpty(query.VersionNumber) ? query.Qualifier : query.VersionNumber;
        var rows = range.Items
            .Select(Decode)
            .Where(r => (string.IsNullOrEmpty(query.Name) || r.Record.Name.Contains(query.Name, StringComparison.Ordinal))
                && (string.IsNullOrEmpty(version) || r.Record.Version == version))
            .OrderByDescending(r => r.ModRevision)
            .ToList();
        return Page(rows, query.Page);
    }

    public async Task<Outcome<FunctionPage>> ListVersionsAsync(Tenant tenant, string pathName, Paging paging, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        var rows = await GetVersionsAsync(tenant, reference.Name, cancellationToken);
        return Page([.. rows.OrderByDescending(r => r.ModRevision)], paging);
    }

    public async Task<Outcome<FunctionView>> UpdateAsync(Tenant tenant, string pathName, FunctionRequest request, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var parseError))
        {
            return parseError;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var draft = await GetDraftAsync(tenant, reference.Name, cancellationToken, request.Kind);
            if (draft is null)
            {
                return MetaError.FunctionNotFound(reference.Name);
            }

            if (request.RevisionId != draft.Value.Record.RevisionId)
            {
                return MetaError.RevisionMismatchOnUpdate();
            }

            var merged = FunctionRules.Merge(draft.Value.Record, request, options, clock);
            if (merged.Error is { } error)
            {
                return error;
            }

            var record = merged.Value!;
            var compare = new Compare(draft.Value.Key, draft.Value.ModRevision);
            if ((await store.TxnAsync([compare], [.. Writes(tenant, record)], cancellationToken)).Succeeded)
            {
                return View(record);
            }
        }

        return MetaError.RevisionMismatchOnUpdate();
    }

    public async Task<Outcome<FunctionView>> PublishAsync(Tenant tenant, string pathName, PublishRequest request, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var parseError))
        {
            return parseError;
        }

        var versions = await GetVersionsAsync(tenant, reference.Name, cancellationToken);
        var draft = versions.Find(v => v.Record.IsDraft && (string.IsNullOrEmpty(request.Kind) || v.Record.Kind == request.Kind));
        if (draft.Record is null)
        {
            return new MetaError(4115, "failed to get function version", ErrorKind.NotFound);
        }

        if (request.RevisionId != draft.Record.RevisionId)
        {
            return MetaError.RevisionMismatchOnPublish();
        }

        var number = string.IsNullOrEmpty(request.VersionNumber) ? Timestamps.DefaultVersionNumber(clock) : request.VersionNumber;
        if (!FunctionNames.IsValidVersionNumber(number) || FunctionNames.IsDraftVersion(number))
        {
            return MetaError.InvalidParam(FunctionNames.VersionFormatMessage);
        }

        if (versions.Exists(v => v.Record.Version == number))
        {
            return MetaError.DuplicateVersion();
        }

        if (versions.Count > options.VersionMax)
        {
            return MetaError.VersionLimit(versions.Count);
        }

        var s3 = draft.Record.S3CodePath;
        if (draft.Record.StorageType == "s3" && string.IsNullOrEmpty(s3.BucketId) && string.IsNullOrEmpty(s3.ObjectId))
        {
            return MetaError.InvalidParam("empty function version's bucket info");
        }

        if (draft.Record.LastPublishedRevisionId == request.RevisionId)
        {
            return MetaError.RevisionAlreadyPublished(draft.Record.LastPublishedVersion);
        }

        var now = Timestamps.Format(clock.GetUtcNow());
        var published = draft.Record with { Version = number, VersionDesc = request.VersionDesc ?? "", PublishTime = now, LastPublishedVersion = "", LastPublishedRevisionId = "" };
        var updatedDraft = draft.Record with { LastPublishedVersion = number, LastPublishedRevisionId = draft.Record.RevisionId };
        var compares = new[] { new Compare(draft.Key, draft.ModRevision), Compare.Absent(PlatformKeys.Record(tenant, reference.Name, number)) };
        WriteOp[] writes = [new WriteOp.Put(draft.Key, Encode(updatedDraft)), .. Writes(tenant, published)];

        // A lost compare means another update or publish of this draft committed first: the revisionId
        // this request carried is no longer the one it was checked against.
        var result = await store.TxnAsync(compares, writes, cancellationToken);
        return result.Succeeded ? View(published) : MetaError.RevisionMismatchOnPublish();
    }

    public async Task<Outcome<bool>> DeleteAsync(Tenant tenant, string pathName, string? versionNumber, string? qualifier, CancellationToken cancellationToken)
    {
        var target = Resolve(tenant, pathName, versionNumber, qualifier);
        if (target.Error is { } error)
        {
            return error;
        }

        var (name, version) = target.Value!;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var versions = await GetVersionsAsync(tenant, name, cancellationToken);
            if (versions.Count == 0)
            {
                return MetaError.FunctionNotFound(name);
            }

            var doomed = version is null ? versions : versions.FindAll(v => v.Record.Version == version);
            if (doomed.Count == 0)
            {
                return MetaError.VersionNotFound(name, version!);
            }

            var compares = doomed.Select(v => new Compare(v.Key, v.ModRevision)).ToList();
            var writes = version is null ? DeleteAllWrites(tenant, name) : DeleteVersionWrites(doomed[0]);
            if ((await store.TxnAsync(compares, [.. writes], cancellationToken)).Succeeded)
            {
                return true;
            }
        }

        throw new InvalidOperationException($"deleting {name} lost {MaxAttempts} races in a row");
    }

    private IEnumerable<WriteOp> Writes(Tenant tenant, FunctionRecord record) =>
        PlatformValues.Puts(record, options).Prepend(new WriteOp.Put(PlatformKeys.Record(tenant, record.Name, record.Version), Encode(record)));

    private IEnumerable<WriteOp> DeleteAllWrites(Tenant tenant, string name)
    {
        yield return new WriteOp.DeletePrefix(PlatformKeys.FunctionRecords(tenant, name));
        yield return new WriteOp.DeletePrefix(PlatformKeys.PublishedVersions("/sn/functions", tenant, name));
        yield return new WriteOp.DeletePrefix(PlatformKeys.PublishedVersions("/yr/functions", tenant, name));
        foreach (var cluster in options.AllClusters())
        {
            yield return new WriteOp.DeletePrefix(PlatformKeys.InstanceVersions(cluster, tenant, name));
        }

        yield return new WriteOp.DeletePrefix(PlatformKeys.Aliases(tenant, name));
        yield return new WriteOp.DeletePrefix(PlatformKeys.Triggers(tenant, name));
        yield return new WriteOp.Delete(PlatformKeys.FunctionChain(tenant, name));
    }

    private IEnumerable<WriteOp> DeleteVersionWrites(StoredRecord version) =>
        PlatformValues.Deletes(version.Record, options).Prepend(new WriteOp.Delete(version.Key));

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
        return (reference.Name, FunctionNames.IsDraftVersion(version) ? null : version);
    }

    private async Task<StoredRecord?> GetDraftAsync(Tenant tenant, string name, CancellationToken cancellationToken, string? kindHint = null)
    {
        var first = FunctionNames.DraftVersion(kindHint);
        var second = first == FunctionNames.DraftFaas ? FunctionNames.DraftOther : FunctionNames.DraftFaas;
        return await GetRecordAsync(tenant, name, first, cancellationToken) ?? await GetRecordAsync(tenant, name, second, cancellationToken);
    }

    private async Task<StoredRecord?> GetRecordAsync(Tenant tenant, string name, string version, CancellationToken cancellationToken)
    {
        var kv = await store.GetAsync(PlatformKeys.Record(tenant, name, version), cancellationToken);
        return kv is null ? null : Decode(kv);
    }

    private async Task<List<StoredRecord>> GetVersionsAsync(Tenant tenant, string name, CancellationToken cancellationToken)
    {
        var range = await store.RangeAsync(PlatformKeys.FunctionRecords(tenant, name), cancellationToken: cancellationToken);
        return [.. range.Items.Select(Decode)];
    }

    private FunctionPage Page(List<StoredRecord> rows, Paging paging)
    {
        var skip = (long)paging.PageSize * (paging.PageIndex - 1);
        var page = rows.Skip((int)Math.Min(skip, int.MaxValue)).Take(paging.PageSize).Select(r => View(r.Record)).ToList();
        return new FunctionPage(page.Count == 0 ? null : page, rows.Count);
    }

    private FunctionView View(FunctionRecord record) => FunctionView.From(record, options);

    private static StoredRecord Decode(KeyValue kv) =>
        new(kv.Key, kv.ModRevision, JsonSerializer.Deserialize(kv.Value, MetaJson.Default.FunctionRecord)
            ?? throw new InvalidDataException($"the record at {kv.Key} is empty"));

    private static byte[] Encode(FunctionRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, MetaJson.Default.FunctionRecord);

    private readonly record struct StoredRecord(string Key, long ModRevision, FunctionRecord Record);
}

/// <summary>A page of rows with the number of rows across all pages; rows are null when the page is empty.</summary>
public sealed record FunctionPage(IReadOnlyList<FunctionView>? Functions, int Total);

/// <summary>1-based page index and page size, both already checked.</summary>
public readonly record struct Paging(int PageIndex, int PageSize)
{
    public static Paging Default { get; } = new(1, 1000);
}

/// <summary>The filters of the list route.</summary>
public sealed record FunctionQuery(string? Name, string? VersionNumber, string? Qualifier, Paging Page);