using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>The functions page: the tenant's functions, narrowed by a name search and a kind filter, paged; an admin
/// switching tenant.</summary>
public sealed class FunctionListTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task List_ShowsTheCreatedFunctions_SearchAndKindNarrowIt_AndItPages()
    {
        var tenant = Fresh.Tenant();
        foreach (var name in new[] { "0-ui-alpha1", "0-ui-alpha2", "0-ui-beta1" })
        {
            await browser.Server.CreateFunctionAsync(tenant, Bodies.Yrlib(name));
        }

        foreach (var name in new[] { "0@ui@gamma1", "0@ui@alpha3" })
        {
            await browser.Server.CreateFunctionAsync(tenant, Bodies.Faas(name));
        }

        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));
        var rows = page.Locator("#functions tbody tr");

        await Assertions.Expect(rows).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0-ui-alpha1", "0-ui-alpha2", "0-ui-beta1", "0@ui@alpha3", "0@ui@gamma1"]);
        await ConsoleBrowser.ScreenshotAsync(page, "functions");

        await page.Locator("#q").FillAsync("alpha");
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0-ui-alpha1", "0-ui-alpha2", "0@ui@alpha3"]);

        await page.Locator("#kind").SelectOptionAsync("faas");
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0@ui@alpha3"]);
        await Assertions.Expect(page.Locator("#q")).ToHaveValueAsync("alpha");

        await page.GotoAsync("/ui?size=2");
        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0-ui-alpha1", "0-ui-alpha2"]);
        await page.Locator("a[rel=next]").ClickAsync();
        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0-ui-beta1", "0@ui@alpha3"]);
        await page.Locator("a[rel=next]").ClickAsync();
        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0@ui@gamma1"]);
        await Assertions.Expect(page.Locator("a[rel=next]")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "First page" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task List_FitsAPhone_AndNamesItsParts()
    {
        var tenant = Fresh.Tenant();
        await browser.Server.CreateFunctionAsync(tenant, Bodies.Yrlib("0-ui-phone"));
        var page = await browser.NewPageAsync(width: 390, height: 844);
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));

        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Search)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Name contains")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Runtime" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "0-ui-phone" })).ToHaveCountAsync(1);
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the page is wider than a phone's screen");
        await ConsoleBrowser.ScreenshotAsync(page, "functions-phone");
    }

    [Fact]
    public async Task Admin_SwitchesTenant_AndSeesThatTenantsFunctions()
    {
        var tenant = Fresh.Tenant();
        await browser.Server.CreateFunctionAsync(tenant, Bodies.Yrlib("0-ui-switched"));
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, browser.Server.AdminToken!);

        await page.Locator("#tenant-choice").FillAsync(tenant);
        await page.Locator("form[action='/ui/tenant'] button").ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(tenant);
        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0-ui-switched"]);
    }
}