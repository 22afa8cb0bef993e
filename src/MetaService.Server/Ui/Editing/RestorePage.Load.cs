using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.History;

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaService.Server.Ui.Editing;

/// <summary>
/// <c>/ui/functions/{name}/restore</c>: the sources (the function's versions, and its history entries that hold a record,
/// newest first) to choose from; Review runs the restore's dry run (<see cref="FunctionService.RestoreAsync"/> on the
/// dry-run store, as <c>POST …/restore?dryRun=true</c>) against the draft as it is, and shows its changes; Restore runs it
/// under the revisionId the review was made against, so a draft changed since is reviewed again, not overwritten.
/// </summary>
public sealed partial class RestorePage
{
    public const int MaxSources = 50;

    private static readonly string[] WithRecord = [HistoryOperations.Create, HistoryOperations.Update, HistoryOperations.Patch, HistoryOperations.Publish, HistoryOperations.Restore];

    public static async Task<IResult> RenderAsync(HttpContext context, string name, FunctionService service, FunctionCatalog catalog, HistoryReader history, CancellationToken cancellationToken)
    {
        var frame = ConsolePage.For(context);
        if (!frame.User.MayEdit)
        {
            return EditingForms.NotForViewers(frame, name);
        }

        if (!(await EditingForms.DraftAsync(service, catalog, frame.User.Tenant, name, cancellationToken)).TryGet(out var draft, out var error))
        {
            return EditingForms.Problem(frame, name, error);
        }

        var model = await ChoicesAsync(new RestoreModel(frame, draft.Record.Name, draft.Record.RevisionId), service, history, cancellationToken);
        return Page(model with { From = context.Request.Query["from"].ToString() });
    }

    public static async Task<IResult> PostAsync(HttpContext context, string name, IAntiforgery antiforgery, FunctionService service, FunctionCatalog catalog, HistorySources sources,
        HistoryReader history, CancellationToken cancellationToken)
    {
        var (edit, refusal) = await EditingForms.DraftFormAsync(context, antiforgery, service, catalog, name, cancellationToken);
        if (edit is null)
        {
            return refusal!;
        }

        var (posted, frame, draft) = (edit.Form, edit.Frame, edit.Draft);
        var tenant = frame.User.Tenant;
        MetaError? error;

        var from = posted["from"].ToString();
        var model = new RestoreModel(frame, draft.Record.Name, draft.Record.RevisionId) { From = from };
        if (FunctionKinds.IsDraftVersion(from))
        {
            error = MetaError.InvalidParam("from names the draft itself: give a version number (v3) or @<revision> of a history entry");
        }
        else if ((await sources.ResolveAsync(tenant, name, from, "from", cancellationToken)).TryGet(out var source, out error))
        {
            var save = posted["step"] == "save";
            var revisionId = save ? posted["revisionId"].ToString() : draft.Record.RevisionId;
            var restored = await (save ? service : service.AsDryRun()).RestoreAsync(tenant, name, source, revisionId, null, cancellationToken);
            if (restored.TryGet(out var result, out error))
            {
                return save ? TypedResults.Redirect(EditingForms.FunctionLink(draft.Record.Name)) : (IResult)Page(model with { Review = EditingForms.Shown(result.Changes) });
            }

            if (save && error.Kind == ErrorKind.RevisionMismatch)
            {
                // Changed since the review: the review again, against the draft as it is now.
                var again = await service.AsDryRun().RestoreAsync(tenant, name, source, draft.Record.RevisionId, null, cancellationToken);
                if (again.TryGet(out var now, out error))
                {
                    return Page(model with { Review = EditingForms.Shown(now.Changes), Problem = "The draft changed after your review; review these changes again." },
                        StatusCodes.Status412PreconditionFailed);
                }
            }
        }

        var choices = await ChoicesAsync(model with { Problem = $"The server refused the restore (code {error.Code}): {error.Message}" }, service, history, cancellationToken);
        return Page(choices, Wire.WireResults.StatusOf(error.Kind));
    }

    private static async Task<RestoreModel> ChoicesAsync(RestoreModel model, FunctionService service, HistoryReader history, CancellationToken cancellationToken)
    {
        var tenant = model.Frame.User.Tenant;
        var versions = new List<(string, string)>();
        if ((await service.ListVersionsAfterAsync(tenant, model.Name, new KeyPaging(MaxSources, null), cancellationToken)).TryGet(out var page, out _))
        {
            foreach (var entry in page.Functions ?? [])
            {
                if (await service.ViewAsync(entry, cancellationToken) is { View: var view } && !FunctionKinds.IsDraftVersion(view.VersionNumber))
                {
                    versions.Add((view.VersionNumber, string.IsNullOrEmpty(view.VersionDesc) ? view.VersionNumber : $"{view.VersionNumber} · {view.VersionDesc}"));
                }
            }
        }

        var entries = (await history.FunctionAsync(tenant, model.Name, MaxSources, null, cancellationToken)).TryGet(out var listed, out _)
            ? listed.Entries.Where(e => WithRecord.Contains(e.Operation, StringComparer.Ordinal)).ToList()
            : new List<HistoryEntry>();
        return model with { Versions = versions, Entries = entries };
    }

    private static RazorComponentResult<RestorePage> Page(RestoreModel model, int status = StatusCodes.Status200OK) =>
        ConsolePage.Render<RestorePage>(new() { [nameof(M)] = model }, status);
}

/// <summary>What the restore page shows: the sources to choose from, or the review of one.</summary>
public sealed record RestoreModel(ConsolePage Frame, string Name, string RevisionId)
{
    public string From { get; init; } = "";

    public IReadOnlyList<(string Version, string Label)> Versions { get; init; } = [];

    public IReadOnlyList<HistoryEntry> Entries { get; init; } = [];

    public IReadOnlyList<HistoryChange>? Review { get; init; }

    public string? Problem { get; init; }
}