using MetaService.Core.History;
using MetaService.Core.Records;

namespace MetaService.Core.Functions;

/// <summary>Restore: the draft takes the configuration of an earlier record (a version, or a history entry's snapshot) as
/// a new revision, under the update's compare-and-swap, with one history entry.</summary>
public sealed partial class FunctionService
{
    /// <summary>Restores the draft from <paramref name="source"/> while its revisionId is <paramref name="revisionId"/> (or
    /// one <paramref name="ifMatch"/> names); answers the draft after it and the changes it made.</summary>
    public async Task<Outcome<RestoreResult>> RestoreAsync(Tenant tenant, string pathName, FunctionRecord source, string? revisionId, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(revisionId) && ifMatch is null)
        {
            return MetaError.InvalidParam("restore needs the draft's current revisionId: give revisionId in the body or If-Match");
        }

        List<HistoryChange> changes = [];
        var written = await ChangeDraftAsync(tenant, pathName, source.Kind, HistoryOperations.Restore, draft =>
        {
            if (!string.IsNullOrEmpty(revisionId) && revisionId != draft.RevisionId)
            {
                return MetaError.RevisionMismatchOnUpdate();
            }

            if (ifMatch is not null && !ifMatch.Contains(draft.RevisionId))
            {
                return MetaError.IfMatchFailed();
            }

            var now = clock.GetUtcNow();
            var restored = source with
            {
                TenantId = draft.TenantId,
                ProductId = draft.ProductId,
                Name = draft.Name,
                Version = draft.Version,
                Kind = draft.Kind,
                FuncName = draft.FuncName,
                Service = draft.Service,
                VersionDesc = draft.VersionDesc,
                RevisionId = Timestamps.NextRevisionId(now, draft.RevisionId),
                CreateTime = draft.CreateTime,
                UpdateTime = Timestamps.Format(now),
                PublishTime = draft.PublishTime,
                LastPublishedVersion = draft.LastPublishedVersion,
                Status = draft.Status,
            };
            changes = RecordChanges.Between(draft, restored);
            return restored;
        }, cancellationToken);
        return written.TryGet(out var view, out var error) ? new RestoreResult(view, changes) : error;
    }
}

/// <summary>The draft after a restore and the changes the restore made (what a dry run shows).</summary>
public sealed record RestoreResult(FunctionView Function, IReadOnlyList<HistoryChange> Changes);