using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>The functions page of a tenant with 100,000 functions (seeded into the store file before the server starts):
/// its first page, a search and the next page work, each a bounded page read from the catalog's name index.</summary>
public sealed class BigListTests(ConsoleBrowser browser)
{
    private const int Count = 100_000;

    private static string Name(int i) => $"0-ui-big-{i:D6}";

    [Fact]
    public async Task ListPage_At100kFunctions_ShowsTheFirstPage_Searches_AndPages()
    {
        await using var server = await ConsoleServer.StartSeededAsync(Count, Name, TestContext.Current.CancellationToken);
        var page = await browser.NewPageAsync(server);
        var names = page.Locator("#functions tbody th a");

        await page.GotoAsync("/ui");
        await Assertions.Expect(names).ToHaveCountAsync(50);
        await Assertions.Expect(names.First).ToHaveTextAsync(Name(0));
        await Assertions.Expect(names.Last).ToHaveTextAsync(Name(49));
        await ConsoleBrowser.ScreenshotAsync(page, "functions-100k");

        await page.Locator("a[rel=next]").ClickAsync();
        await Assertions.Expect(names.First).ToHaveTextAsync(Name(50));
        await Assertions.Expect(names).ToHaveCountAsync(50);

        await page.Locator("#q").FillAsync("big-07777");
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();
        await Assertions.Expect(names).ToHaveTextAsync([.. Enumerable.Range(77_770, 10).Select(Name)]);
        await Assertions.Expect(page.Locator("a[rel=next]")).ToHaveCountAsync(0);
    }
}