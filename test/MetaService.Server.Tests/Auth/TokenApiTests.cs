using System.Net;
using System.Text;

using MetaService.Server.Tokens;

namespace MetaService.Server.Tests.Auth;

/// <summary>The token routes: the token is shown once and stored only as its hash; bad input is refused and writes
/// nothing; a revoked or expired token is refused; the bootstrap file is made private.</summary>
public sealed class TokenApiTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private string _admin = "";

    public async ValueTask InitializeAsync() => _admin = await AuthSetup.AdminTokenAsync(_factory);

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void BootstrapFile_IsReadableByItsOwnerOnly()
    {
        var mode = File.GetUnixFileMode(AuthSetup.BootstrapFile(_factory));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.StartsWith(TokenRecord.TokenStart, _admin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ShowsTheTokenOnce_AndStoresOnlyItsHash()
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);

        var (id, token) = await AuthSetup.CreateTokenAsync(admin, "alpha", "editor", expiresInSeconds: 3600);
        using var listed = await admin.GetAsync(AuthSetup.TokensRoot, TestContext.Current.CancellationToken);
        var list = await Wire.OkAsync(listed);
        var stored = await _factory.Store.GetAsync(TokenRecord.KeyOf(id), TestContext.Current.CancellationToken);

        Assert.NotNull(stored);
        Assert.DoesNotContain(token, Encoding.UTF8.GetString(stored.Value), StringComparison.Ordinal);
        Assert.Contains(TokenRecord.HashOf(token), Encoding.UTF8.GetString(stored.Value), StringComparison.Ordinal);
        Assert.DoesNotContain(token, list.ToJsonString(), StringComparison.Ordinal);
        var row = Assert.Single(list["tokens"]!.AsArray(), t => (string?)t!["id"] == id)!;
        Assert.Equal("alpha", (string?)row["tenant"]);
        Assert.Equal("editor", (string?)row["role"]);
        Assert.NotNull(row["expiresAt"]);
        Assert.Null(row["token"]);
    }

    [Theory]
    [InlineData("""{"role":"root"}""")]
    [InlineData("""{"role":"editor","tenant":"a/b"}""")]
    [InlineData("""{"role":"editor","expiresInSeconds":0}""")]
    [InlineData("""{"role":"editor","expiresInSeconds":"soon"}""")]
    [InlineData("""{"tenant":"alpha"}""")]
    [InlineData("not json")]
    public async Task BadInput_IsRefusedWithCodeAndMessage_AndWritesNothing(string body)
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(() =>
            admin.PostAsync(AuthSetup.TokensRoot, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Wire.JsonAsync(response);
        Assert.NotEqual(0, (int)error["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
    }

    [Fact]
    public async Task Revoked_IsRefused_AndRevokingAgainIsNotFound()
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);
        var (id, token) = await AuthSetup.CreateTokenAsync(admin, "alpha", "viewer");
        using var viewer = AuthSetup.Bearer(_factory, token);
        using (var before = await viewer.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken))
        {
            await Wire.OkAsync(before);
        }

        await AuthSetup.RevokeAsync(admin, id);
        using var after = await viewer.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);
        using var again = await _factory.Store.NothingWrittenAsync(() => admin.DeleteAsync($"{AuthSetup.TokensRoot}/{id}", TestContext.Current.CancellationToken));

        Assert.Contains("unknown or revoked", await Wire.AssertErrorAsync(after, HttpStatusCode.Unauthorized, 190401), StringComparison.Ordinal);
        Assert.Equal("Bearer realm=\"metaservice\", X-Auth realm=\"metaservice\"", after.Headers.WwwAuthenticate.ToString());
        await Wire.AssertErrorAsync(again, HttpStatusCode.NotFound, 190404);
    }

    [Fact]
    public async Task Expired_IsRefused()
    {
        var token = TokenRecord.NewToken();
        await StoredTokens.PutAsync(_factory.Store, StoredTokens.Of(token, "alpha", MetaService.Server.Auth.Role.Admin, DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(-1)));
        using var client = AuthSetup.Bearer(_factory, token);

        using var response = await client.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        Assert.Contains("expired", await Wire.AssertErrorAsync(response, HttpStatusCode.Unauthorized, 190401), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditor_WritesItsOwnTenant_WithoutATenantHeader()
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);
        var (_, token) = await AuthSetup.CreateTokenAsync(admin, "alpha", "editor");
        using var editor = new Api(AuthSetup.Bearer(_factory, token));
        var name = Names.Yrlib();

        var created = await editor.CreateOkAsync(Bodies.Yrlib(name));
        var updated = await editor.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!).With("description", "\"two\""));
        using var deleted = await editor.DeleteAsync(name);

        Assert.Equal($"sn:cn:yrk:alpha:function:{name}", (string?)created["functionUrn"]);
        Assert.Equal("two", (string?)updated["description"]);
        await Wire.OkAsync(deleted);
    }
}