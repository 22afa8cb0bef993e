using System.Net;
using System.Net.Http.Headers;
using System.Text;

using MetaService.Server.Auth;

using Microsoft.AspNetCore.Http;

namespace MetaService.Server.Tests.Auth;

/// <summary>The gate in modes token and openyuanrong: what a request without a usable credential is told, requests no
/// route takes, an admin's tenant when the request names none, a credential bound to a product, what a refusal quotes
/// of a header, and which bearer values are looked up as API tokens.</summary>
public sealed class AuthGateTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private string _admin = "";

    public async ValueTask InitializeAsync() => _admin = await AuthSetup.AdminTokenAsync(_factory);

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData(null, "")]
    [InlineData("Basic YWxpY2U6c2VjcmV0", "the Authorization header carries no credential this server takes; ")]
    public async Task NoCredential_Is401_NamingEveryCredentialTheServerTakes(string? authorization, string prefix)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Api.ServerlessRoot);
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(
            prefix + "a credential is required: Authorization: Bearer <API token> or X-Auth: <openYuanrong token>",
            await Wire.AssertErrorAsync(response, HttpStatusCode.Unauthorized, AuthGate.UnauthenticatedCode));
        Assert.Equal("Bearer realm=\"metaservice\", X-Auth realm=\"metaservice\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ARequestNoRouteTakes_IsAnsweredAsWithoutAuth_NotRefused()
    {
        using var client = _factory.CreateClient();

        using var unknown = await client.GetAsync("/serverless/v1/no-such-route", TestContext.Current.CancellationToken);
        using var wrongMethod = await client.PatchAsync(Api.ServerlessRoot, new StringContent("{}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }

    [Fact]
    public async Task AnAnonymousRoute_IsServed()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnAdmin_NamingNoTenant_WritesInItsOwnTenant()
    {
        var name = Names.Faas();
        using (var bootstrap = AuthSetup.Bearer(_factory, _admin))
        using (var admin = new Api(AuthSetup.Bearer(_factory, (await AuthSetup.CreateTokenAsync(bootstrap, "alpha", "admin")).Token)))
        {
            await admin.CreateOkAsync(Bodies.Faas(name));
        }

        using var inAlpha = new Api(AuthSetup.Bearer(_factory, _admin, "alpha"));
        using var inDefault = new Api(AuthSetup.Bearer(_factory, _admin, "default"));
        using var there = await inAlpha.GetAsync(name);
        using var elsewhere = await inDefault.GetAsync(name);

        await Wire.OkAsync(there);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task ACredentialBoundToAProduct_IsRefusedAnother_AndGetsItsOwnWhenNoneIsNamed()
    {
        var token = await TokenAsync("alpha", "shop");
        var name = Names.Faas();

        using (var own = new Api(AuthSetup.Bearer(_factory, token)))
        {
            await own.CreateOkAsync(Bodies.Faas(name));
        }

        using var other = AuthSetup.Bearer(_factory, token);
        other.DefaultRequestHeaders.Add("X-Product-Id", "bank");
        using var refused = await new Api(other).GetAsync(name);
        using var same = AuthSetup.Bearer(_factory, token);
        same.DefaultRequestHeaders.Add("X-Product-Id", "shop");
        using var allowed = await new Api(same).GetAsync(name);
        using var admin = AuthSetup.Bearer(_factory, _admin, "alpha");
        admin.DefaultRequestHeaders.Add("X-Product-Id", "shop");
        using var stored = await new Api(admin).GetAsync(name);

        Assert.Equal(
            "product mismatch: this credential is bound to product 'shop'; the request names product bank",
            await Wire.AssertErrorAsync(refused, HttpStatusCode.Forbidden, AuthGate.ForbiddenCode));
        await Wire.OkAsync(allowed);
        await Wire.OkAsync(stored);
    }

    [Fact]
    public async Task ARefusal_QuotesTheFirst128CharactersOfAForeignTenant()
    {
        var token = await TokenAsync("alpha");
        var tenant = new string('t', 126) + "\"x" + new string('y', 72);

        using var client = AuthSetup.Bearer(_factory, token, tenant);
        using var response = await client.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        Assert.Equal(
            $"tenant mismatch: this credential is bound to tenant alpha; the request names tenant {new string('t', 126)}\\u0022x",
            await Wire.AssertErrorAsync(response, HttpStatusCode.Forbidden, AuthGate.ForbiddenCode));
    }

    [Fact]
    public async Task ARequestWithoutALease_StillHolds()
    {
        var context = new DefaultHttpContext();

        Assert.True(await Caller.StillHoldsAsync(context, TestContext.Current.CancellationToken));
        Assert.Null(Caller.Of(context));
    }

    [Theory]
    [InlineData(15, "the bearer token is malformed")]
    [InlineData(16, "the bearer token is unknown or revoked")]
    [InlineData(512, "the bearer token is unknown or revoked")]
    [InlineData(513, "the bearer token is malformed")]
    public async Task AnApiToken_Of16To512Characters_IsLookedUp_AnyOtherIsMalformed(int length, string refusal)
    {
        using var client = AuthSetup.Bearer(_factory, "yrm_" + new string('k', length - 4));

        using var response = await _factory.Store.NothingWrittenAsync(() => client.PostAsync(Api.ServerlessRoot, new StringContent(Bodies.Faas(Names.Faas()).ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken));

        Assert.Equal(refusal, await Wire.AssertErrorAsync(response, HttpStatusCode.Unauthorized, AuthGate.UnauthenticatedCode));
    }

    private async Task<string> TokenAsync(string tenant, string? product = null)
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);
        return (await AuthSetup.CreateTokenAsync(admin, tenant, "editor", product: product)).Token;
    }
}