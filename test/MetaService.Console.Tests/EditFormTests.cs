using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>The edit form: Review shows the update's dry run as a diff and saves nothing, Save writes under the revisionId
/// the form was loaded with; when another page saved first, the second sees what the first changed, re-applies its own
/// change onto the current draft, and the API then has both. Environment values stay out of the page until revealed.</summary>
public sealed class EditFormTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task Edit_ReviewShowsTheDiff_ThenSaveWritesIt()
    {
        var (tenant, name, page) = await EditorOnNewFunctionAsync();
        var revision = (string)(await Api.FunctionAsync(browser.Server, tenant, name))["revisionId"]!;
        await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();

        Assert.DoesNotContain("s3cr3t-value", await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("input[name=revisionId]")).ToHaveValueAsync(revision);
        await page.GetByLabel("Timeout (s)", new() { Exact = true }).FillAsync("90");
        await ConsoleBrowser.ScreenshotAsync(page, "edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();

        var timeout = page.Locator("tr[data-path=timeout]");
        await Assertions.Expect(timeout).ToContainTextAsync("60");
        await Assertions.Expect(timeout).ToContainTextAsync("90");
        await Assertions.Expect(page.Locator("tr[data-path=memory]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("tr[data-path^=environment]")).ToHaveCountAsync(0);
        await ConsoleBrowser.ScreenshotAsync(page, "edit-review");
        Assert.Equal(60, (int)(await Api.FunctionAsync(browser.Server, tenant, name))["timeout"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Resources" })).ToContainTextAsync("90 s");
        var saved = await Api.FunctionAsync(browser.Server, tenant, name);
        Assert.Equal(90, (int)saved["timeout"]!);
        Assert.Equal("s3cr3t-value", (string)saved["environment"]!["SECRET"]!);
    }

    [Fact]
    public async Task Edit_RevealsEnvironmentValuesOnRequest_AndSavesAChangedValue()
    {
        var (tenant, name, page) = await EditorOnNewFunctionAsync();
        await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}/edit");

        await page.GetByRole(AriaRole.Link, new() { Name = "Reveal values" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Value of variable 2 (SECRET)")).ToHaveValueAsync("s3cr3t-value");
        await page.GetByLabel("Value of variable 1 (A)").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();

        await Assertions.Expect(page.Locator("tr[data-path='environment.A']")).ToContainTextAsync("changed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
        Assert.Equal("2", (string)(await Api.FunctionAsync(browser.Server, tenant, name))["environment"]!["A"]!);
    }

    [Fact]
    public async Task ConflictingSave_ShowsWhatTheOtherChanged_AndReapplyKeepsBothChanges()
    {
        var (tenant, name, first) = await EditorOnNewFunctionAsync();
        var second = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(second, await browser.Server.CreateTokenAsync(tenant, "editor"));
        var edit = $"/ui/functions/{Uri.EscapeDataString(name)}/edit";
        await first.GotoAsync(edit);
        await second.GotoAsync(edit);
        await first.GetByLabel("Timeout (s)", new() { Exact = true }).FillAsync("90");
        await second.GetByLabel("Memory (MB)").FillAsync("256");
        await first.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await second.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await first.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(first.Locator("h1")).ToContainTextAsync(name);

        await second.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var conflict = second.GetByRole(AriaRole.Region, new() { Name = "Someone else saved first" });
        await Assertions.Expect(conflict.Locator("tr[data-path=timeout]")).ToContainTextAsync("90");
        await Assertions.Expect(second.GetByLabel("Memory (MB)")).ToHaveValueAsync("256");
        await ConsoleBrowser.ScreenshotAsync(second, "edit-conflict");
        Assert.Equal(128, (int)(await Api.FunctionAsync(browser.Server, tenant, name))["memory"]!);

        await second.GetByRole(AriaRole.Button, new() { Name = "Re-apply my changes" }).ClickAsync();

        await Assertions.Expect(second.Locator("table.changes tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(second.Locator("tr[data-path=memory]")).ToContainTextAsync("256");
        await second.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(second.Locator("h1")).ToContainTextAsync(name);
        var both = await Api.FunctionAsync(browser.Server, tenant, name);
        Assert.Equal(90, (int)both["timeout"]!);
        Assert.Equal(256, (int)both["memory"]!);
        Assert.Equal("s3cr3t-value", (string)both["environment"]!["SECRET"]!);
    }

    private async Task<(string Tenant, string Name, IPage Page)> EditorOnNewFunctionAsync()
    {
        var tenant = Fresh.Tenant();
        var name = "0@ui@ed" + Fresh.Hex();
        await Api.CreateAsync(browser.Server, tenant, name);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "editor"));
        return (tenant, name, page);
    }
}