using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using MetaService.Server.Tokens;

namespace MetaService.Server.Tests.Auth;

/// <summary>What a token request may ask, to the bound: each refusal's message (and nothing written), the values at each
/// bound accepted, the tenant from the body, else the header, else <c>default</c>; the answers' code and message, the list
/// oldest first, and a revoked or malformed id's message.</summary>
public sealed class TokenRequestTests : IAsyncLifetime
{
    private const string Check = ". check input parameters";
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private HttpClient _admin = null!;

    public async ValueTask InitializeAsync() => _admin = AuthSetup.Bearer(_factory, await AuthSetup.AdminTokenAsync(_factory));

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    [Theory]
    [InlineData("""{"role":"root"}""", "role must be viewer, editor or admin")]
    [InlineData("""{"role":"1"}""", "role must be viewer, editor or admin")]
    [InlineData("""{"role":"viewer,admin"}""", "role must be viewer, editor or admin")]
    [InlineData("""{"role":"editor","tenant":"a/b"}""", "tenant and product must be 1 to 128 characters without '/', ':', '@', blanks or control characters")]
    [InlineData("""{"role":"editor","product":"p q"}""", "tenant and product must be 1 to 128 characters without '/', ':', '@', blanks or control characters")]
    [InlineData("""{"role":"editor","expiresInSeconds":0}""", "expiresInSeconds must be 1 to 316224000 (ten years), or absent for a token that does not expire")]
    [InlineData("""{"role":"editor","expiresInSeconds":316224001}""", "expiresInSeconds must be 1 to 316224000 (ten years), or absent for a token that does not expire")]
    public async Task ABadRequest_IsRefused_SayingWhatIsWrong_AndWritesNothing(string body, string message)
    {
        using var response = await _factory.Store.NothingWrittenAsync(() => PostAsync(body));

        Assert.Equal(message + Check, await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104));
    }

    [Fact]
    public async Task ADescriptionOverItsBound_IsRefused()
    {
        using var response = await _factory.Store.NothingWrittenAsync(() => PostAsync(Body("editor", description: new string('d', 257))));

        Assert.Equal("description must be at most 256 characters" + Check, await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104));
    }

    [Fact]
    public async Task TheValuesAtEachBound_AreAccepted_AndWhatWasNotGivenTakesItsDefault()
    {
        var atBounds = await CreateAsync(Body("Editor", tenant: "alpha", product: "p1", description: new string('d', 256), expires: TokensApi.MaxLifetimeSeconds));
        var shortest = await CreateAsync(Body("viewer", tenant: "alpha", expires: 1));
        var fromHeader = await CreateAsync(Body("viewer"), tenantHeader: "beta");
        var byDefault = await CreateAsync(Body("admin"));

        Assert.Equal((0, "SUCCESS"), ((int)atBounds["code"]!, (string?)atBounds["message"]));
        var token = atBounds["token"]!;
        Assert.Equal(("alpha", "p1", "editor", 256), ((string?)token["tenant"], (string?)token["product"], (string?)token["role"], ((string?)token["description"])!.Length));
        Assert.Equal(TimeSpan.FromSeconds(TokensApi.MaxLifetimeSeconds), DateTimeOffset.Parse((string)token["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.Parse((string)token["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(shortest["token"]!["expiresAt"]);
        Assert.Equal(("beta", ""), ((string?)fromHeader["token"]!["tenant"], (string?)fromHeader["token"]!["product"]));
        Assert.Equal(("default", ""), ((string?)byDefault["token"]!["tenant"], (string?)byDefault["token"]!["description"]));
    }

    [Fact]
    public async Task TheList_IsOldestFirst_AndARevokeSaysSuccess()
    {
        var first = (string)(await CreateAsync(Body("viewer", tenant: "alpha")))["token"]!["id"]!;
        var second = (string)(await CreateAsync(Body("viewer", tenant: "alpha")))["token"]!["id"]!;

        using var listed = await _admin.GetAsync(AuthSetup.TokensRoot, TestContext.Current.CancellationToken);
        var list = await Wire.OkAsync(listed);
        using var revoked = await _admin.DeleteAsync($"{AuthSetup.TokensRoot}/{first}", TestContext.Current.CancellationToken);
        var revoke = await Wire.OkAsync(revoked);

        Assert.Equal("SUCCESS", (string?)list["message"]);
        var ids = list["tokens"]!.AsArray().Select(t => (string)t!["id"]!).ToList();
        Assert.True(ids.IndexOf(first) < ids.IndexOf(second), string.Join(", ", ids));
        Assert.Equal((0, "SUCCESS"), ((int)revoke["code"]!, (string?)revoke["message"]));
    }

    [Theory]
    [InlineData("ABCDEF0123456789", "token id 'ABCDEF0123456789' is not 16 lower-case hex digits (yrmeta token list shows them)")]
    [InlineData("abcdef012345678", "token id 'abcdef012345678' is not 16 lower-case hex digits (yrmeta token list shows them)")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789", "token id '0123456789abcdef0123456789abcdef01234567' is not 16 lower-case hex digits (yrmeta token list shows them)")]
    public async Task AMalformedId_IsRefused_NamingItsFirst40Characters(string id, string message)
    {
        using var response = await _factory.Store.NothingWrittenAsync(() => _admin.DeleteAsync($"{AuthSetup.TokensRoot}/{id}", TestContext.Current.CancellationToken));

        Assert.Equal(message + Check, await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104));
    }

    [Fact]
    public async Task RevokingAnAbsentToken_SaysSo()
    {
        using var response = await _factory.Store.NothingWrittenAsync(() => _admin.DeleteAsync($"{AuthSetup.TokensRoot}/00000000000000ff", TestContext.Current.CancellationToken));

        Assert.Equal("token 00000000000000ff does not exist or is revoked", await Wire.AssertErrorAsync(response, HttpStatusCode.NotFound, 190404));
    }

    private static string Body(string role, string? tenant = null, string? product = null, string? description = null, long? expires = null)
    {
        var body = new JsonObject { ["role"] = role };
        if (tenant is not null)
        {
            body["tenant"] = tenant;
        }

        if (product is not null)
        {
            body["product"] = product;
        }

        if (description is not null)
        {
            body["description"] = description;
        }

        if (expires is { } seconds)
        {
            body["expiresInSeconds"] = seconds;
        }

        return body.ToJsonString();
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? tenantHeader = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, AuthSetup.TokensRoot) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (tenantHeader is not null)
        {
            request.Headers.Add("X-Tenant-Id", tenantHeader);
        }

        return _admin.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<JsonNode> CreateAsync(string body, string? tenantHeader = null)
    {
        using var response = await PostAsync(body, tenantHeader);
        return await Wire.OkAsync(response);
    }
}