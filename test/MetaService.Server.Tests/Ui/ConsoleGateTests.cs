using System.Net;

using MetaService.Server.Ui;

namespace MetaService.Server.Tests.Ui;

/// <summary>The console's gate with authentication on (modes token and openyuanrong), over HTTP without a browser: where
/// a request that is not signed in goes, which cookie signs it in (and that the API's credential headers do not), a
/// cookie that no longer proves anyone, the tenant each caller looks at, and the headers on every console answer.</summary>
public sealed class ConsoleGateTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private string _admin = "";

    public async ValueTask InitializeAsync() => _admin = await AuthSetup.AdminTokenAsync(_factory);

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("/ui")]
    [InlineData("/ui/functions/fn-a?x=1&y=b%20c")]
    [InlineData("/ui/signinx")]
    [InlineData("/ui/assetsx/console.css")]
    [InlineData("/ui/history")]
    public async Task APageNotSignedIn_IsSentToSignIn_ToComeBackToIt(string path)
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/ui/signin?then=" + Uri.EscapeDataString(path), response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AFormPostedNotSignedIn_IsSentToSignIn_ThenToTheFunctions()
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await ConsoleClient.PostAsync(client, "/ui/functions/fn-a/edit?x=1", ("memory", "256"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/ui/signin?then=%2Fui", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task LiveRowsNotSignedIn_Are204_WhichEndsAnEventSource()
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await client.GetAsync("/ui/live?x=1", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("/ui/signin")]
    [InlineData("/ui/assets/console.css")]
    [InlineData("/ui/assets/console.js")]
    public async Task TheSignInPageAndTheAssets_AreServedToAnyone(string path)
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheApiCredentialHeaders_DoNotSignTheConsoleIn()
    {
        using var client = ConsoleClient.Create(_factory);
        client.DefaultRequestHeaders.Authorization = new("Bearer", _admin);
        client.DefaultRequestHeaders.Add("X-Auth", AuthSetup.Developer("t1"));

        using var response = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    [Fact]
    public async Task ACookieOfAnApiToken_InBearerForm_SignsIn()
    {
        var (_, editor) = await CreateTokenAsync("t1", "editor");
        using var client = ConsoleClient.WithCookies(_factory, (ConsoleGate.SessionCookie, "b." + editor));

        using var response = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("of tenant t1</span>", await ConsoleClient.TextAsync(response));
        Assert.Null(ConsoleClient.SetCookie(response, ConsoleGate.SessionCookie));
    }

    [Fact]
    public async Task ACookieOfAnOpenYuanrongToken_InXAuthForm_SignsIn()
    {
        using var client = ConsoleClient.WithCookies(_factory, (ConsoleGate.SessionCookie, "x." + AuthSetup.Developer("t2")));

        using var response = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("of tenant t2</span>", await ConsoleClient.TextAsync(response));
    }

    [Theory]
    [InlineData("b.yr")]
    [InlineData("x.api")]
    [InlineData("z.api")]
    [InlineData("api")]
    public async Task ACookieThatProvesNobody_IsCleared_AndThePageSentToSignIn(string form)
    {
        var (_, editor) = await CreateTokenAsync("t1", "editor");
        var token = form.EndsWith("yr", StringComparison.Ordinal) ? AuthSetup.Developer("t1") : editor;
        var cookie = form.Contains('.', StringComparison.Ordinal) ? form[..2] + token : token;
        using var client = ConsoleClient.WithCookies(_factory, (ConsoleGate.SessionCookie, cookie));

        using var response = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        AssertCleared(response, ConsoleGate.SessionCookie);
    }

    [Fact]
    public async Task ARevokedToken_SignsTheConsoleOut_AtItsNextRequest()
    {
        var (id, editor) = await CreateTokenAsync("t1", "editor");
        using var client = ConsoleClient.WithCookies(_factory, (ConsoleGate.SessionCookie, "b." + editor));
        using var before = await client.GetAsync("/ui", TestContext.Current.CancellationToken);
        using (var admin = AuthSetup.Bearer(_factory, _admin))
        {
            await AuthSetup.RevokeAsync(admin, id);
        }

        using var after = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, after.StatusCode);
        AssertCleared(after, ConsoleGate.SessionCookie);
    }

    [Fact]
    public async Task AnAdmin_LooksAtTheTenantItsCookieNames_AndIsOfferedTheTenantsThatHaveFunctions()
    {
        var name = await CreateFunctionAsync("t-b");
        foreach (var tenant in new[] { "t-e", "t-a-b", "t-d", "t-a", "t-c" })
        {
            await CreateFunctionAsync(tenant);
        }

        var (_, admin) = await CreateTokenAsync("t-own", "admin");
        using var client = ConsoleClient.WithCookies(_factory, (ConsoleGate.SessionCookie, "b." + admin), (ConsoleGate.TenantCookie, "t-b"));

        using var response = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        var html = await ConsoleClient.TextAsync(response);
        Assert.Contains("of tenant t-b</span>", html);
        Assert.Contains(">" + name + "</a>", html);
        // In the order of their names (the catalog holds them in no order), whatever their keys' order.
        Assert.Equal(
            """<optionvalue="t-a"></option><optionvalue="t-a-b"></option><optionvalue="t-b"></option><optionvalue="t-c"></option><optionvalue="t-d"></option><optionvalue="t-e"></option>""",
            TenantChoices(html));
    }

    [Theory]
    [InlineData("a@b")]
    [InlineData("")]
    public async Task AnAdmin_WithATenantCookieTheApiWouldRefuse_LooksAtItsOwnTenant(string chosen)
    {
        var (_, admin) = await CreateTokenAsync("t-own", "admin");
        using var client = ConsoleClient.WithCookies(_factory, (ConsoleGate.SessionCookie, "b." + admin), (ConsoleGate.TenantCookie, chosen));

        using var response = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("of tenant t-own</span>", await ConsoleClient.TextAsync(response));
    }

    [Fact]
    public async Task AnEditor_LooksAtItsOwnTenant_WhateverItsCookieOrHeadersName_AndIsOfferedNoOther()
    {
        var other = await CreateFunctionAsync("t-b");
        var own = await CreateFunctionAsync("t1");
        var (_, editor) = await CreateTokenAsync("t1", "editor");
        using var client = ConsoleClient.WithCookies(_factory, (ConsoleGate.SessionCookie, "b." + editor), (ConsoleGate.TenantCookie, "t-b"));
        client.DefaultRequestHeaders.Add("X-Tenant-Id", "t-b");

        using var response = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        var html = await ConsoleClient.TextAsync(response);
        Assert.Contains("of tenant t1</span>", html);
        Assert.Contains("Tenant <strong>t1</strong>", html);
        Assert.Contains(">" + own + "</a>", html);
        Assert.DoesNotContain(other, html);
        Assert.DoesNotContain("tenant-list", html);
    }

    [Theory]
    [InlineData("/ui/signin", HttpStatusCode.OK)]
    [InlineData("/ui", HttpStatusCode.SeeOther)]
    [InlineData("/ui/live", HttpStatusCode.NoContent)]
    public async Task EveryConsoleAnswer_RunsNothingButTheServersOwnAssets_AndIsNeitherFramedNorCached(string path, HttpStatusCode status)
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        AssertPolicy(response);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task AnAsset_HasTheSamePolicy_ButMayBeCached()
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await client.GetAsync("/ui/assets/console.css", TestContext.Current.CancellationToken);

        AssertPolicy(response);
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task AnApiAnswer_HasNoneOfTheConsolesHeaders()
    {
        using var client = AuthSetup.Bearer(_factory, _admin);

        using var response = await client.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.False(response.Headers.Contains("Referrer-Policy"));
    }

    internal static void AssertCleared(HttpResponseMessage response, string cookie)
    {
        var set = ConsoleClient.SetCookie(response, cookie);
        Assert.NotNull(set);
        Assert.StartsWith(cookie + "=;", set);
        Assert.Contains("expires=Thu, 01 Jan 1970 00:00:00 GMT", set);
        Assert.Contains("path=/ui;", set + ";");
    }

    /// <summary>The options of the tenant field's list, without blanks.</summary>
    private static string TenantChoices(string html)
    {
        const string Start = "<datalist id=\"tenant-list\">";
        var list = html[(html.IndexOf(Start, StringComparison.Ordinal) + Start.Length)..];
        return string.Concat(list[..list.IndexOf("</datalist>", StringComparison.Ordinal)].Where(c => !char.IsWhiteSpace(c)));
    }

    private static void AssertPolicy(HttpResponseMessage response)
    {
        Assert.Equal(
            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
    }

    private async Task<(string Id, string Token)> CreateTokenAsync(string tenant, string role)
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);
        return await AuthSetup.CreateTokenAsync(admin, tenant, role);
    }

    /// <summary>Creates a function in <paramref name="tenant"/>; returns its name as the console lists it.</summary>
    private async Task<string> CreateFunctionAsync(string tenant)
    {
        var name = Names.Yrlib();
        using var api = new Api(AuthSetup.Bearer(_factory, _admin, tenant));
        await api.CreateOkAsync(Bodies.Yrlib(name));
        return name;
    }
}