using System.Net;
using System.Text;

using MetaService.Server.Auth;
using MetaService.Server.Ui;

namespace MetaService.Server.Tests.Ui;

/// <summary>The console's forms with authentication on, over HTTP without a browser: sign in (the cookie and its
/// attributes, each refusal, where it goes next), sign out, the tenant switch, the antiforgery check before all of them,
/// and the keys that seal the forms, kept in the store so that a replica takes a form another one rendered.</summary>
public sealed class ConsoleSessionTests : IAsyncLifetime
{
    private const string GiveTheToken = "give the token (an API token, or a JWT or openYuanrong token when the server takes them)";

    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private string _admin = "";

    public async ValueTask InitializeAsync() => _admin = await AuthSetup.AdminTokenAsync(_factory);

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task SigningInWithAnApiToken_KeepsItInACookieOfTheConsoleOnly_AndGoesWhereTheFormSaid()
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await ConsoleClient.SignInAsync(client, _admin, then: "/ui/history?name=a");
        using var page = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/history?name=a", response.Headers.Location!.OriginalString);
        Assert.Equal(
            ["httponly", "metaservice-ui=" + Uri.EscapeDataString("b." + _admin), "path=/ui", "samesite=strict"],
            Attributes(ConsoleClient.SetCookie(response, ConsoleGate.SessionCookie)));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task OverHttps_TheCookiesAreSecure()
    {
        using var client = ConsoleClient.Create(_factory, "https://localhost");

        using var signedIn = await ConsoleClient.SignInAsync(client, _admin);
        var form = await ConsoleClient.FormTokenAsync(client, "/ui");
        using var switched = await ConsoleClient.PostAsync(client, "/ui/tenant", (ConsolePage.AntiforgeryField, form), ("tenant", "t2"));

        Assert.Contains("secure", Attributes(ConsoleClient.SetCookie(signedIn, ConsoleGate.SessionCookie)));
        Assert.Contains("secure", Attributes(ConsoleClient.SetCookie(switched, ConsoleGate.TenantCookie)));
    }

    [Fact]
    public async Task SigningInWithAnOpenYuanrongToken_KeepsItInXAuthForm()
    {
        var token = AuthSetup.Developer("t3");
        using var client = ConsoleClient.Create(_factory);

        using var response = await ConsoleClient.SignInAsync(client, "  " + token + " ");
        using var page = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("metaservice-ui=" + Uri.EscapeDataString("x." + token) + ";", ConsoleClient.SetCookie(response, ConsoleGate.SessionCookie));
        Assert.Contains("of tenant t3</span>", await ConsoleClient.TextAsync(page));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("4001")]
    public async Task NoTokenOrOneTooLong_Is401_AskingForTheToken(string token)
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await ConsoleClient.SignInAsync(client, token == "4001" ? new string('a', 4001) : token);

        await AssertRefusedAsync(response, GiveTheToken);
    }

    [Fact]
    public async Task ATokenOfTheLongestLength_IsProved_AndRefusedForWhatItIs()
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await ConsoleClient.SignInAsync(client, new string('a', ConsoleSession.MaxTokenLength));

        var html = await ConsoleClient.TextAsync(response);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("The token was refused: ", html);
        Assert.DoesNotContain(GiveTheToken, html);
    }

    [Fact]
    public async Task AnUnknownApiToken_Is401_SayingWhy_AndSetsNoCookie()
    {
        var (id, token) = await CreateTokenAsync("t1", "editor");
        using (var admin = AuthSetup.Bearer(_factory, _admin))
        {
            await AuthSetup.RevokeAsync(admin, id);
        }

        using var client = ConsoleClient.Create(_factory);
        using var response = await ConsoleClient.SignInAsync(client, token, then: "/ui/history");

        var html = await AssertRefusedAsync(response, "the bearer token is unknown or revoked");
        Assert.Contains("""name="then" value="/ui/history" />""", html);
    }

    [Theory]
    [InlineData("//evil.example/ui", "/ui")]
    [InlineData("https://evil.example/ui", "/ui")]
    [InlineData("/ui/functions/a", "/ui/functions/a")]
    public async Task AfterSigningIn_TheConsoleGoesOnlyToItsOwnPages(string then, string location)
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await ConsoleClient.SignInAsync(client, _admin, then);

        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TheSignInPage_OfAConsoleSignedInAlready_GoesWhereItWasAsked()
    {
        using var client = ConsoleClient.Create(_factory);
        using var signedIn = await ConsoleClient.SignInAsync(client, _admin);

        using var response = await client.GetAsync("/ui/signin?then=%2Fui%2Fhistory", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/history", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/ui/signin")]
    [InlineData("/ui/signout")]
    [InlineData("/ui/tenant")]
    public async Task AFormWithoutAValidFormToken_Is400_AndChangesNothing(string path)
    {
        using var client = ConsoleClient.Create(_factory);
        using var signedIn = await ConsoleClient.SignInAsync(client, _admin);
        await ConsoleClient.FormTokenAsync(client, "/ui");

        using var missing = await ConsoleClient.PostAsync(client, path, ("token", _admin), ("tenant", "t2"));
        using var stale = await ConsoleClient.PostAsync(client, path, (ConsolePage.AntiforgeryField, "CfDJ8-not-a-token"), ("token", _admin), ("tenant", "t2"));
        using var json = await client.PostAsync(path, new StringContent("""{"token":"x"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        foreach (var response in new[] { missing, stale, json })
        {
            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            Assert.Equal(
                "the form is missing or stale (no valid antiforgery token): reload the page and send it again",
                await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 400));
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
    }

    [Fact]
    public async Task AFormWhoseBodyIsNotWhatItsTypeSays_Is400_NotAServerError()
    {
        using var client = ConsoleClient.Create(_factory);
        await ConsoleClient.FormTokenAsync(client);
        using var body = new StringContent("not a multipart body", System.Text.Encoding.UTF8);
        body.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=zzz");

        using var response = await client.PostAsync("/ui/signin", body, TestContext.Current.CancellationToken);

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 400);
    }

    [Fact]
    public async Task AFormOver64KiB_Is400_ThoughItsTokenIsValid()
    {
        using var client = ConsoleClient.Create(_factory);
        var form = await ConsoleClient.FormTokenAsync(client);

        using var large = await ConsoleClient.PostAsync(client, "/ui/signin", (ConsolePage.AntiforgeryField, form), ("token", _admin), ("pad", new string('p', 64 * 1024)));
        using var small = await ConsoleClient.PostAsync(client, "/ui/signin", (ConsolePage.AntiforgeryField, form), ("token", _admin), ("pad", new string('p', 60 * 1024)));

        await Wire.AssertErrorAsync(large, HttpStatusCode.BadRequest, 400);
        Assert.Equal(HttpStatusCode.Redirect, small.StatusCode);
    }

    [Fact]
    public async Task SigningOut_ClearsBothCookies_AndGoesToTheSignInPage()
    {
        using var client = ConsoleClient.Create(_factory);
        using var signedIn = await ConsoleClient.SignInAsync(client, _admin);
        var form = await ConsoleClient.FormTokenAsync(client, "/ui");

        using var response = await ConsoleClient.PostAsync(client, "/ui/signout", (ConsolePage.AntiforgeryField, form));
        using var page = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/signin", response.Headers.Location!.OriginalString);
        ConsoleGateTests.AssertCleared(response, ConsoleGate.SessionCookie);
        ConsoleGateTests.AssertCleared(response, ConsoleGate.TenantCookie);
        Assert.Equal(HttpStatusCode.SeeOther, page.StatusCode);
    }

    [Fact]
    public async Task AnAdmin_SwitchesTenant_WithACookieOfTheConsoleOnly()
    {
        using var client = ConsoleClient.Create(_factory);
        using var signedIn = await ConsoleClient.SignInAsync(client, _admin);
        var form = await ConsoleClient.FormTokenAsync(client, "/ui");

        using var response = await ConsoleClient.PostAsync(client, "/ui/tenant", (ConsolePage.AntiforgeryField, form), ("tenant", " t2 "));
        using var page = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui", response.Headers.Location!.OriginalString);
        Assert.Equal(["httponly", "metaservice-ui-tenant=t2", "path=/ui", "samesite=strict"], Attributes(ConsoleClient.SetCookie(response, ConsoleGate.TenantCookie)));
        Assert.Contains("of tenant t2</span>", await ConsoleClient.TextAsync(page));
    }

    [Theory]
    [InlineData("a@b")]
    [InlineData("a b")]
    [InlineData("a/b")]
    public async Task ATenantTheApiWouldRefuse_Is400WithTheApisMessage_AndSetsNoCookie(string tenant)
    {
        using var client = ConsoleClient.Create(_factory);
        using var signedIn = await ConsoleClient.SignInAsync(client, _admin);
        var form = await ConsoleClient.FormTokenAsync(client, "/ui");

        using var response = await ConsoleClient.PostAsync(client, "/ui/tenant", (ConsolePage.AntiforgeryField, form), ("tenant", tenant));

        Assert.Equal(
            "X-Tenant-Id must be 1 to 128 characters without '/', ':', '@', blanks or control characters. check input parameters",
            await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104));
        Assert.Null(ConsoleClient.SetCookie(response, ConsoleGate.TenantCookie));
    }

    [Fact]
    public async Task AnEditor_MayNotSwitchTenant()
    {
        var (_, editor) = await CreateTokenAsync("t1", "editor");
        using var client = ConsoleClient.Create(_factory);
        using var signedIn = await ConsoleClient.SignInAsync(client, editor);
        var form = await ConsoleClient.FormTokenAsync(client, "/ui");

        using var response = await ConsoleClient.PostAsync(client, "/ui/tenant", (ConsolePage.AntiforgeryField, form), ("tenant", "t2"));

        Assert.Equal("only an admin may look at another tenant", await Wire.AssertErrorAsync(response, HttpStatusCode.Forbidden, AuthGate.ForbiddenCode));
        Assert.Null(ConsoleClient.SetCookie(response, ConsoleGate.TenantCookie));
    }

    [Fact]
    public async Task TheKeysThatSealTheForms_AreInTheStore_SoAReplicaTakesAFormAnotherRendered()
    {
        using var first = ConsoleClient.Create(_factory);
        using var page = await first.GetAsync("/ui/signin", TestContext.Current.CancellationToken);
        var html = await ConsoleClient.TextAsync(page);
        var antiforgery = ConsoleClient.SetCookie(page, "metaservice-ui-antiforgery")!.Split(';')[0].Split('=', 2)[1];
        var form = ConsoleClient.FormToken(html);
        var keys = await _factory.Store.RangeAsync(StoreKeyRing.Prefix, cancellationToken: TestContext.Current.CancellationToken);
        await using var replica = MetaServiceFactory.ReplicaOf(_factory);
        using var second = ConsoleClient.WithCookies(replica, ("metaservice-ui-antiforgery", Uri.UnescapeDataString(antiforgery)));

        using var response = await ConsoleClient.PostAsync(second, "/ui/signin", (ConsolePage.AntiforgeryField, form), ("token", _admin));

        Assert.StartsWith("<key id=", Encoding.UTF8.GetString(Assert.Single(keys.Items).Value));
        Assert.StartsWith(StoreKeyRing.Prefix + "key-", keys.Items[0].Key);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<string> AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        var html = await ConsoleClient.TextAsync(response);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("The token was refused: " + WebUtility.HtmlEncode(reason) + "</p>", html);
        Assert.Null(ConsoleClient.SetCookie(response, ConsoleGate.SessionCookie));
        return html;
    }

    private static string[] Attributes(string? setCookie)
    {
        Assert.NotNull(setCookie);
        return [.. setCookie.Split(';', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }

    private async Task<(string Id, string Token)> CreateTokenAsync(string tenant, string role)
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);
        return await AuthSetup.CreateTokenAsync(admin, tenant, role);
    }
}