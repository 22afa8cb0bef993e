using System.Net;
using System.Text;

using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests;

/// <summary>
/// Every route × every kind of caller → the status the gate must give: 401 without a credential that proves who calls,
/// 403 for a role too low or another tenant, and otherwise the route's own answer (the bodies are invalid or name nothing,
/// so an allowed request changes nothing either). A refusal leaves the store's revision where it was. The table is checked
/// against the server's own routes, so a new route without a row fails here. The server takes API tokens, openYuanrong
/// tokens and JWTs (modes token, openyuanrong and jwt at once). Runs on the embedded store and on etcd.
/// </summary>
public sealed class AuthMatrixTests : IAsyncLifetime
{
    private const string Tenant = "alpha";
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private readonly JwtIssuer _idp = new();
    private readonly Dictionary<string, Func<HttpClient>> _callers = [];
    private string _function = "";

    /// <summary>The access each route needs: A anonymous, V viewer, E editor, D admin (metrics, pools, tokens).</summary>
    private static readonly (string Method, string Template, string Path, char Access, string? Body)[] Routes =
    [
        .. new[] { "/serverless/v1/functions", "/admin/v1/functions" }.SelectMany(root => new (string, string, string, char, string?)[]
        {
            ("POST", root, root, 'E', "{}"),
            ("GET", root, root, 'V', null),
            ("GET", root + "/{name}", root + "/{fn}", 'V', null),
            ("PUT", root + "/{name}", root + "/{fn}", 'E', "{}"),
            ("PATCH", root + "/{name}", root + "/{fn}", 'E', "{}"),
            ("DELETE", root + "/{name}", root + "/0-absent-fn", 'E', null),
            ("POST", root + "/{name}/versions", root + "/{fn}/versions", 'E', "{}"),
            ("GET", root + "/{name}/versions", root + "/{fn}/versions", 'V', null),
            ("GET", root + "/{name}/history", root + "/{fn}/history", 'V', null),
            ("GET", root + "/{name}/history/{revision}", root + "/{fn}/history/1", 'V', null),
            ("GET", root + "/{name}/diff", root + "/{fn}/diff?from=latest&to=latest", 'V', null),
            ("POST", root + "/{name}/restore", root + "/{fn}/restore", 'E', "{}"),
            ("POST", root + "/reserve-instance", root + "/reserve-instance", 'E', "{}"),
            ("PUT", root + "/reserve-instance", root + "/reserve-instance", 'E', "{}"),
            ("GET", root + "/reserve-instance", root + "/reserve-instance", 'V', null),
            ("DELETE", root + "/reserve-instance", root + "/reserve-instance", 'E', "{}"),
            ("POST", root + "/{name}/aliases", root + "/{fn}/aliases", 'E', "{}"),
            ("GET", root + "/{name}/aliases", root + "/{fn}/aliases", 'V', null),
            ("GET", root + "/{name}/aliases/{alias}", root + "/{fn}/aliases/absent", 'V', null),
            ("PUT", root + "/{name}/aliases/{alias}", root + "/{fn}/aliases/absent", 'E', "{}"),
            ("DELETE", root + "/{name}/aliases/{alias}", root + "/{fn}/aliases/absent", 'E', null),
            ("POST", root + "/{name}/aliases/{alias}/rollback", root + "/{fn}/aliases/absent/rollback", 'E', null),
            ("GET", root + "/{name}/retention", root + "/{fn}/retention", 'V', null),
            ("PUT", root + "/{name}/retention", root + "/{fn}/retention", 'E', """{"keepVersions":-1}"""),
        }),
        .. new[] { "/serverless/v1/tokens", "/admin/v1/tokens" }.SelectMany(root => new (string, string, string, char, string?)[]
        {
            ("POST", root, root, 'D', """{"role":"nobody"}"""),
            ("GET", root, root, 'D', null),
            ("DELETE", root + "/{id}", root + "/00000000000000ff", 'D', null),
        }),
        ("GET", "/serverless/v1/history", "/serverless/v1/history", 'V', null),
        ("POST", "/serverless/v1/podpools", "/serverless/v1/podpools", 'D', "{}"),
        ("GET", "/serverless/v1/podpools", "/serverless/v1/podpools", 'D', null),
        ("PUT", "/serverless/v1/podpools/{id}", "/serverless/v1/podpools/absent", 'D', "{}"),
        ("DELETE", "/serverless/v1/podpools", "/serverless/v1/podpools?id=absent", 'D', null),
        // A malformed since: the caller's access is checked first, then the route answers 400 at once (no stream).
        ("GET", "/serverless/v1/watch", "/serverless/v1/watch?since=x", 'V', null),
        ("GET", "/healthz", "/healthz", 'A', null),
        ("GET", "/", "/", 'A', null),
        ("GET", "/metrics", "/metrics", 'D', null),
        ("GET", "/openapi/{documentName}.json", "/openapi/v1.json", 'A', null),
        ("GET", "/scalar/{documentName?}", "/scalar/", 'A', null),
        ("GET", "/scalar/scalar.js", "/scalar/scalar.js", 'A', null),
        ("GET", "/scalar/scalar.aspnetcore.js", "/scalar/scalar.aspnetcore.js", 'A', null),
        ("GET", "/scalar/favicon.svg", "/scalar/favicon.svg", 'A', null),
        // The web console: anonymous to the API's gate, which never reads its cookie; its own gate sends a caller without
        // a console session to the sign-in page (live rows: 204), and its forms refuse a body without a form token (400).
        ("GET", "/ui", "/ui", 'A', null),
        ("GET", "/ui/functions/{name}", "/ui/functions/{fn}", 'A', null),
        ("GET", "/ui/signin", "/ui/signin", 'A', null),
        ("POST", "/ui/signin", "/ui/signin", 'A', "{}"),
        ("POST", "/ui/signout", "/ui/signout", 'A', "{}"),
        ("POST", "/ui/tenant", "/ui/tenant", 'A', "{}"),
        ("GET", "/ui/live", "/ui/live", 'A', null),
        ("GET", "/ui/assets/{file}", "/ui/assets/console.css", 'A', null),
        ("GET", "/ui/new", "/ui/new", 'A', null),
        ("POST", "/ui/new", "/ui/new", 'A', "{}"),
        ("GET", "/ui/functions/{name}/edit", "/ui/functions/{fn}/edit", 'A', null),
        ("POST", "/ui/functions/{name}/edit", "/ui/functions/{fn}/edit", 'A', "{}"),
        ("POST", "/ui/functions/{name}/publish", "/ui/functions/{fn}/publish", 'A', "{}"),
        ("GET", "/ui/functions/{name}/restore", "/ui/functions/{fn}/restore", 'A', null),
        ("POST", "/ui/functions/{name}/restore", "/ui/functions/{fn}/restore", 'A', "{}"),
        ("GET", "/ui/history", "/ui/history", 'A', null),
        ("GET", "/ui/functions/{name}/history", "/ui/functions/{fn}/history", 'A', null),
        ("GET", "/ui/functions/{name}/compare", "/ui/functions/{fn}/compare", 'A', null),
        ("GET", "/ui/functions/{name}/aliases/{alias}", "/ui/functions/{fn}/aliases/absent", 'A', null),
        ("POST", "/ui/functions/{name}/aliases/{alias}", "/ui/functions/{fn}/aliases/absent", 'A', "{}"),
        ("POST", "/ui/functions/{name}/aliases/{alias}/rollback", "/ui/functions/{fn}/aliases/absent/rollback", 'A', "{}"),
        ("GET", "/ui/podpools", "/ui/podpools", 'A', null),
        ("POST", "/ui/podpools", "/ui/podpools", 'A', "{}"),
        ("POST", "/ui/podpools/{id}", "/ui/podpools/absent", 'A', "{}"),
        ("POST", "/ui/podpools/{id}/delete", "/ui/podpools/absent/delete", 'A', "{}"),
        ("GET", "/ui/functions/{name}/reserved", "/ui/functions/{fn}/reserved", 'A', null),
        ("POST", "/ui/functions/{name}/reserved", "/ui/functions/{fn}/reserved", 'A', "{}"),
        ("POST", "/ui/functions/{name}/reserved/delete", "/ui/functions/{fn}/reserved/delete", 'A', "{}"),
    ];

    public static TheoryData<string> Callers =>
    [
        "none", "viewer", "editor", "admin", "other tenant's editor", "expired", "revoked", "malformed", "wrong signature",
        "jwt viewer", "jwt editor", "jwt admin", "jwt other tenant's editor", "jwt expired", "jwt wrong signature",
    ];

    public async ValueTask InitializeAsync()
    {
        _idp.Configure(_factory, "token,openyuanrong,jwt");
        var admin = await AuthSetup.AdminTokenAsync(_factory);
        using var adminClient = AuthSetup.Bearer(_factory, admin);
        var viewer = await AuthSetup.CreateTokenAsync(adminClient, Tenant, "viewer");
        var editor = await AuthSetup.CreateTokenAsync(adminClient, Tenant, "editor");
        var revoked = await AuthSetup.CreateTokenAsync(adminClient, Tenant, "editor");
        await AuthSetup.RevokeAsync(adminClient, revoked.Id);
        using var alpha = AuthSetup.Bearer(_factory, editor.Token);
        _function = Names.Faas();
        using (var created = await new Api(alpha).CreateAsync(Bodies.Faas(_function)))
        {
            await Wire.OkAsync(created);
        }

        _callers["none"] = () => AuthSetup.Bearer(_factory, null, Tenant);
        _callers["viewer"] = () => AuthSetup.Bearer(_factory, viewer.Token, Tenant);
        _callers["editor"] = () => AuthSetup.Bearer(_factory, editor.Token, Tenant);
        _callers["admin"] = () => AuthSetup.Bearer(_factory, admin, Tenant);
        _callers["other tenant's editor"] = () => AuthSetup.XAuth(_factory, AuthSetup.Developer("beta"), Tenant);
        _callers["expired"] = () => AuthSetup.XAuth(_factory, AuthSetup.Developer(Tenant, exp: 1_000_000_000), Tenant);
        _callers["revoked"] = () => AuthSetup.Bearer(_factory, revoked.Token, Tenant);
        _callers["malformed"] = () => AuthSetup.XAuth(_factory, "not-a-token", Tenant);
        _callers["wrong signature"] = () => AuthSetup.XAuth(_factory, AuthSetup.Developer(Tenant, keyHex: "00112233445566778899AABBCCDDEEFF"), Tenant);
        foreach (var role in new[] { "viewer", "editor", "admin" })
        {
            var jwt = _idp.Token(Tenant, role);
            _callers["jwt " + role] = () => JwtIssuer.Client(_factory, jwt, Tenant);
        }

        var other = _idp.Token("beta", "editor", JwtIssuer.Key.Ec);
        var expired = _idp.Token(Tenant, "admin", expires: DateTime.UtcNow.AddHours(-1));
        var stranger = _idp.Token(Tenant, "admin", JwtIssuer.Key.Stranger);
        _callers["jwt other tenant's editor"] = () => JwtIssuer.Client(_factory, other, Tenant);
        _callers["jwt expired"] = () => JwtIssuer.Client(_factory, expired, Tenant);
        _callers["jwt wrong signature"] = () => JwtIssuer.Client(_factory, stranger, Tenant);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        _idp.Dispose();
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task EveryRoute_AnswersThisCaller_AsItsAccessSays(string caller)
    {
        using var client = _callers[caller]();
        var wrong = new List<string>();

        foreach (var (method, _, path, access, body) in Routes)
        {
            var expected = Expected(caller, access);
            using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{fn}", _function, StringComparison.Ordinal));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            var status = expected is null
                ? await SendAsync(client, request)
                : await _factory.Store.NothingWrittenAsync(() => SendAsync(client, request));

            if (expected is { } refused ? status != refused : status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)status >= 500)
            {
                wrong.Add($"{method} {path}: {(int)status}, expected {(expected is { } e ? ((int)e).ToString(System.Globalization.CultureInfo.InvariantCulture) : "the route's own answer")}");
            }
        }

        Assert.True(wrong.Count == 0, $"{caller}:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Table_ListsEveryRouteOfTheServer()
    {
        // A route of any method (the scrape endpoint) is listed as GET.
        var served = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} /{e.RoutePattern.RawText?.Trim('/')}"))
            .ToHashSet();

        var listed = Routes.Select(r => $"{r.Method} {r.Template}").ToHashSet();

        Assert.True(served.SetEquals(listed), $"served, not listed: {string.Join(", ", served.Except(listed))}; listed, not served: {string.Join(", ", listed.Except(served))}");
    }

    /// <summary>The refusal <paramref name="caller"/> gets on a route of <paramref name="access"/>; null when it is let through.</summary>
    private static HttpStatusCode? Expected(string caller, char access) => (caller.StartsWith("jwt ", StringComparison.Ordinal) ? caller[4..] : caller, access) switch
    {
        (_, 'A') => null,
        ("none" or "expired" or "revoked" or "malformed" or "wrong signature", _) => HttpStatusCode.Unauthorized,
        ("admin", _) => null,
        ("other tenant's editor", _) => HttpStatusCode.Forbidden,
        ("viewer", 'V') => null,
        ("editor", 'V' or 'E') => null,
        _ => HttpStatusCode.Forbidden,
    };

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Assert.NotEmpty(response.Headers.WwwAuthenticate);
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var error = await Wire.JsonAsync(response);
            Assert.Equal(response.StatusCode == HttpStatusCode.Unauthorized ? 190401 : 190403, (int)error["code"]!);
            Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        }

        return response.StatusCode;
    }
}