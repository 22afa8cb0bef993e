using System.Net;
using System.Text;

namespace MetaService.Server.Tests.Auth;

/// <summary>
/// Mode jwt through the real server, beside mode token (<c>jwt,token</c>: each lets the other's bearer tokens through):
/// tokens of the test's own provider (an RSA key in a PEM file, an EC key in a JWKS file) are accepted with the tenant and
/// role of their claims; <c>alg: none</c>, HMAC keyed with the public key, an unknown key, another issuer or audience, an
/// expired, a not-yet-valid or an exp-less token get 401, a token without the tenant or role claim 401 naming the claim,
/// an unmapped role 403, and an editor of one tenant 403 on another; no refusal writes.
/// </summary>
public sealed class JwtTests : IAsyncLifetime
{
    private readonly JwtIssuer _idp = new();
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync()
    {
        _idp.Configure(_factory, "jwt,token");
        _factory.Settings["Auth:BootstrapTokenFile"] = AuthSetup.BootstrapFile(_factory);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        _idp.Dispose();
    }

    [Fact]
    public async Task RsaTokenOfTheKeyFile_IsAnEditorOfItsTenantClaim()
    {
        using var client = JwtIssuer.Client(_factory, _idp.Token(tenant: "jwt-alpha"));
        var name = Names.Faas();

        using var created = await client.PostAsync(Api.ServerlessRoot, Json(Bodies.Faas(name).ToJsonString()), TestContext.Current.CancellationToken);

        Assert.Equal($"sn:cn:yrk:jwt-alpha:function:{name}", (string?)(await Wire.OkAsync(created))["function"]!["functionUrn"]);
    }

    [Fact]
    public async Task EcTokenOfTheJwks_IsAccepted_AndAViewerCannotWrite()
    {
        using var viewer = JwtIssuer.Client(_factory, _idp.Token(role: "viewer", key: JwtIssuer.Key.Ec));

        using var listed = await viewer.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);
        using var refused = await _factory.Store.NothingWrittenAsync(() => viewer.PostAsync(Api.ServerlessRoot, Json(Bodies.Faas(Names.Faas()).ToJsonString()), TestContext.Current.CancellationToken));

        await Wire.OkAsync(listed);
        Assert.Contains("role editor is required", await Wire.AssertErrorAsync(refused, HttpStatusCode.Forbidden, 190403), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "alg none", "signature" },
        { "HS256 keyed with the public key", "signature" },
        { "a key the server does not know", "signature" },
        { "another issuer", "issuer" },
        { "another audience", "audience" },
        { "expired", "expired" },
        { "not valid yet", "not valid yet" },
        { "no exp", "no exp" },
        { "no tenant claim", "no tenant claim 'tenant'" },
        { "no role claim", "no role claim 'role'" },
        { "a tenant that cannot be one", "is not a tenant" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_With401_NamingWhy_AndNothingWritten(string token, string reason)
    {
        using var client = JwtIssuer.Client(_factory, Make(token));

        using var response = await _factory.Store.NothingWrittenAsync(() => client.PostAsync(Api.ServerlessRoot, Json(Bodies.Faas(Names.Faas()).ToJsonString()), TestContext.Current.CancellationToken));

        Assert.Contains(reason, await Wire.AssertErrorAsync(response, HttpStatusCode.Unauthorized, 190401), StringComparison.Ordinal);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a*b.c.d")]
    [InlineData("e30.e30.e30.e30")]
    [InlineData("%%%.x.y")]
    public async Task ABearerValueThatIsNoJwt_Is401_NotAServerError(string value)
    {
        using var client = JwtIssuer.Client(_factory, value);

        using var response = await _factory.Store.NothingWrittenAsync(() => client.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken));

        await Wire.AssertErrorAsync(response, HttpStatusCode.Unauthorized, 190401);
    }

    [Fact]
    public async Task ARoleValueThatMapsToNoRole_Is403()
    {
        using var client = JwtIssuer.Client(_factory, _idp.Token(role: "auditor"));

        using var response = await client.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        Assert.Contains("Auth:Jwt:Roles", await Wire.AssertErrorAsync(response, HttpStatusCode.Forbidden, 190403), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditorOfTenantA_Is403OnTenantB()
    {
        using var client = JwtIssuer.Client(_factory, _idp.Token(tenant: "jwt-a"), tenant: "jwt-b");

        using var response = await _factory.Store.NothingWrittenAsync(() => client.PostAsync(Api.ServerlessRoot, Json(Bodies.Faas(Names.Faas()).ToJsonString()), TestContext.Current.CancellationToken));

        Assert.Contains("tenant mismatch", await Wire.AssertErrorAsync(response, HttpStatusCode.Forbidden, 190403), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiTokens_StillWork_BesideJwts_AndAnUnknownOneIsRefusedAsAnApiToken()
    {
        var admin = await AuthSetup.AdminTokenAsync(_factory);
        using var asAdmin = AuthSetup.Bearer(_factory, admin);
        using var unknown = AuthSetup.Bearer(_factory, "yrm_" + new string('x', 43));

        using var tokens = await asAdmin.GetAsync(AuthSetup.TokensRoot, TestContext.Current.CancellationToken);
        using var refused = await unknown.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        await Wire.OkAsync(tokens);
        Assert.Contains("unknown or revoked", await Wire.AssertErrorAsync(refused, HttpStatusCode.Unauthorized, 190401), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredClaimsAndRoleValues_AreRead_AndTheHighestMappedValueCounts()
    {
        await using var factory = new MetaServiceFactory();
        _idp.Configure(factory);
        factory.Settings["Auth:Jwt:TenantClaim"] = "org";
        factory.Settings["Auth:Jwt:RoleClaim"] = "groups";
        factory.Settings["Auth:Jwt:ProductClaim"] = "product";
        factory.Settings["Auth:Jwt:Roles:Editor:0"] = "developers";
        factory.Settings["Auth:Jwt:Roles:Admin:0"] = "platform-admins";
        var claims = new Dictionary<string, object> { ["org"] = "jwt-org", ["product"] = "p1", ["groups"] = new[] { "developers", "platform-admins" } };
        using var admin = JwtIssuer.Client(factory, _idp.Token(tenant: null, role: null, extra: claims));
        using var named = JwtIssuer.Client(factory, _idp.Token(tenant: null, role: "editor", extra: new Dictionary<string, object> { ["org"] = "jwt-org", ["groups"] = "editor" }));

        using var tokens = await admin.GetAsync(AuthSetup.TokensRoot, TestContext.Current.CancellationToken);
        using var refused = await named.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        await Wire.AssertErrorAsync(refused, HttpStatusCode.Forbidden, 190403);
    }

    [Theory]
    [InlineData("Auth:Jwt:Issuer", "", "Auth:Jwt:Issuer")]
    [InlineData("Auth:Jwt:Audience", "", "Auth:Jwt:Audience")]
    [InlineData("Auth:Jwt:KeyFile", "/nonexistent/idp.pem", "cannot be read")]
    [InlineData("Auth:Jwt:ClockSkewSeconds", "-1", "ClockSkewSeconds")]
    [InlineData("Auth:Jwt:Roles:Viewer:0", "editor", "more than one role")]
    public async Task BadJwtSetting_IsRefusedAtStart(string key, string value, string message)
    {
        await using var factory = new MetaServiceFactory();
        _idp.Configure(factory);
        factory.Settings["Auth:Jwt:Roles:Editor:0"] = "editor";
        factory.Settings[key] = value;

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task AKeyFileThatHoldsNoKey_IsRefusedAtStart()
    {
        await using var factory = new MetaServiceFactory();
        _idp.Configure(factory);
        factory.Settings["Auth:Jwt:KeyFile"] = _idp.JwksFile;
        factory.Settings["Auth:Jwt:JwksFile"] = _idp.KeyFile;

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("holds no usable PEM public key", error.ToString(), StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    private string Make(string kind) => kind switch
    {
        "alg none" => _idp.HandMade("""{"alg":"none","typ":"JWT"}""", JwtIssuer.Payload("alpha")),
        "HS256 keyed with the public key" => _idp.HandMade("""{"alg":"HS256","typ":"JWT"}""", JwtIssuer.Payload("alpha"), hmacWithPublicKey: true),
        "a key the server does not know" => _idp.Token(key: JwtIssuer.Key.Stranger),
        "another issuer" => _idp.Token(issuer: "https://other.test"),
        "another audience" => _idp.Token(audience: "someone-else"),
        "expired" => _idp.Token(expires: DateTime.UtcNow.AddHours(-1)),
        "not valid yet" => _idp.Token(notBefore: DateTime.UtcNow.AddHours(1), expires: DateTime.UtcNow.AddHours(2)),
        "no exp" => _idp.Token(withoutExpiry: true),
        "no tenant claim" => _idp.Token(tenant: null),
        "no role claim" => _idp.Token(role: null),
        "a tenant that cannot be one" => _idp.Token(tenant: "a/b"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}