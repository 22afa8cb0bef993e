using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>
/// Issue 21's "usable with the keyboard, labelled for screen readers, fine at 1280×800 and at phone width, light and dark
/// following the system", checked in the browser: every console page is run through axe-core (the WCAG 2.1 A and AA
/// rules, colour contrast included) in both colour schemes at both sizes, must not scroll sideways at phone width, and
/// the list can be searched and a function opened with the keyboard alone, the focus always visible.
/// </summary>
public sealed class AccessibilityTests(ConsoleBrowser browser)
{
    /// <summary>The axe rule sets run: WCAG 2.0 and 2.1, levels A and AA.</summary>
    private static readonly string[] Standards = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    public static TheoryData<string, int, int> Views => new()
    {
        { "light", 1280, 800 },
        { "dark", 1280, 800 },
        { "light", 390, 844 },
        { "dark", 390, 844 },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public async Task EveryPage_PassesAxe_AndDoesNotScrollSideways(string scheme, int width, int height)
    {
        var (tenant, name) = await ConsoleFixtures.PublishedFunctionAsync(browser.Server, "a11y-secret");
        var page = await browser.NewPageAsync(width: width, height: height, scheme: scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        var problems = new List<string>();

        await page.GotoAsync("/ui/signin");
        problems.AddRange(await CheckAsync(page, "sign-in"));
        await page.Locator("#token").FillAsync("not-a-token");
        await page.Locator("form[action='/ui/signin'] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[role=alert]")).ToHaveCountAsync(1);
        problems.AddRange(await CheckAsync(page, "sign-in refused"));

        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "editor"));
        var function = "/ui/functions/" + Uri.EscapeDataString(name);
        string[] pages =
        [
            "/ui", "/ui?q=fn&kind=faas", function, function + "?reveal=environment", "/ui/functions/0-ui-absent", "/ui/new",
            function + "/edit", function + "/restore", function + "/history", "/ui/history", function + "/compare?from=v1&to=v2",
            function + "/aliases/prod",
        ];
        foreach (var path in pages)
        {
            await page.GotoAsync(path);
            problems.AddRange(await CheckAsync(page, path));
        }

        // The pages a form leads to: a refusal shown on the form, a review, a conflict.
        await page.GotoAsync("/ui/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("not a name!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.Locator("[aria-invalid=true]").First).ToBeVisibleAsync();
        problems.AddRange(await CheckAsync(page, "/ui/new refused"));
        await page.GotoAsync(function + "/edit");
        await page.GetByLabel("Timeout (s)", new() { Exact = true }).FillAsync("90");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeVisibleAsync();
        problems.AddRange(await CheckAsync(page, "edit review"));
        var current = await browser.Server.SendAsync(HttpMethod.Get, "/serverless/v1/functions/" + Uri.EscapeDataString(name), tenant, null);
        var update = Bodies.Faas(name, new JsonObject { ["DB_PASSWORD"] = "a11y-secret", ["MODE"] = "fast" });
        update.Remove("name");
        update["revisionId"] = (string)current["function"]!["revisionId"]!;
        update["memory"] = 512;
        await browser.Server.UpdateFunctionAsync(tenant, name, update);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Re-apply my changes" })).ToBeVisibleAsync();
        problems.AddRange(await CheckAsync(page, "edit conflict"));

        var admin = await browser.NewPageAsync(width: width, height: height, scheme: scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        await ConsoleBrowser.SignInAsync(admin, browser.Server.AdminToken!);
        await admin.Locator("#tenant-choice").FillAsync(tenant);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Switch" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#tenant-choice")).ToHaveValueAsync(tenant);
        foreach (var path in new[] { "/ui/podpools", function + "/reserved?version=v1" })
        {
            await admin.GotoAsync(path);
            problems.AddRange(await CheckAsync(admin, path));
        }

        Assert.True(problems.Count == 0, $"{scheme} at {width}×{height}:\n" + string.Join('\n', problems));
    }

    [Fact]
    public async Task TheList_IsSearchedAndAFunctionOpened_WithTheKeyboardAlone_TheFocusAlwaysVisible()
    {
        var tenant = Fresh.Tenant();
        foreach (var each in new[] { "0-kb-alpha", "0-kb-beta" })
        {
            await browser.Server.CreateFunctionAsync(tenant, Bodies.Yrlib(each));
        }

        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));

        // The first stop is the skip link, and following it puts the focus on the page's main landmark.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await FocusedAsync(page, "el.textContent.trim()"));
        await AssertFocusVisibleAsync(page);
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await FocusedAsync(page, "el.id"));

        await TabToAsync(page, "el.id === 'q'");
        await page.Keyboard.TypeAsync("beta");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#functions tbody th a")).ToHaveTextAsync(["0-kb-beta"]);

        await TabToAsync(page, "el.tagName === 'A' && el.textContent.trim() === '0-kb-beta'");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("0-kb-beta");
    }

    /// <summary>axe's violations of <paramref name="page"/> and, at phone width, whether it scrolls sideways; one line each.</summary>
    private static async Task<IEnumerable<string>> CheckAsync(IPage page, string where)
    {
        await page.EvaluateAsync(await AxeSourceAsync());
        var found = await page.EvaluateAsync<JsonElement>(
            """
            async tags => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return result.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary) }));
            }
            """, Standards);
        var problems = found.EnumerateArray()
            .Select(v => $"{where}: {v.GetProperty("id").GetString()} ({v.GetProperty("help").GetString()}): {string.Join(" | ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}")
            .ToList();
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var (scroll, inner) = (widths[0], widths[1]);
        if (scroll > inner)
        {
            problems.Add($"{where}: the page is {scroll} px wide in a {inner} px window (it scrolls sideways)");
        }

        return problems;
    }

    /// <summary>Presses Tab until the focused element satisfies <paramref name="predicate"/> (JavaScript over <c>el</c>),
    /// asking at each stop that the focus be visible; fails after 40 stops.</summary>
    private static async Task TabToAsync(IPage page, string predicate)
    {
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            await AssertFocusVisibleAsync(page);
            if (await FocusedAsync(page, predicate) is "True" or "true")
            {
                return;
            }
        }

        Assert.Fail($"40 presses of Tab never reached the element where {predicate}");
    }

    /// <summary>The focused element shows it: an outline or a box shadow (the browser's or the console's own).</summary>
    private static async Task AssertFocusVisibleAsync(IPage page)
    {
        var style = await page.EvaluateAsync<string>("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.boxShadow; }");
        var what = await FocusedAsync(page, "el.outerHTML.slice(0, 80)");
        Assert.False(style.StartsWith("none", StringComparison.Ordinal) && style.EndsWith(" none", StringComparison.Ordinal), $"the focused element shows no focus ({style}): {what}");
    }

    private static async Task<string> FocusedAsync(IPage page, string expression) =>
        (await page.EvaluateAsync<JsonElement>($"() => {{ const el = document.activeElement; return String({expression}); }}")).GetString() ?? "";

    private static string? _axe;

    /// <summary>axe-core's script, installed by <c>./scripts/test.sh</c> into <c>.tools/axe/</c> at the repository root.</summary>
    private static async Task<string> AxeSourceAsync()
    {
        if (_axe is not null)
        {
            return _axe;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, ".tools", "axe", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(script))
            {
                return _axe = await File.ReadAllTextAsync(script);
            }
        }

        throw new InvalidOperationException("axe-core is not installed: ./scripts/test.sh installs it into .tools/axe/ "
            + "(or: npm install --prefix .tools/axe axe-core@4.14.1)");
    }
}

/// <summary>Functions the console tests look at, made through the API.</summary>
public static class ConsoleFixtures
{
    /// <summary>A faas function with two environment variables (one holding <paramref name="secret"/>), published as v1
    /// and (after an update) v2, and an alias <c>prod</c> sending 70 % to v1 and 30 % to v2; in a tenant of its own.</summary>
    public static async Task<(string Tenant, string Name)> PublishedFunctionAsync(ConsoleServer server, string secret)
    {
        var tenant = Fresh.Tenant();
        var name = "0@ui@fn" + Fresh.Hex();
        var path = "/serverless/v1/functions/" + Uri.EscapeDataString(name);
        var revision = await server.CreateFunctionAsync(tenant, Bodies.Faas(name, new JsonObject { ["DB_PASSWORD"] = secret, ["MODE"] = "fast" }));
        await server.SendAsync(HttpMethod.Post, path + "/versions", tenant, new() { ["revisionId"] = revision, ["versionNumber"] = "v1", ["versionDesc"] = "first", ["kind"] = "faas" });
        var update = Bodies.Faas(name, new JsonObject { ["DB_PASSWORD"] = secret, ["MODE"] = "fast" });
        update.Remove("name");
        update["revisionId"] = revision;
        update["memory"] = 256;
        revision = await server.UpdateFunctionAsync(tenant, name, update);
        await server.SendAsync(HttpMethod.Post, path + "/versions", tenant, new() { ["revisionId"] = revision, ["versionNumber"] = "v2", ["versionDesc"] = "second", ["kind"] = "faas" });
        await server.SendAsync(HttpMethod.Post, path + "/aliases", tenant, new()
        {
            ["name"] = "prod",
            ["functionVersion"] = "v1",
            ["routingConfig"] = new JsonObject { ["v1"] = 70, ["v2"] = 30 },
        });
        return (tenant, name);
    }
}