using MetaService.Core.Aliases;
using MetaService.Core.Catalog;
using MetaService.Core.History;
using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Functions;

/// <summary>
/// The function lifecycle: create, read, update, publish, delete. Every write is one store transaction
/// that carries the record and its platform keys, guarded by compares on the mod revisions it read, so
/// the revisionId check holds under concurrency: of N writers carrying one revisionId, one wins.
/// Gets and lists come from the <see cref="FunctionCatalog"/>, and a write returns once the catalog holds
/// it. An update starts from the draft the catalog knows (kept decoded when this process wrote it last) and
/// checks anything the catalog may not have seen yet in the store; publish and delete read the store. With a
/// <see cref="HistoryLog"/>, every write's transaction also carries its history entry.
/// </summary>
public sealed partial class FunctionService(FunctionCatalog catalog, MetaOptions options, TimeProvider clock, UnreadableRecords? unreadable = null, bool dryRun = false, HistoryLog? history = null)
{
    private readonly IMetaStore store = dryRun ? new DryRunStore(catalog.Store) : catalog.Store;
    private readonly UnreadableRecords _unreadable = unreadable ?? UnreadableRecords.None;

    /// <summary>A service with its own catalog, started on first use.</summary>
    public FunctionService(IMetaStore store, MetaOptions options, TimeProvider clock)
        : this(new FunctionCatalog(store, clock, options.RecordCacheBytes), options, clock)
    {
    }

    /// <summary>Where records that cannot be read are reported.</summary>
    public UnreadableRecords Unreadable => _unreadable;

    /// <summary>How often a write re-reads and retries after losing a race that did not decide its outcome.</summary>
    private const int MaxAttempts = 32;

    public Task<Outcome<FunctionView>> CreateAsync(Tenant tenant, FunctionRequest request, CancellationToken cancellationToken) =>
        CreateAsync(tenant, request, null, cancellationToken);

    /// <summary>Creates a function; <paramref name="rider"/>'s compares and writes join the transaction that creates it.</summary>
    public async Task<Outcome<FunctionView>> CreateAsync(Tenant tenant, FunctionRequest request, TxnRider<FunctionView>? rider, CancellationToken cancellationToken)
    {
        var built = FunctionRules.BuildDraft(request, tenant, options, clock);
        if (!built.TryGet(out var record, out var error))
        {
            return error;
        }

        if (options.FunctionMax > 0 && await catalog.FunctionCountAsync(tenant, cancellationToken) >= options.FunctionMax)
        {
            return MetaError.FunctionLimit(options.FunctionMax);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var refs = await ObjectRefs.ChangesAsync(store, [], [record], cancellationToken);
            Compare[] drafts =
            [
                Compare.Absent(PlatformKeys.Record(tenant, record.Name, FunctionKinds.DraftFaas)),
                Compare.Absent(PlatformKeys.Record(tenant, record.Name, FunctionKinds.DraftOther)),
            ];
            WriteOp[] writes = [.. FunctionWrites.Put(record, options), FunctionWrites.PutStatus(record), .. refs.Writes];
            if (StoredSize.Over(writes, options) is { } tooLarge)
            {
                return tooLarge;
            }

            var view = View(record);
            var entry = await history.WritesOrNoneAsync(store, tenant, new HistoryWrite(HistoryOperations.Create, record.Name, record.Version, null, record), cancellationToken);
            var result = await store.TxnAsync([.. drafts, .. refs.Compares, .. rider.ComparesOrNone()], [.. writes, .. entry, .. rider.WritesOrNone(view)], cancellationToken);
            if (result.Succeeded)
            {
                Keep(FunctionWrites.Key(record), result.Revision, record, FunctionWrites.StoredSize(writes, FunctionWrites.Key(record)));
                await WaitForAsync(result.Revision, cancellationToken);
                return view;
            }

            if (rider is not null && !await rider.HoldsAsync(store, cancellationToken))
            {
                return TxnRiders.Taken();
            }

            // Lost to a create of the same name, or to another write of a package count: only the first is final.
            if (refs.Compares.Count == 0 || await DraftExistsAsync(tenant, record.Name, cancellationToken))
            {
                return MetaError.NameExists();
            }
        }

        throw new InvalidOperationException($"creating {record.Name} lost {MaxAttempts} races in a row");
    }

    private async Task<bool> DraftExistsAsync(Tenant tenant, string name, CancellationToken cancellationToken) =>
        await store.GetAsync(PlatformKeys.Record(tenant, name, FunctionKinds.DraftFaas), cancellationToken) is not null
        || await store.GetAsync(PlatformKeys.Record(tenant, name, FunctionKinds.DraftOther), cancellationToken) is not null;

    public Task<Outcome<FunctionView>> PublishAsync(Tenant tenant, string pathName, PublishRequest request, CancellationToken cancellationToken) =>
        PublishAsync(tenant, pathName, request, null, cancellationToken);

    /// <summary>Publishes the draft; <paramref name="rider"/>'s compares and writes join the transaction that publishes it.</summary>
    public async Task<Outcome<FunctionView>> PublishAsync(Tenant tenant, string pathName, PublishRequest request, TxnRider<FunctionView>? rider, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var parseError))
        {
            return parseError;
        }

        var versions = await GetVersionsAsync(tenant, reference.Name, cancellationToken);
        var draft = versions.Find(v => v.IsDraft && (string.IsNullOrEmpty(request.Kind) || v.Record?.Kind == request.Kind));
        if (draft.Key is null)
        {
            return new MetaError(4115, "failed to get function version", ErrorKind.NotFound);
        }

        var current = draft.Record ?? throw UnreadableDraft(draft);
        if (request.RevisionId != current.RevisionId)
        {
            return MetaError.RevisionMismatchOnPublish();
        }

        // Opt-in (?ifChanged=true): a draft published already, unchanged since, answers that version and writes nothing.
        if (request.IfChanged && versions.Find(v => !v.IsDraft && v.Record?.RevisionId == request.RevisionId) is { Record: { } unchanged })
        {
            return View(unchanged);
        }

        // As the original: "latest" names a faas function's draft, so it is a duplicate there (4114); the draft of another
        // kind is "$latest", and "latest" stays refused for it (a version MetaService could not tell from a draft).
        var number = string.IsNullOrEmpty(request.VersionNumber) ? Timestamps.DefaultVersionNumber(clock) : request.VersionNumber;
        if (FunctionNames.IsValidVersionNumber(number) && versions.Exists(v => v.Version == number))
        {
            return MetaError.DuplicateVersion();
        }

        if (!FunctionNames.IsValidVersionNumber(number) || FunctionKinds.IsDraftVersion(number))
        {
            return MetaError.InvalidParam(FunctionNames.VersionFormatMessage);
        }

        // With a version retention (MetaService's), the oldest versions no alias routes to go in this transaction.
        if (!(await VersionGuards.ForPublishAsync(store, tenant, reference.Name, versions, options.VersionMax, cancellationToken)).TryGet(out var pruning, out var pruneError))
        {
            return pruneError;
        }

        if (versions.Count - pruning.Versions.Count > options.VersionMax)
        {
            return MetaError.VersionLimit(versions.Count);
        }

        var s3 = current.S3CodePath;
        if (current.StorageType == "s3" && string.IsNullOrEmpty(s3.BucketId) && string.IsNullOrEmpty(s3.ObjectId))
        {
            return MetaError.InvalidParam("empty function version's bucket info");
        }

        var now = Timestamps.Format(clock.GetUtcNow());
        var published = current with { Version = number, VersionDesc = request.VersionDesc ?? "", PublishTime = now, LastPublishedVersion = number };
        var updatedDraft = current with { LastPublishedVersion = number };
        var refs = await ObjectRefs.ChangesAsync(store, [.. pruning.Versions.Select(v => v.Record).OfType<FunctionRecord>()], [published], cancellationToken);
        Compare[] compares = [new Compare(draft.Key, draft.ModRevision), Compare.Absent(PlatformKeys.Record(tenant, reference.Name, number)), .. refs.Compares, .. pruning.Compares];
        WriteOp[] writes =
        [
            new WriteOp.Put(draft.Key, FunctionEntry.Encode(updatedDraft)), .. FunctionWrites.Put(published, options), FunctionWrites.PutStatus(published), .. refs.Writes,
            .. pruning.Versions.SelectMany(v => FunctionWrites.DeleteVersion(tenant, reference.Name, v, options)),
        ];
        if (StoredSize.Over(writes, options) is { } tooLarge)
        {
            return tooLarge;
        }

        // A lost compare means another update or publish of this draft committed first: the revisionId
        // this request carried is no longer the one it was checked against.
        var view = View(published);
        var entry = await history.WritesOrNoneAsync(store, tenant, new HistoryWrite(HistoryOperations.Publish, reference.Name, number, current, published), cancellationToken);
        var result = await store.TxnAsync([.. compares, .. rider.ComparesOrNone()], [.. writes, .. entry, .. rider.WritesOrNone(view)], cancellationToken);
        if (!result.Succeeded)
        {
            return MetaError.RevisionMismatchOnPublish();
        }

        var publishedKey = PlatformKeys.Record(tenant, reference.Name, number);
        Keep(draft.Key, result.Revision, updatedDraft, FunctionWrites.StoredSize(writes, draft.Key));
        Keep(publishedKey, result.Revision, published, FunctionWrites.StoredSize(writes, publishedKey));
        await WaitForAsync(result.Revision, cancellationToken);
        return view;
    }

    public Task<Outcome<bool>> DeleteAsync(Tenant tenant, string pathName, string? versionNumber, string? qualifier, CancellationToken cancellationToken) =>
        DeleteAsync(tenant, pathName, versionNumber, qualifier, null, cancellationToken);

    /// <summary>Deletes the function, or one version; with <paramref name="ifMatch"/>, only while the revisionId of the
    /// draft (or of that version) is one of those: checked on the records the transaction compares.</summary>
    public async Task<Outcome<bool>> DeleteAsync(Tenant tenant, string pathName, string? versionNumber, string? qualifier, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken)
    {
        var target = Resolve(tenant, pathName, versionNumber, qualifier);
        if (!target.TryGet(out var resolved, out var error))
        {
            return error;
        }

        var (name, version) = resolved;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var versions = await GetVersionsAsync(tenant, name, cancellationToken);
            if (versions.Count == 0)
            {
                return MetaError.FunctionNotFound(name);
            }

            var doomed = version is null ? versions : versions.FindAll(v => v.Version == version);
            if (doomed.Count == 0)
            {
                return MetaError.VersionNotFound(name, version!);
            }

            var guarded = version is null ? versions.Find(v => v.IsDraft).Record : doomed[0].Record;
            if (ifMatch is not null && (guarded is null || !ifMatch.Contains(guarded.RevisionId)))
            {
                return MetaError.IfMatchFailed();
            }

            // A version an alias routes to stays (4105), checked on the aliases as the transaction finds them.
            IReadOnlyList<Compare> routing = [];
            if (version is not null)
            {
                if (!(await VersionGuards.ForDeleteAsync(store, tenant, name, [version], cancellationToken)).TryGet(out var guards, out var routed))
                {
                    return routed;
                }

                routing = guards;
            }

            // A record that cannot be read is deleted all the same; only its package count cannot be known.
            var refs = await ObjectRefs.ChangesAsync(store, [.. doomed.Select(v => v.Record).OfType<FunctionRecord>()], [], cancellationToken);
            var compares = doomed.Select(v => new Compare(v.Key, v.ModRevision)).Concat(refs.Compares).Concat(routing).ToList();
            var writes = version is null ? FunctionWrites.DeleteAll(tenant, name, options) : FunctionWrites.DeleteVersion(tenant, name, doomed[0], options);
            var deleted = version is null
                ? new HistoryWrite(HistoryOperations.Delete, name, "", guarded, null, [])
                : new HistoryWrite(HistoryOperations.DeleteVersion, name, version, guarded, null, []);
            var entry = await history.WritesOrNoneAsync(store, tenant, deleted, cancellationToken);
            var result = await store.TxnAsync(compares, [.. writes, .. refs.Writes, .. entry], cancellationToken);
            if (result.Succeeded)
            {
                await WaitForAsync(result.Revision, cancellationToken);
                return true;
            }
        }

        throw new InvalidOperationException($"deleting {name} lost {MaxAttempts} races in a row");
    }

    /// <summary>The draft of a function (of the hinted kind first): as the catalog knows it, or
    /// <paramref name="fresh"/> from the store.</summary>
    private async Task<StoredRecord?> GetDraftAsync(Tenant tenant, string name, string? kindHint, bool fresh, CancellationToken cancellationToken)
    {
        var first = FunctionKinds.DraftVersion(kindHint);
        var second = first == FunctionKinds.DraftFaas ? FunctionKinds.DraftOther : FunctionKinds.DraftFaas;
        foreach (var key in new[] { PlatformKeys.Record(tenant, name, first), PlatformKeys.Record(tenant, name, second) })
        {
            var draft = fresh ? await catalog.ReadAsync(key, keep: true, cancellationToken) : await catalog.RecallAsync(key, cancellationToken);
            if (draft is not null)
            {
                return draft;
            }
        }

        return null;
    }

    private FunctionView View(FunctionRecord record) => FunctionView.From(record, options);
}