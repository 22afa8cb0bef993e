using MetaService.Core;
using MetaService.Core.Functions;

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Ui.Editing;

/// <summary><c>/ui/new</c>: the create form, posted to the create of <see cref="FunctionService"/> that
/// <c>POST /serverless/v1/functions</c> calls (its rules, its messages); a success goes to the new function's page.</summary>
public sealed partial class CreatePage
{
    public static IResult Render(HttpContext context, IOptions<MetaOptions> options)
    {
        var frame = ConsolePage.For(context);
        if (!frame.User.MayEdit)
        {
            return EditingForms.NotForViewers(frame, "New function");
        }

        var runtimes = options.Value.Runtimes;
        return Page(frame, FunctionForm.Blank(runtimes.FirstOrDefault() ?? ""), null, runtimes);
    }

    public static async Task<IResult> PostAsync(HttpContext context, IAntiforgery antiforgery, FunctionService service, IOptions<MetaOptions> options, CancellationToken cancellationToken)
    {
        var (posted, refusal) = await EditingForms.ReadAsync(context, antiforgery);
        if (posted is null)
        {
            return refusal!;
        }

        var frame = ConsolePage.For(context);
        var form = FunctionForm.Read(posted);
        if (!form.ToRequest(null).TryGet(out var request, out var error)
            || !(await service.CreateAsync(frame.User.Tenant, request, cancellationToken)).TryGet(out var created, out error))
        {
            return Page(frame, form, FormProblem.Of(error), options.Value.Runtimes);
        }

        return TypedResults.Redirect(EditingForms.FunctionLink(created.Name));
    }

    private static RazorComponentResult<CreatePage> Page(ConsolePage frame, FunctionForm form, FormProblem? problem, IReadOnlyList<string> runtimes) =>
        ConsolePage.Render<CreatePage>(new() { [nameof(Frame)] = frame, [nameof(Form)] = form, [nameof(Problem)] = problem, [nameof(Runtimes)] = runtimes },
            problem?.Status ?? StatusCodes.Status200OK);
}