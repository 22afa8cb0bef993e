using System.Net;
using System.Text.RegularExpressions;

using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>Signing in with the API's own tokens: the cookie the console keeps, a wrong token refused, a revoked one
/// signing the console out, sign-out, and the API never taking the console's cookie.</summary>
public sealed class SignInTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task Console_AsksForAToken_ThenOpensTheFunctions_AndSignOutEndsTheSession()
    {
        var tenant = Fresh.Tenant();
        var token = await browser.Server.CreateTokenAsync(tenant, "editor");
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/ui");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ui/signin\\?then=%2Fui$"));
        await Assertions.Expect(page.Locator("label[for=token]")).ToHaveTextAsync("Token");
        await ConsoleBrowser.ScreenshotAsync(page, "signin");
        await ConsoleBrowser.SignInAsync(page, token);

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(tenant);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "metaservice-ui");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/ui", cookie.Path);

        await page.Locator("form[action='/ui/signout'] button").ClickAsync();
        await Assertions.Expect(page.Locator("#token")).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "metaservice-ui");
        await page.GotoAsync("/ui");
        await Assertions.Expect(page.Locator("#token")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WrongToken_IsRefusedWithTheReason_AndSignsNobodyIn()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/ui/signin");
        await page.Locator("#token").FillAsync("yrm_" + new string('x', 43));

        var answer = await page.RunAndWaitForResponseAsync(
            () => page.Locator("form[action='/ui/signin'] button[type=submit]").ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/ui/signin", StringComparison.Ordinal));

        Assert.Equal((int)HttpStatusCode.Unauthorized, answer.Status);
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("unknown or revoked");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "metaservice-ui");
        await page.GotoAsync("/ui");
        await Assertions.Expect(page.Locator("#token")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task RevokedToken_SignsTheConsoleOut_AtItsNextPage()
    {
        var tenant = Fresh.Tenant();
        var created = await browser.Server.SendAsync(HttpMethod.Post, "/serverless/v1/tokens", null,
            new() { ["tenant"] = tenant, ["role"] = "viewer", ["description"] = "revoked by the console test" });
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, (string)created["token"]!["token"]!);

        await browser.Server.SendAsync(HttpMethod.Delete, "/serverless/v1/tokens/" + (string)created["token"]!["id"]!, null, null);
        await page.ReloadAsync();

        await Assertions.Expect(page.Locator("#token")).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "metaservice-ui");
    }

    [Fact]
    public async Task ConsoleCookie_IsNotACredentialOfTheApi()
    {
        var token = await browser.Server.CreateTokenAsync(Fresh.Tenant(), "editor");
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, token);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "metaservice-ui");
        using var http = new HttpClient { BaseAddress = browser.Server.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/serverless/v1/functions");
        request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotNull(response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme == "Bearer"));
    }
}