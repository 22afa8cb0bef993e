using System.Diagnostics;

using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>An open functions page follows writes made by another client (the HTTP API, and yrmeta as its own process):
/// a new function appears, a changed one is updated, a deleted one disappears, without the page being loaded again.</summary>
public sealed class LiveRowsTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task WritesThroughTheApi_ChangeTheRowsOfAnOpenListPage_WithoutAReload()
    {
        var server = browser.Server;
        var tenant = Fresh.Tenant();
        await server.CreateFunctionAsync(tenant, Bodies.Yrlib("0-ui-kept"));
        var changing = Bodies.Yrlib("0-ui-changed");
        var revision = await server.CreateFunctionAsync(tenant, changing);
        await server.CreateFunctionAsync(tenant, Bodies.Yrlib("0-ui-deleted"));
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await server.CreateTokenAsync(tenant, "viewer"));
        await Assertions.Expect(page.Locator("#functions tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("Live updates on");
        // Gone if the page were loaded again.
        await page.EvaluateAsync("window.loadedOnce = true");

        await server.CreateFunctionAsync(tenant, Bodies.Yrlib("0-ui-added"));
        changing.Remove("name");
        changing["revisionId"] = revision;
        changing["memory"] = 1024;
        await server.UpdateFunctionAsync(tenant, "0-ui-changed", changing);
        await server.SendAsync(HttpMethod.Delete, "/serverless/v1/functions/0-ui-deleted", tenant, null);

        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0-ui-added", "0-ui-changed", "0-ui-kept"]);
        await Assertions.Expect(page.Locator("tr[data-key='0-ui-changed/$latest'] [data-field=memory]")).ToHaveTextAsync("1024");
        await Assertions.Expect(page.Locator("tr[data-key='0-ui-added/$latest'] a")).ToHaveAttributeAsync("href", "/ui/functions/0-ui-added");
        Assert.True(await page.EvaluateAsync<bool>("window.loadedOnce === true"), "the page was loaded again");
    }

    [Fact]
    public async Task AFunctionDeployedWithYrmeta_AppearsOnAnOpenListPage_WithoutAReload()
    {
        var server = browser.Server;
        var tenant = Fresh.Tenant();
        await server.CreateFunctionAsync(tenant, Bodies.Yrlib("0-ui-first"));
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await server.CreateTokenAsync(tenant, "viewer"));
        await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("Live updates on");
        await page.EvaluateAsync("window.loadedOnce = true");
        var spec = Path.Combine(server.DataDirectory, $"spec-{tenant}.json");
        await File.WriteAllTextAsync(spec, Bodies.Yrlib("0-ui-from-yrmeta").ToJsonString(), TestContext.Current.CancellationToken);

        var (code, output) = await Yrmeta.RunAsync("function", "deploy", "-f", spec, "--server", server.Url, "--token", server.AdminToken!, "--tenant", tenant);
        var deployed = Stopwatch.StartNew();

        Assert.True(code == 0, $"yrmeta answered {code}: {output}");
        Assert.Contains("created 0-ui-from-yrmeta", output, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0-ui-first", "0-ui-from-yrmeta"]);
        // The issue asks for 2 s; how long it took is reported, not asserted (tests assert behaviour, benchmarks speed).
        TestContext.Current.TestOutputHelper?.WriteLine($"the row appeared {deployed.ElapsedMilliseconds} ms after yrmeta exited");
        Assert.True(await page.EvaluateAsync<bool>("window.loadedOnce === true"), "the page was loaded again");
    }

    [Fact]
    public async Task AnotherTenantsWrite_DoesNotReachThePage()
    {
        var server = browser.Server;
        var tenant = Fresh.Tenant();
        await server.CreateFunctionAsync(tenant, Bodies.Yrlib("0-ui-mine"));
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await server.CreateTokenAsync(tenant, "viewer"));
        await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("Live updates on");

        await server.CreateFunctionAsync(Fresh.Tenant(), Bodies.Yrlib("0-ui-theirs"));
        await server.CreateFunctionAsync(tenant, Bodies.Yrlib("0-ui-mine2"));

        // The page's own tenant's later write arrives, so the other tenant's earlier one would have too.
        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0-ui-mine", "0-ui-mine2"]);
    }
}