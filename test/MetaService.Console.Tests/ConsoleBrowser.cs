using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(MetaService.Console.Tests.ConsoleBrowser))]

// One chromium for the assembly, driving pages one test at a time: several pages rendering at once on a 2-core machine
// that also runs the server under test would only make every wait longer.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]

namespace MetaService.Console.Tests;

/// <summary>
/// Debian's chromium (installed by <c>./scripts/test.sh</c>; never a browser Playwright downloads), driven by Playwright
/// with the flags of a headless run on these machines, and one server with API tokens on, shared by the tests (each test
/// owns a tenant of its own). Screenshots go to <c>screenshots/</c> beside the test assembly (under <c>bin/</c>, which git
/// ignores).
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    /// <summary>What a test waits for the page at most (a bound, not a speed: the tests assert what appears).</summary>
    public const float WaitMilliseconds = 10_000;

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private ConsoleServer? _server;

    public ConsoleServer Server => _server ?? throw new InvalidOperationException("the fixture has not started");

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(WaitMilliseconds);
        _server = await ConsoleServer.StartAsync(tokens: true, TestContext.Current.CancellationToken);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath(), Headless = true, Args = Flags });
    }

    /// <summary>A page of its own browser context (its own cookies) on <paramref name="server"/> (this fixture's when null),
    /// of the size and colour scheme given.</summary>
    public async Task<IPage> NewPageAsync(ConsoleServer? server = null, int width = 1280, int height = 800, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (server ?? Server).Url,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
        });
        context.SetDefaultTimeout(WaitMilliseconds);
        return await context.NewPageAsync();
    }

    /// <summary>Signs <paramref name="page"/> in with <paramref name="token"/> through the sign-in form.</summary>
    public static async Task SignInAsync(IPage page, string token)
    {
        await page.GotoAsync("/ui/signin");
        await page.Locator("#token").FillAsync(token);
        await page.Locator("form[action='/ui/signin'] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Functions");
    }

    /// <summary>The whole page, as <c>screenshots/NAME.png</c>.</summary>
    public static Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary><c>METASERVICE_CHROMIUM</c>, else Debian's chromium binary (the program its launcher script runs).</summary>
    private static string ChromiumPath()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("METASERVICE_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium" };
        return candidates.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
            ?? throw new InvalidOperationException("Debian's chromium is not installed (apt-get install chromium; ./scripts/test.sh installs it), "
                + "or set METASERVICE_CHROMIUM to a chromium binary");
    }
}

/// <summary>Fresh names, so each test owns its tenant and functions.</summary>
public static class Fresh
{
    public static string Hex() => Guid.NewGuid().ToString("N")[..8];

    public static string Tenant() => "ui" + Hex();
}