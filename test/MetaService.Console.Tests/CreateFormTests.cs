using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>The create form (<c>/ui/new</c>): a function created through it is the API's function; a request the API
/// refuses shows the API's own message beside the form and on the field it names, keeps what was typed, and writes
/// nothing.</summary>
public sealed class CreateFormTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task CreateForm_CreatesTheFunction_AndOpensItsPage()
    {
        var tenant = Fresh.Tenant();
        var name = "0@ui@new" + Fresh.Hex();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "editor"));
        await page.GetByRole(AriaRole.Link, new() { Name = "New function" }).ClickAsync();

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Handler", new() { Exact = true }).FillAsync("handler.handler");
        await page.GetByLabel("Code path").FillAsync("/code");
        await page.GetByLabel("CPU (millicores)").FillAsync("300");
        await page.GetByLabel("Memory (MB)").FillAsync("128");
        await page.GetByLabel("Timeout (s)", new() { Exact = true }).FillAsync("45");
        await page.GetByLabel("Name of variable 1").FillAsync("GREETING");
        await page.GetByLabel("Value of variable 1").FillAsync("hello");
        await ConsoleBrowser.ScreenshotAsync(page, "new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
        var function = await Api.FunctionAsync(browser.Server, tenant, name);
        Assert.Equal(45, (int)function["timeout"]!);
        Assert.Equal("hello", (string)function["environment"]!["GREETING"]!);
    }

    [Fact]
    public async Task CreateForm_ShowsTheServersMessageOnTheField_KeepsTheInput_AndWritesNothing()
    {
        var tenant = Fresh.Tenant();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "editor"));
        await page.GotoAsync("/ui/new");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Bad Name!");
        await page.GetByLabel("Handler", new() { Exact = true }).FillAsync("handler.handler");
        await page.GetByLabel("CPU (millicores)").FillAsync("300");
        await page.GetByLabel("Memory (MB)").FillAsync("128");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("4104");
        var nameInput = page.GetByLabel("Name", new() { Exact = true });
        await Assertions.Expect(nameInput).ToHaveValueAsync("Bad Name!");
        await Assertions.Expect(nameInput).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#problem-name")).ToContainTextAsync("format is 0@");
        Assert.Contains("problem-name", await nameInput.GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "new-refused");
        Assert.Equal(0, await Api.CountAsync(browser.Server, tenant));
    }
}