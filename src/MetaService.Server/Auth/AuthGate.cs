using System.Text.Json;

using MetaService.Server.Observability;
using MetaService.Server.Wire;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Auth;

/// <summary>
/// The one check before every route when a mode other than <c>none</c> is on: the route's <see cref="Access"/>, the
/// caller from the first scheme that finds its credential, the role, then the tenant. A request without a credential
/// its route needs gets 401 with <c>WWW-Authenticate</c>; a role too low or another tenant (for all but admins) 403;
/// both with a <c>{code, message}</c> body. <c>X-Tenant-Id</c> and <c>X-Product-Id</c>, when absent, become the
/// credential's, so the routes read the tenant as before. The caller's id is named to the limits
/// (<see cref="Limits.Caller.Identify"/>), so that the request rate counts per credential, not per address.
/// </summary>
public sealed class AuthGate(IReadOnlyList<ICredentialScheme> schemes, IOptions<AuthOptions> options)
{
    /// <summary>401: no credential, or one that does not prove who calls.</summary>
    public const int UnauthenticatedCode = 190401;

    /// <summary>403: the credential may not do this (role, tenant).</summary>
    public const int ForbiddenCode = 190403;

    /// <summary>The endpoint routing answers a known path with when no route takes the method.</summary>
    private const string MethodNotAllowed = "405 HTTP Method Not Supported";

    private readonly string _challenge = string.Join(", ", schemes.Select(s => s.Challenge).Distinct());
    private readonly AuthOptions _options = options.Value;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var access = AccessOf(context);
        if (access == Access.Anonymous)
        {
            await next(context);
            return;
        }

        Credential credential = default;
        foreach (var scheme in schemes)
        {
            credential = await scheme.AuthenticateAsync(context.Request, context.RequestAborted);
            if (credential.Caller is not null || credential.Refusal is not null)
            {
                break;
            }
        }

        if (credential.Caller is not { } caller)
        {
            await (credential.Forbidden
                ? RefuseAsync(context, StatusCodes.Status403Forbidden, ForbiddenCode, credential.Refusal!)
                : RefuseAsync(context, StatusCodes.Status401Unauthorized, UnauthenticatedCode, credential.Refusal ?? NoCredential(context.Request)));
            return;
        }

        var required = (Role)((int)access - 1);
        if (caller.Role < required)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, ForbiddenCode,
                $"role {required.ToString().ToLowerInvariant()} is required; this credential has role {caller.Role.ToString().ToLowerInvariant()}");
            return;
        }

        if (access != Access.Admin && TenantProblem(context.Request, caller) is { } problem)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, ForbiddenCode, problem);
            return;
        }

        caller.Attach(context);
        Caller.Lease(context, credential.Holds);
        Limits.Caller.Identify(context, caller.Id);
        await next(context);
    }

    /// <summary>What the route of <paramref name="context"/> asks: its <see cref="Access"/> metadata, else the settings
    /// for metrics and the API description, else viewer to read and editor to write. A request no route takes (404,
    /// 405) asks nothing: it reads and writes nothing.</summary>
    public Access AccessOf(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.DisplayName == MethodNotAllowed)
        {
            return Access.Anonymous;
        }

        if (endpoint.Metadata.GetMetadata<AccessMetadata>() is { } declared)
        {
            return declared.Access;
        }

        var path = context.Request.Path;
        if (path.StartsWithSegments(ObservabilityRegistration.MetricsPath))
        {
            return _options.MetricsAccess;
        }

        if (path.StartsWithSegments("/openapi") || path.StartsWithSegments("/scalar"))
        {
            return _options.ApiDescriptionAccess;
        }

        return HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ? Access.Viewer : Access.Editor;
    }

    private string NoCredential(HttpRequest request) =>
        (request.Headers.Authorization.Count > 0 ? "the Authorization header carries no credential this server takes; " : "")
        + "a credential is required: " + string.Join(" or ", schemes.Select(s => s.Asks));

    /// <summary>Absent headers become the caller's; a different tenant or product is refused unless the caller is an admin.</summary>
    private static string? TenantProblem(HttpRequest request, Caller caller)
    {
        var tenant = request.Headers["X-Tenant-Id"].ToString();
        var product = request.Headers["X-Product-Id"].ToString();
        if (caller.Role == Role.Admin)
        {
            if (tenant.Length == 0)
            {
                request.Headers["X-Tenant-Id"] = caller.Tenant.TenantId;
            }

            return null;
        }

        if (tenant.Length > 0 && tenant != caller.Tenant.TenantId)
        {
            return $"tenant mismatch: this credential is bound to tenant {caller.Tenant.TenantId}; the request names tenant {Printable(tenant)}";
        }

        if (product.Length > 0 && product != caller.Tenant.ProductId)
        {
            return $"product mismatch: this credential is bound to product '{caller.Tenant.ProductId}'; the request names product {Printable(product)}";
        }

        request.Headers["X-Tenant-Id"] = caller.Tenant.TenantId;
        request.Headers["X-Product-Id"] = caller.Tenant.ProductId;
        return null;
    }

    private static string Printable(string text) => JsonEncodedText.Encode(text.Length > 128 ? text[..128] : text).ToString();

    private Task RefuseAsync(HttpContext context, int status, int code, string message)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = _challenge;
        }

        WireResults.SetCode(context, code);
        return TypedResults.Json(new ErrorBody(code, message), WireJson.Relaxed.ErrorBody, statusCode: status).ExecuteAsync(context);
    }
}