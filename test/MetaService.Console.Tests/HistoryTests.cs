using System.Text.Json.Nodes;

using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>The history timeline: a function's writes newest first with who made them and their changes (secret values
/// never shown), paged by the history route's continue token; the tenant's trail narrowed by operation.</summary>
public sealed class HistoryTests(ConsoleBrowser browser)
{
    private const string Secret = "s3cr3t-of-history";

    [Fact]
    public async Task Timeline_ShowsThreeWritesNewestFirst_WithTheirChanges_AndSecretsRedacted()
    {
        var (tenant, name) = await ThreeWritesAsync();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));
        await page.GotoAsync("/ui/functions/" + Uri.EscapeDataString(name));

        await page.Locator("p.links").GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();

        var entries = page.Locator(".timeline .entry");
        await Assertions.Expect(entries.Locator("[data-field=operation]")).ToHaveTextAsync(["update", "update", "create"]);
        var revisions = await entries.Locator("[data-field=revision]").AllTextContentsAsync();
        Assert.Equal(revisions.Select(long.Parse).OrderDescending(), revisions.Select(long.Parse));
        await Assertions.Expect(entries.First.Locator("[data-field=actor]")).Not.ToHaveTextAsync("anonymous");
        var newest = entries.Nth(0);
        await newest.Locator("summary").ClickAsync();
        await Assertions.Expect(newest.Locator("tr[data-op] th")).ToContainTextAsync(["environment.TOKEN"]);
        await Assertions.Expect(newest.Locator("tr:has(th:text-is('environment.TOKEN')) td")).ToHaveTextAsync(["changed", "changed"]);
        var older = entries.Nth(1);
        await older.Locator("summary").ClickAsync();
        await Assertions.Expect(older.Locator("tr:has(th:text-is('memory')) td")).ToHaveTextAsync(["512", "1024"]);
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "history");
    }

    [Fact]
    public async Task Timeline_PagesWithTheContinueToken()
    {
        var (tenant, name) = await ThreeWritesAsync();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));

        await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}/history?limit=2");
        await Assertions.Expect(page.Locator(".timeline [data-field=operation]")).ToHaveTextAsync(["update", "update"]);
        await page.Locator("a[rel=next]").ClickAsync();

        await Assertions.Expect(page.Locator(".timeline [data-field=operation]")).ToHaveTextAsync(["create"]);
        await Assertions.Expect(page.Locator("a[rel=next]")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Newest entries" }).ClickAsync();
        await Assertions.Expect(page.Locator(".timeline .entry")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Trail_ListsTheTenantsEntries_NarrowedByOperation()
    {
        var (tenant, name) = await ThreeWritesAsync();
        await browser.Server.CreateFunctionAsync(tenant, Bodies.Yrlib("0-ui-second"));
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        await Assertions.Expect(page.Locator(".timeline .entry")).ToHaveCountAsync(4);
        await page.Locator("#trail-operation").SelectOptionAsync("create");
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator(".timeline [data-field=name]")).ToHaveTextAsync(["0-ui-second", name]);
        await Assertions.Expect(page.Locator(".timeline [data-field=operation]")).ToHaveTextAsync(["create", "create"]);
        await ConsoleBrowser.ScreenshotAsync(page, "history-trail");
    }

    /// <summary>A function created, its memory changed, then its secret environment value changed: three writes.</summary>
    private async Task<(string Tenant, string Name)> ThreeWritesAsync()
    {
        var server = browser.Server;
        var tenant = Fresh.Tenant();
        var name = "0-ui-hist" + Fresh.Hex();
        var body = Bodies.Yrlib(name, environment: new JsonObject { ["TOKEN"] = "first-" + Secret });
        var revision = await server.CreateFunctionAsync(tenant, body);
        body.Remove("name");
        body["revisionId"] = revision;
        body["memory"] = 1024;
        revision = await server.UpdateFunctionAsync(tenant, name, body);
        body["revisionId"] = revision;
        body["environment"] = new JsonObject { ["TOKEN"] = "second-" + Secret };
        await server.UpdateFunctionAsync(tenant, name, body);
        return (tenant, name);
    }
}