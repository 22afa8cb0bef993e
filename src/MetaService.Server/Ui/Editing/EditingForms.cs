using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Server.Auth;

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaService.Server.Ui.Editing;

/// <summary>
/// What every form that changes something shares: the form token is checked first (400 without a valid one, as every
/// console form), then the role (403 for a viewer, who is shown none of these forms: a post can only be forged). The
/// history names the signed-in caller as the actor: the console's gate attaches it to every request it lets in.
/// </summary>
internal static class EditingForms
{
    /// <summary>Paths a diff leaves out: every write changes them, and they say nothing about the configuration.</summary>
    private static readonly string[] Bookkeeping = ["revisionId", "updateTime"];

    public static async Task<(IFormCollection? Form, IResult? Refusal)> ReadAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (await ConsoleSession.FormAsync(context, antiforgery) is not { } form)
        {
            return (null, ConsoleSession.BadForm());
        }

        var user = ConsoleUser.Of(context);
        if (!user.MayEdit)
        {
            return (null, Forbidden());
        }

        return (form, null);
    }

    public static JsonHttpResult<Wire.ErrorBody> Forbidden() =>
        ConsoleSession.Refusal(StatusCodes.Status403Forbidden, AuthGate.ForbiddenCode, "only an editor or admin may change functions");

    /// <summary>A page that only an editor may open, shown to someone else: the function page's problem, 403.</summary>
    public static RazorComponentResult<FunctionPage> NotForViewers(ConsolePage frame, string name) => Problem(frame, name, "Only an editor or admin may change functions.", StatusCodes.Status403Forbidden);

    public static RazorComponentResult<FunctionPage> Problem(ConsolePage frame, string name, string message, int status) =>
        ConsolePage.Render<FunctionPage>(new() { [nameof(FunctionPage.Details)] = null, [nameof(FunctionPage.Problem)] = new FunctionProblem(frame, name, message) }, status);

    public static RazorComponentResult<FunctionPage> Problem(ConsolePage frame, string name, MetaError error) =>
        Problem(frame, name, $"{error.Message} (code {error.Code})", Wire.WireResults.StatusOf(error.Kind));

    /// <summary>A form posted about the draft of <paramref name="name"/>: the form (checked as <see cref="ReadAsync"/>
    /// checks it), the page's frame and the draft as stored now; or the answer that refuses it.</summary>
    public static async Task<(PostedDraft? Posted, IResult? Refusal)> DraftFormAsync(HttpContext context, IAntiforgery antiforgery, FunctionService service,
        FunctionCatalog catalog, string name, CancellationToken cancellationToken)
    {
        var (form, refusal) = await ReadAsync(context, antiforgery);
        if (form is null)
        {
            return (null, refusal);
        }

        var frame = ConsolePage.For(context);
        return (await DraftAsync(service, catalog, frame.User.Tenant, name, cancellationToken)).TryGet(out var draft, out var error)
            ? (new PostedDraft(form, frame, draft), null)
            : (null, Problem(frame, name, error));
    }

    /// <summary>The draft of <paramref name="name"/> as stored now, with the store revision it was written at.</summary>
    public static async Task<Outcome<StoredRecord>> DraftAsync(FunctionService service, FunctionCatalog catalog, Tenant tenant, string name, CancellationToken cancellationToken)
    {
        if (!(await service.FindAsync(tenant, name, null, null, cancellationToken)).TryGet(out var entry, out var error))
        {
            return error;
        }

        return await catalog.ReadAsync(entry.Key, keep: false, cancellationToken) is { } stored ? stored : MetaError.FunctionNotFound(name);
    }

    /// <summary>The changes a page shows: the diff route's, without the bookkeeping every write changes.</summary>
    public static IReadOnlyList<HistoryChange> Shown(IEnumerable<HistoryChange> changes) =>
        [.. changes.Where(c => !Bookkeeping.Contains(c.Path, StringComparer.Ordinal))];

    public static string FunctionLink(string name) => $"{UiRegistration.Root}/functions/{Uri.EscapeDataString(name)}";
}

/// <summary>A changing form, the frame of the page it came from, and the draft it changes as stored now.</summary>
internal sealed record PostedDraft(IFormCollection Form, ConsolePage Frame, StoredRecord Draft);