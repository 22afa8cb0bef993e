using MetaService.Core;
using MetaService.Server.Auth;
using MetaService.Server.Wire;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Ui;

/// <summary>
/// Who uses the console, decided again on every <c>/ui</c> request. The API's credential headers are dropped (a page
/// never sends them; the console takes its cookie only), then the cookie's token is proved by the server's own schemes
/// (<see cref="AuthRegistration.Modes"/>, the same objects the API's gate uses), so a revoked or expired token signs the
/// console out at its next request. With authentication off nobody signs in. A request that is not signed in is sent to
/// the sign-in page (GET), or, for live rows, answered 204 (which ends an EventSource).
/// </summary>
public sealed class ConsoleGate
{
    /// <summary>The session cookie: the token as proved at sign-in, with the header form that proved it.</summary>
    public const string SessionCookie = "metaservice-ui";

    /// <summary>The tenant an admin (or anyone, with authentication off) chose to look at.</summary>
    public const string TenantCookie = "metaservice-ui-tenant";

    private const string Bearer = "b.";
    private const string XAuth = "x.";

    private readonly IReadOnlyList<ICredentialScheme> _schemes;

    public ConsoleGate(IServiceProvider services, IOptions<AuthOptions> options)
    {
        _schemes = [.. options.Value.Modes.Where(AuthRegistration.Modes.ContainsKey).Select(m => (ICredentialScheme)services.GetRequiredService(AuthRegistration.Modes[m]))];
    }

    /// <summary>Whether the server asks for credentials (any mode but <c>none</c>).</summary>
    public bool AuthOn => _schemes.Count > 0;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(ConsoleHeaders.Add, context);
        var request = context.Request;
        request.Headers.Remove("Authorization");
        request.Headers.Remove("X-Auth");

        var credential = AuthOn ? await FromCookieAsync(context) : Credential.Absent;
        var caller = credential.Caller;
        if (AuthOn && caller is null && !Open(request.Path))
        {
            await TurnAwayAsync(context);
            return;
        }

        var user = new ConsoleUser(caller, AuthOn, SelectedTenant(context, caller));
        user.Attach(context);
        if (caller is not null)
        {
            // As the API's gate does: writes name this caller in the history, and a long request (live rows) asks the
            // lease whether the credential still holds (a revoked token ends the stream).
            caller.Attach(context);
            Caller.Lease(context, credential.Holds);
            Limits.Caller.Identify(context, caller.Id);
        }

        await next(context);
    }

    /// <summary>The caller <paramref name="token"/> proves, sent the way its scheme reads it (a bearer token, else
    /// <c>X-Auth</c>), and the cookie value that keeps it; or why no scheme took it.</summary>
    public async Task<(Caller? Caller, string Cookie, string Refusal)> ProveAsync(HttpContext context, string token)
    {
        string? refusal = null;
        foreach (var form in new[] { Bearer, XAuth })
        {
            var credential = await RunSchemesAsync(context, form + token);
            if (credential.Caller is { } caller)
            {
                return (caller, form + token, "");
            }

            refusal ??= credential.Refusal;
        }

        return (null, "", refusal ?? "this server takes no such token");
    }

    private async Task<Credential> FromCookieAsync(HttpContext context)
    {
        var cookie = context.Request.Cookies[SessionCookie];
        var credential = await RunSchemesAsync(context, cookie);
        if (credential.Caller is null && cookie is not null)
        {
            ConsoleSession.Forget(context);
        }

        return credential;
    }

    /// <summary>Runs the schemes as the API's gate does, with the cookie's token in the header its form names (with no
    /// cookie, only a scheme that reads the connection, mtls, can find a caller).</summary>
    private async Task<Credential> RunSchemesAsync(HttpContext context, string? cookie)
    {
        var headers = context.Request.Headers;
        if (cookie is { Length: > 2 and <= 4096 })
        {
            var token = cookie[2..];
            if (cookie.StartsWith(Bearer, StringComparison.Ordinal))
            {
                headers.Authorization = "Bearer " + token;
            }
            else if (cookie.StartsWith(XAuth, StringComparison.Ordinal))
            {
                headers["X-Auth"] = token;
            }
        }

        try
        {
            foreach (var scheme in _schemes)
            {
                var credential = await scheme.AuthenticateAsync(context.Request, context.RequestAborted);
                if (credential.Caller is not null || credential.Refusal is not null)
                {
                    return credential;
                }
            }

            return Credential.Absent;
        }
        finally
        {
            headers.Remove("Authorization");
            headers.Remove("X-Auth");
        }
    }

    /// <summary>The console's tenant: the caller's own, unless the caller may act for any tenant (an admin, or anyone
    /// with authentication off) and chose another, which must pass the API's rules for <c>X-Tenant-Id</c>. The request's
    /// tenant headers are set to it, so what the pages read is scoped as an API request of that tenant would be.</summary>
    private static Tenant SelectedTenant(HttpContext context, Caller? caller)
    {
        var own = caller?.Tenant ?? Tenant.Default;
        var headers = context.Request.Headers;
        var chosen = context.Request.Cookies[TenantCookie];
        if ((caller is null or { Role: Role.Admin }) && !string.IsNullOrEmpty(chosen) && chosen != own.TenantId)
        {
            headers["X-Tenant-Id"] = chosen;
            headers["X-Product-Id"] = "";
            if (WireRequests.Tenant(context.Request).TryGet(out var tenant, out _))
            {
                return tenant;
            }
        }

        headers["X-Tenant-Id"] = own.TenantId;
        headers["X-Product-Id"] = own.ProductId;
        return own;
    }

    private static bool Open(PathString path) =>
        path.StartsWithSegments(UiRegistration.Root + "/signin", StringComparison.Ordinal)
        || path.StartsWithSegments(UiRegistration.Root + "/assets", StringComparison.Ordinal);

    private static Task TurnAwayAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments(UiRegistration.Root + "/live", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        // A page, or a form posted after the session ended: to the sign-in page, which comes back here (See Other: a
        // form's POST becomes a GET of the page).
        var back = HttpMethods.IsGet(request.Method) ? request.Path.Value + request.QueryString.Value : UiRegistration.Root;
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = UiRegistration.Root + "/signin?then=" + Uri.EscapeDataString(back ?? UiRegistration.Root);
        return Task.CompletedTask;
    }
}