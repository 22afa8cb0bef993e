using System.Text.Json.Nodes;

using MetaService.Core.History;
using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Functions;

/// <summary>The changes of the draft (update and merge patch), and the dry run of every write.</summary>
public sealed partial class FunctionService
{
    /// <summary>Whether this service only checks its writes (<see cref="AsDryRun"/>).</summary>
    public bool IsDryRun => dryRun;

    /// <summary>The same service on a <see cref="DryRunStore"/>: each write runs every check and answers what it would
    /// answer, and nothing is stored or kept.</summary>
    public FunctionService AsDryRun() => dryRun ? this : new(catalog, options, clock, _unreadable, dryRun: true, history);

    public Task<Outcome<FunctionView>> UpdateAsync(Tenant tenant, string pathName, FunctionRequest request, CancellationToken cancellationToken) =>
        ChangeDraftAsync(tenant, pathName, request.Kind, HistoryOperations.Update, draft => request.RevisionId != draft.RevisionId
            ? MetaError.RevisionMismatchOnUpdate()
            : FunctionRules.Merge(draft, request, options, clock), cancellationToken);

    /// <summary>Applies a JSON Merge Patch (RFC 7396) to the draft as it is when the write commits: the draft as an update
    /// body, patched, then merged as an update. A <c>revisionId</c> in the patch and <paramref name="ifMatch"/> are
    /// checked against that draft, and the transaction compares it, so a patch never applies to a draft it did not see.</summary>
    public Task<Outcome<FunctionView>> PatchAsync(Tenant tenant, string pathName, JsonObject patch, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken)
    {
        var kind = patch.TryGetPropertyValue("kind", out var kindNode) && kindNode is JsonValue value && value.TryGetValue(out string? text) ? text : null;
        var revisionId = patch.TryGetPropertyValue("revisionId", out var revisionNode) && revisionNode is JsonValue revision && revision.TryGetValue(out string? id) ? id : null;
        return ChangeDraftAsync(tenant, pathName, kind, HistoryOperations.Patch, draft =>
        {
            if (revisionId is not null && revisionId != draft.RevisionId)
            {
                return MetaError.RevisionMismatchOnUpdate();
            }

            if (ifMatch is not null && !ifMatch.Contains(draft.RevisionId))
            {
                return MetaError.IfMatchFailed();
            }

            if (!FunctionPatch.Apply(draft, patch).TryGet(out var patched, out var error))
            {
                return error;
            }

            var merged = FunctionRules.Merge(draft, patched.Request, options, clock);
            return patched.ClearDescription && merged.TryGet(out var record, out _) ? record with { Description = "" } : merged;
        }, cancellationToken);
    }

    /// <summary>
    /// One change of the draft: <paramref name="change"/> makes the new record from the current draft (or refuses), and
    /// the write commits only while the draft is the one it read. The first attempt starts from the draft the catalog
    /// knows (decoded already when this process wrote it last); the catalog may trail a write made elsewhere, so what it
    /// says is not final: a missing draft or a revision refusal is checked again in the store, and a stale draft loses
    /// its compare.
    /// </summary>
    private async Task<Outcome<FunctionView>> ChangeDraftAsync(Tenant tenant, string pathName, string? kindHint, string operation, Func<FunctionRecord, Outcome<FunctionRecord>> change, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var parseError))
        {
            return parseError;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var fresh = attempt > 0;
            var draft = await GetDraftAsync(tenant, reference.Name, kindHint, fresh, cancellationToken);
            if (draft is null)
            {
                if (!fresh)
                {
                    continue;
                }

                return MetaError.FunctionNotFound(reference.Name);
            }

            if (!change(draft.Value.Record).TryGet(out var record, out var error))
            {
                if (!fresh && error.Kind == ErrorKind.RevisionMismatch)
                {
                    continue;
                }

                return error;
            }

            var refs = await ObjectRefs.ChangesAsync(store, [draft.Value.Record], [record], cancellationToken);
            var compare = new Compare(draft.Value.Key, draft.Value.ModRevision);
            WriteOp[] writes = [.. FunctionWrites.Put(record, options), .. refs.Writes];
            if (StoredSize.Over(writes, options) is { } tooLarge)
            {
                return tooLarge;
            }

            var entry = await history.WritesOrNoneAsync(store, tenant, new HistoryWrite(operation, reference.Name, record.Version, draft.Value.Record, record), cancellationToken);
            var result = await store.TxnAsync([compare, .. refs.Compares], [.. writes, .. entry], cancellationToken);
            if (result.Succeeded)
            {
                Keep(draft.Value.Key, result.Revision, record, FunctionWrites.StoredSize(writes, draft.Value.Key));
                await WaitForAsync(result.Revision, cancellationToken);
                return View(record);
            }
        }

        return MetaError.RevisionMismatchOnUpdate();
    }

    /// <summary>Returns once the catalog holds the write of <paramref name="revision"/>; a dry run wrote nothing to wait for.</summary>
    private Task WaitForAsync(long revision, CancellationToken cancellationToken) =>
        dryRun ? Task.CompletedTask : catalog.WaitForAsync(revision, cancellationToken);

    /// <summary>Keeps a written record decoded in the catalog; a dry run wrote nothing to keep.</summary>
    private void Keep(string key, long revision, FunctionRecord record, int storedBytes)
    {
        if (!dryRun)
        {
            catalog.Keep(key, revision, record, storedBytes);
        }
    }
}