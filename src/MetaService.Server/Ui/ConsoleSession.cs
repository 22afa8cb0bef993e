using MetaService.Server.Auth;
using MetaService.Server.Wire;

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaService.Server.Ui;

/// <summary>
/// The console's forms: sign in (a token, proved by <see cref="ConsoleGate.ProveAsync"/>, kept in an HttpOnly,
/// SameSite=Strict cookie for <c>/ui</c> only, Secure over https), sign out (the cookie cleared), and the tenant an
/// admin looks at. Each form carries an antiforgery token, checked before anything else; a form without one, or not a
/// form at all, is refused with 400 <c>{code, message}</c> and changes nothing.
/// </summary>
public static class ConsoleSession
{
    /// <summary>The longest token a form may carry (API tokens are 47 characters, JWTs rarely over 2 KB).</summary>
    public const int MaxTokenLength = 4000;

    public static async Task<IResult> SignInAsync(HttpContext context, ConsoleGate gate, IAntiforgery antiforgery)
    {
        if (await FormAsync(context, antiforgery) is not { } form)
        {
            return BadForm();
        }

        var then = LocalPath(form["then"].ToString());
        if (!gate.AuthOn)
        {
            return TypedResults.Redirect(then);
        }

        var token = form["token"].ToString().Trim();
        if (token.Length is 0 or > MaxTokenLength)
        {
            return SignInPage.Refused(context, "give the token (an API token, or a JWT or openYuanrong token when the server takes them)", then);
        }

        var (caller, cookie, refusal) = await gate.ProveAsync(context, token);
        if (caller is null)
        {
            return SignInPage.Refused(context, refusal, then);
        }

        context.Response.Cookies.Append(ConsoleGate.SessionCookie, cookie, CookieOptions(context));
        return TypedResults.Redirect(then);
    }

    public static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (await FormAsync(context, antiforgery) is null)
        {
            return BadForm();
        }

        Forget(context);
        context.Response.Cookies.Delete(ConsoleGate.TenantCookie, CookieOptions(context));
        return TypedResults.Redirect(UiRegistration.Root + "/signin");
    }

    public static async Task<IResult> SwitchTenantAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (await FormAsync(context, antiforgery) is not { } form)
        {
            return BadForm();
        }

        if (!ConsoleUser.Of(context).MaySwitchTenant)
        {
            return Refusal(StatusCodes.Status403Forbidden, AuthGate.ForbiddenCode, "only an admin may look at another tenant");
        }

        var tenant = form["tenant"].ToString().Trim();
        var probe = new DefaultHttpContext();
        probe.Request.Headers["X-Tenant-Id"] = tenant;
        if (!WireRequests.Tenant(probe.Request).TryGet(out _, out var error))
        {
            return Refusal(StatusCodes.Status400BadRequest, error.Code, error.Message);
        }

        context.Response.Cookies.Append(ConsoleGate.TenantCookie, tenant, CookieOptions(context));
        return TypedResults.Redirect(UiRegistration.Root);
    }

    /// <summary>Clears the session cookie (signed out, or its token no longer proves anyone).</summary>
    public static void Forget(HttpContext context) => context.Response.Cookies.Delete(ConsoleGate.SessionCookie, CookieOptions(context));

    /// <summary>The cookies' attributes: this path only, not readable by scripts, not sent from other sites, Secure over
    /// https; no expiry (they end with the browser's session).</summary>
    private static CookieOptions CookieOptions(HttpContext context) => new()
    {
        Path = UiRegistration.Root,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        IsEssential = true,
    };

    /// <summary>The posted form when it is a form whose antiforgery token is valid; null otherwise.</summary>
    internal static async Task<IFormCollection?> FormAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType || context.Request.ContentLength is > 64 * 1024)
        {
            return null;
        }

        try
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return null;
            }

            return await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or AntiforgeryValidationException)
        {
            return null;
        }
    }

    /// <summary>A path of the console to go to after a form: <c>/ui</c> or below it, else <c>/ui</c> (never another site).</summary>
    public static string LocalPath(string? path) =>
        path is { Length: > 0 and <= 2048 } && (path == UiRegistration.Root || path.StartsWith(UiRegistration.Root + "/", StringComparison.Ordinal) || path.StartsWith(UiRegistration.Root + "?", StringComparison.Ordinal))
            && !path.Contains('\\') && !path.Contains("//", StringComparison.Ordinal)
            ? path
            : UiRegistration.Root;

    internal static JsonHttpResult<ErrorBody> BadForm() => Refusal(StatusCodes.Status400BadRequest, StatusCodes.Status400BadRequest, "the form is missing or stale (no valid antiforgery token): reload the page and send it again");

    private static JsonHttpResult<ErrorBody> Refusal(int status, int code, string message) => TypedResults.Json(new ErrorBody(code, message), WireJson.Relaxed.ErrorBody, statusCode: status);
}