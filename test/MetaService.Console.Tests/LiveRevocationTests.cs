using System.Text.RegularExpressions;

using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>An open list page's live stream checks the session's token as the API's watch checks its caller: revoked
/// through the API while the page is open, the stream ends (the page says so) and the next navigation asks to sign in.</summary>
public sealed class LiveRevocationTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task RevokingTheToken_EndsTheLiveStream_AndTheNextPageAsksToSignIn()
    {
        var server = browser.Server;
        var tenant = Fresh.Tenant();
        await server.CreateFunctionAsync(tenant, Bodies.Yrlib("0-ui-before"));
        var created = await server.SendAsync(HttpMethod.Post, "/serverless/v1/tokens", null,
            new() { ["tenant"] = tenant, ["role"] = "viewer", ["description"] = "revoked while the list is open" });
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, (string)created["token"]!["token"]!);
        await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("Live updates on");

        await server.SendAsync(HttpMethod.Delete, "/serverless/v1/tokens/" + (string)created["token"]!["id"]!, null, null);

        // The stream asks whether its token holds before it sends a change (at most once a second): write until it has
        // asked. Bounded: 100 writes.
        var status = page.Locator("#live-status");
        for (var i = 0; i < 100 && !(await status.TextContentAsync() ?? "").Contains("session has ended", StringComparison.Ordinal); i++)
        {
            await server.CreateFunctionAsync(tenant, Bodies.Yrlib($"0-ui-after{i:D2}"));
            await Assertions.Expect(status).ToContainTextAsync(new Regex($"0-ui-after{i:D2}/|session has ended"));
        }

        await Assertions.Expect(status).ToContainTextAsync("session has ended");
        await page.GetByRole(AriaRole.Link, new() { Name = "0-ui-before" }).ClickAsync();
        await Assertions.Expect(page.Locator("#token")).ToBeVisibleAsync();
    }
}