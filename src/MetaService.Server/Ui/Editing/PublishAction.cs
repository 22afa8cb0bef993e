using MetaService.Core.Functions;

using Microsoft.AspNetCore.Antiforgery;

namespace MetaService.Server.Ui.Editing;

/// <summary><c>POST /ui/functions/{name}/publish</c>, from the function page's action bar: the publish of
/// <see cref="FunctionService"/> that <c>POST …/{name}/versions</c> calls, with the draft's revisionId as the page showed
/// it (a draft changed since is refused, 4134) and an optional description and version number. Back to the function page,
/// whose versions list then has the new version; a refusal is shown with the server's message.</summary>
public static class PublishAction
{
    public static async Task<IResult> PostAsync(HttpContext context, string name, IAntiforgery antiforgery, FunctionService service, CancellationToken cancellationToken)
    {
        var (posted, refusal) = await EditingForms.ReadAsync(context, antiforgery);
        if (posted is null)
        {
            return refusal!;
        }

        var frame = ConsolePage.For(context);
        var request = new PublishRequest
        {
            RevisionId = posted["revisionId"].ToString(),
            VersionNumber = Optional(posted["versionNumber"].ToString()),
            VersionDesc = Optional(posted["versionDesc"].ToString()),
            Kind = Optional(posted["kind"].ToString()),
        };
        return (await service.PublishAsync(frame.User.Tenant, name, request, cancellationToken)).TryGet(out var published, out var error)
            ? TypedResults.Redirect(EditingForms.FunctionLink(published.Name))
            : (IResult)EditingForms.Problem(frame, name, error);
    }

    private static string? Optional(string text) => text.Trim() is { Length: > 0 } trimmed ? trimmed : null;
}