using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>With authentication off (mode <c>none</c>, loopback only) the console asks for no sign-in, as the API asks
/// for no credential, and anyone may pick the tenant.</summary>
public sealed class AuthOffTests(ConsoleBrowser browser) : IAsyncLifetime
{
    private ConsoleServer? _server;

    public async ValueTask InitializeAsync() => _server = await ConsoleServer.StartAsync(tokens: false, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Console_OpensWithoutSignIn_OnTheDefaultTenant()
    {
        await _server!.CreateFunctionAsync("default", Bodies.Yrlib("0-ui-open"));
        var page = await browser.NewPageAsync(_server);

        await page.GotoAsync("/ui");

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("default");
        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0-ui-open"]);
        await Assertions.Expect(page.Locator("#tenant-choice")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("form[action='/ui/signout']")).ToHaveCountAsync(0);
        await page.GotoAsync("/ui/signin");
        await Assertions.Expect(page).ToHaveURLAsync(_server.Url + "/ui");
    }
}