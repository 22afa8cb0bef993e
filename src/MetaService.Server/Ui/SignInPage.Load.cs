using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaService.Server.Ui;

/// <summary>The sign-in page: a token field, posted to <c>/ui/signin</c>. Skipped (to the functions) when
/// authentication is off or the console is signed in already.</summary>
public sealed partial class SignInPage
{
    public static IResult Render(HttpContext context, ConsoleGate gate)
    {
        var then = ConsoleSession.LocalPath(context.Request.Query["then"].ToString());
        if (!gate.AuthOn || ConsoleUser.Of(context).Caller is not null)
        {
            return TypedResults.Redirect(then);
        }

        return Page(context, then, null, StatusCodes.Status200OK);
    }

    /// <summary>The page again, saying why the token was refused (401).</summary>
    public static IResult Refused(HttpContext context, string reason, string then) => Page(context, then, reason, StatusCodes.Status401Unauthorized);

    private static RazorComponentResult<SignInPage> Page(HttpContext context, string then, string? refusal, int status) =>
        ConsolePage.Render<SignInPage>(new() { [nameof(Frame)] = ConsolePage.For(context), [nameof(Then)] = then, [nameof(Refusal)] = refusal }, status);
}