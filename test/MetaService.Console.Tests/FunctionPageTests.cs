using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>A function's page: its configuration in groups with environment values masked (revealed on request to an
/// editor only), its versions, an alias's weights drawn as bars; a viewer sees no edit control.</summary>
public sealed class FunctionPageTests(ConsoleBrowser browser)
{
    private const string Secret = "hunter2-secret";

    [Fact]
    public async Task FunctionPage_GroupsTheConfiguration_MasksEnvironmentValues_AndDrawsAliasWeights()
    {
        var (tenant, name) = await ConsoleFixtures.PublishedFunctionAsync(browser.Server, Secret);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "editor"));

        await page.GotoAsync("/ui/functions/" + Uri.EscapeDataString(name));

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 }))
            .ToHaveTextAsync(["Code", "Resources", "Instances", "Hooks", "Environment", "Versions", "Aliases", "Reserved instances"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Code" })).ToContainTextAsync("handler.handler");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Resources" })).ToContainTextAsync("300 m");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Hooks" })).ToContainTextAsync("handler.init");
        var environment = page.GetByRole(AriaRole.Region, new() { Name = "Environment" });
        await Assertions.Expect(environment.Locator("tbody tr")).ToHaveTextAsync(["DB_PASSWORD******", "MODE******"]);
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Versions" }).Locator("tbody th")).ToHaveTextAsync(["latest", "v1", "v2"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "v1: 70 percent" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "v2: 30 percent" })).ToHaveCountAsync(1);
        await ConsoleBrowser.ScreenshotAsync(page, "function");

        await page.GetByRole(AriaRole.Link, new() { Name = "Reveal values" }).ClickAsync();

        await Assertions.Expect(environment.Locator("tbody tr")).ToHaveTextAsync(["DB_PASSWORD" + Secret, "MODEfast"]);
    }

    [Fact]
    public async Task Viewer_SeesNoEditControl_AndCannotRevealValues()
    {
        var (tenant, name) = await ConsoleFixtures.PublishedFunctionAsync(browser.Server, Secret);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));

        await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}?reveal=environment");

        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Environment" }).Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-edit]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Reveal values" })).ToHaveCountAsync(0);
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFunction_IsANotFoundPage()
    {
        var tenant = Fresh.Tenant();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));

        var answer = await page.GotoAsync("/ui/functions/0-ui-absent");

        Assert.Equal(404, answer!.Status);
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("not found");
    }
}