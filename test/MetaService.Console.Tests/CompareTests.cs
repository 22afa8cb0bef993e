using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>Compare: two versions side by side through the pickers, the differing field marked with both values; a side
/// that names nothing is a message, not an error.</summary>
public sealed class CompareTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task ComparingTwoVersions_MarksTheDifferingField_WithBothValues()
    {
        var (tenant, name) = await TwoVersionsAsync();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));
        await page.GotoAsync("/ui/functions/" + Uri.EscapeDataString(name));
        await page.Locator("p.links").GetByRole(AriaRole.Link, new() { Name = "Compare" }).ClickAsync();

        await page.GetByLabel("From (A)").SelectOptionAsync("v1");
        await page.GetByLabel("To (B)").SelectOptionAsync("v2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();

        var memory = page.Locator("#comparison tr[data-path=memory]");
        await Assertions.Expect(memory).ToHaveClassAsync("differs");
        await Assertions.Expect(memory.Locator("td")).ToHaveTextAsync(["512", "2048"]);
        await Assertions.Expect(page.Locator("#comparison tr[data-path=cpu]")).Not.ToHaveClassAsync("differs");
        await Assertions.Expect(page.Locator("#comparison tr[data-path=cpu] td")).ToHaveTextAsync(["600", "600"]);
        await Assertions.Expect(page.Locator("#compare-summary")).ToContainTextAsync("between v1 and v2");
        await ConsoleBrowser.ScreenshotAsync(page, "compare");

        await page.GetByRole(AriaRole.Link, new() { Name = "Show only the differences" }).ClickAsync();
        await Assertions.Expect(page.Locator("#comparison tbody tr:not(.differs)")).ToHaveCountAsync(0);
        await Assertions.Expect(memory).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ComparingAHistoryEntryWithTheDraft_ShowsWhatChangedSince()
    {
        var (tenant, name) = await TwoVersionsAsync();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));
        await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}/compare");
        var from = page.GetByLabel("From (A)");
        var created = await from.Locator("option", new() { HasText = "create" }).GetAttributeAsync("value");
        Assert.StartsWith("@", created, StringComparison.Ordinal);

        await from.SelectOptionAsync(created!);
        await page.GetByLabel("To (B)").SelectOptionAsync("latest");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();

        var memory = page.Locator("#comparison tr[data-path=memory]");
        await Assertions.Expect(memory).ToHaveClassAsync("differs");
        await Assertions.Expect(memory.Locator("td")).ToHaveTextAsync(["512", "2048"]);
        await Assertions.Expect(page.Locator("#compare-summary")).ToContainTextAsync(created!);
    }

    [Fact]
    public async Task UnknownSides_AreAClearMessage()
    {
        var (tenant, name) = await TwoVersionsAsync();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));
        var compare = $"/ui/functions/{Uri.EscapeDataString(name)}/compare";

        var absent = await page.GotoAsync(compare + "?from=v9&to=latest");
        Assert.Equal(404, absent!.Status);
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("v9");

        var malformed = await page.GotoAsync(compare + "?from=%40x&to=v1");
        Assert.Equal(400, malformed!.Status);
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("@<revision>");
        await Assertions.Expect(page.Locator("#comparison")).ToHaveCountAsync(0);
    }

    /// <summary>A function published as v1 (512 MB), then as v2 after its memory became 2048 MB.</summary>
    private async Task<(string Tenant, string Name)> TwoVersionsAsync()
    {
        var server = browser.Server;
        var tenant = Fresh.Tenant();
        var name = "0-ui-cmp" + Fresh.Hex();
        var path = "/serverless/v1/functions/" + name;
        var body = Bodies.Yrlib(name);
        var revision = await server.CreateFunctionAsync(tenant, body);
        await server.SendAsync(HttpMethod.Post, path + "/versions", tenant, new() { ["revisionId"] = revision, ["versionNumber"] = "v1", ["kind"] = "yrlib" });
        body.Remove("name");
        body["revisionId"] = revision;
        body["memory"] = 2048;
        revision = await server.UpdateFunctionAsync(tenant, name, body);
        await server.SendAsync(HttpMethod.Post, path + "/versions", tenant, new() { ["revisionId"] = revision, ["versionNumber"] = "v2", ["kind"] = "yrlib" });
        return (tenant, name);
    }
}