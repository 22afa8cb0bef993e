using System.Net;

using MetaService.Server.Ui;

namespace MetaService.Server.Tests.Ui;

/// <summary>The console with authentication off: nobody signs in (the sign-in page and form go straight on), anyone may
/// look at any tenant, and the request's own tenant headers are not what the pages read.</summary>
public sealed class ConsoleAuthOffTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task ThePages_AreServedWithoutSigningIn_ToNobodyInParticular()
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        var html = await ConsoleClient.TextAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("authentication is off</span>", html);
        Assert.Contains("of tenant default</span>", html);
        Assert.DoesNotContain("action=\"/ui/signout\"", html);
    }

    [Fact]
    public async Task ASessionCookieLeftFromAServerWithAuthentication_IsNeitherReadNorCleared()
    {
        using var client = ConsoleClient.WithCookies(_factory, (ConsoleGate.SessionCookie, "b.some-token-of-before"));

        using var response = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(ConsoleClient.SetCookie(response, ConsoleGate.SessionCookie));
        Assert.Contains("authentication is off</span>", await ConsoleClient.TextAsync(response));
    }

    [Fact]
    public async Task TheSignInPage_GoesStraightWhereItWasAsked()
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await client.GetAsync("/ui/signin?then=%2Fui%2Fhistory", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/history", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TheSignInForm_GoesOnWithoutACookie()
    {
        using var client = ConsoleClient.Create(_factory);
        var form = await ConsoleClient.FormTokenAsync(client, "/ui");

        using var response = await ConsoleClient.PostAsync(client, "/ui/signin", (ConsolePage.AntiforgeryField, form), ("then", "/ui/new"), ("token", "anything"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/new", response.Headers.Location!.OriginalString);
        Assert.Null(ConsoleClient.SetCookie(response, ConsoleGate.SessionCookie));
    }

    [Fact]
    public async Task AnyoneMayLookAtAnotherTenant_ButNotThroughTheApisHeaders()
    {
        using var chosen = ConsoleClient.WithCookies(_factory, (ConsoleGate.TenantCookie, "t-b"));
        using var headers = ConsoleClient.Create(_factory);
        headers.DefaultRequestHeaders.Add("X-Tenant-Id", "t-c");

        using var byCookie = await chosen.GetAsync("/ui", TestContext.Current.CancellationToken);
        using var byHeader = await headers.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Contains("of tenant t-b</span>", await ConsoleClient.TextAsync(byCookie));
        Assert.Contains("of tenant default</span>", await ConsoleClient.TextAsync(byHeader));
    }

    [Fact]
    public async Task SwitchingTenant_SetsTheCookie()
    {
        using var client = ConsoleClient.Create(_factory);
        var form = await ConsoleClient.FormTokenAsync(client, "/ui");

        using var response = await ConsoleClient.PostAsync(client, "/ui/tenant", (ConsolePage.AntiforgeryField, form), ("tenant", "t-d"));
        using var page = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("of tenant t-d</span>", await ConsoleClient.TextAsync(page));
    }
}