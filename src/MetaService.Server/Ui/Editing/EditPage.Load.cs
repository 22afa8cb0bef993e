using System.Globalization;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.History;

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Ui.Editing;

/// <summary>
/// <c>/ui/functions/{name}/edit</c>. The form is the draft's, with its revisionId and the store revision it was written at
/// (<c>base</c>, the revision of its history entry) hidden. Review runs the update's dry run (the same
/// <see cref="FunctionService.UpdateAsync"/> on the dry-run store, every check and the revision compare included) and shows
/// what the update's merge changes; Save runs the update with the form's revisionId, so it commits only while the draft
/// is the one the form was loaded from. When it is not, the page lists what the others changed (the diff from
/// <c>@base</c> to the draft now) and offers to re-apply the user's own changes onto the current draft.
/// </summary>
public sealed partial class EditPage
{
    public static async Task<IResult> RenderAsync(HttpContext context, string name, FunctionService service, FunctionCatalog catalog, IOptions<MetaOptions> options, CancellationToken cancellationToken)
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

        var reveal = context.Request.Query["reveal"] == "environment";
        if (reveal)
        {
            RevealLog.Revealed(context, draft.Record.Name);
        }

        var model = new EditModel(frame, draft.Record.Name, FunctionForm.From(draft.Record, reveal), draft.Record.RevisionId, draft.ModRevision, options.Value.Runtimes)
        {
            RevealLink = reveal ? null : EditingForms.FunctionLink(draft.Record.Name) + "/edit?reveal=environment",
        };
        return Page(model);
    }

    public static async Task<IResult> PostAsync(HttpContext context, string name, IAntiforgery antiforgery, FunctionService service, FunctionCatalog catalog, HistorySources sources,
        IOptions<MetaOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (edit, refusal) = await EditingForms.DraftFormAsync(context, antiforgery, service, catalog, name, cancellationToken);
        if (edit is null)
        {
            return refusal!;
        }

        var (posted, frame, draft) = (edit.Form, edit.Frame, edit.Draft);
        var tenant = frame.User.Tenant;
        MetaError? error;

        _ = long.TryParse(posted["base"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var baseRevision);
        var model = new EditModel(frame, draft.Record.Name, FunctionForm.Read(posted), posted["revisionId"].ToString(), baseRevision, options.Value.Runtimes);
        var step = posted["step"].ToString();
        if (step == "back")
        {
            return Page(model);
        }

        if (step == "reapply")
        {
            var baseline = await BaselineAsync(sources, tenant, name, baseRevision, cancellationToken);
            var form = baseline.TryGet(out var before, out _) ? model.Form.Reapplied(before, draft.Record) : model.Form;
            model = model with { Form = form, RevisionId = draft.Record.RevisionId, Base = draft.ModRevision };
        }

        if (!model.Form.ToRequest(draft.Record).TryGet(out var request, out error))
        {
            return Page(model with { Problem = FormProblem.Of(error) });
        }

        request = request with { RevisionId = model.RevisionId };
        var save = step == "save";
        var written = await (save ? service : service.AsDryRun()).UpdateAsync(tenant, name, request, cancellationToken);
        if (!written.TryGet(out _, out error))
        {
            return error.Kind == ErrorKind.RevisionMismatch
                ? Page(model with { Conflict = await ConflictAsync(sources, tenant, name, baseRevision, draft, cancellationToken), Problem = null }, StatusCodes.Status412PreconditionFailed)
                : Page(model with { Problem = FormProblem.Of(error) });
        }

        if (save)
        {
            return TypedResults.Redirect(EditingForms.FunctionLink(draft.Record.Name));
        }

        // What the dry run accepted, merged as the update merges it, against the draft it was checked against.
        IReadOnlyList<HistoryChange> changes = FunctionRules.Merge(draft.Record, request, options.Value, clock).TryGet(out var merged, out _)
            ? EditingForms.Shown(RecordChanges.Between(draft.Record, merged))
            : [];
        return Page(model with { Review = changes });
    }

    /// <summary>The draft the form was loaded from: the snapshot of the history entry written with it.</summary>
    private static async Task<Outcome<Core.Records.FunctionRecord>> BaselineAsync(HistorySources sources, Tenant tenant, string name, long baseRevision, CancellationToken cancellationToken) =>
        baseRevision < 1
            ? MetaError.InvalidParam("the form does not say which revision it was loaded from")
            : await sources.ResolveAsync(tenant, name, "@" + baseRevision.ToString(CultureInfo.InvariantCulture), "from", cancellationToken);

    private static async Task<EditConflict> ConflictAsync(HistorySources sources, Tenant tenant, string name, long baseRevision, StoredRecord draft, CancellationToken cancellationToken)
    {
        var baseline = await BaselineAsync(sources, tenant, name, baseRevision, cancellationToken);
        return baseline.TryGet(out var before, out var error)
            ? new EditConflict(draft.Record.RevisionId, EditingForms.Shown(RecordChanges.Between(before, draft.Record)), null)
            : new EditConflict(draft.Record.RevisionId, null, error.Message + " Re-applying saves every value of this form.");
    }

    private static RazorComponentResult<EditPage> Page(EditModel model, int? status = null) =>
        ConsolePage.Render<EditPage>(new() { [nameof(M)] = model }, status ?? model.Problem?.Status ?? StatusCodes.Status200OK);
}

/// <summary>What the edit page shows: the form, what it was loaded from, and at most one of a problem, a conflict or a
/// review.</summary>
public sealed record EditModel(ConsolePage Frame, string Name, FunctionForm Form, string RevisionId, long Base, IReadOnlyList<string> Runtimes)
{
    public FormProblem? Problem { get; init; }

    public EditConflict? Conflict { get; init; }

    /// <summary>The dry run's changes, when the page is the review.</summary>
    public IReadOnlyList<HistoryChange>? Review { get; init; }

    public string? RevealLink { get; init; }
}

/// <summary>Someone else saved first: the draft's revisionId now, and what they changed since the form's base (or why
/// that cannot be listed).</summary>
public sealed record EditConflict(string CurrentRevisionId, IReadOnlyList<HistoryChange>? TheirChanges, string? Note);