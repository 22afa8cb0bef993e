using System.Globalization;

namespace MetaService.Load;

/// <summary>
/// <c>dotnet MetaService.Load.dll &lt;suite&gt; [options]</c>; suites: writes (P1), reads (P2, P3, P5, P6, P7),
/// auth (A1, A2, A3), etcd (P4), memory (M1, M2), watch (W1, W2), soak (R4), history (H1, W3), console (U1, U2), seed,
/// ceiling. See bench/README.md.
/// </summary>
internal static class Entry
{
    public static async Task<int> Main(string[] args)
    {
        const string Usage = "usage: MetaService.Load <writes|reads|auth|etcd|memory|watch|soak|history|console|seed|drive|ceiling|update-proxy> [--runs 3] [--seconds 5] [--warmup 10] [--sizes 1000,10000,100000] [--minutes 10] [--work DIR]\nSee bench/README.md for what each suite measures.";
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await (args.Length == 0 ? Console.Error : Console.Out).WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (Prerequisites.Missing(args[0]) is { Count: > 0 } missing)
        {
            foreach (var line in missing)
            {
                await Console.Error.WriteLineAsync(line);
            }

            return 2;
        }

        try
        {
            return await RunAsync(args);
        }
        catch (Exception e) when (e is ArgumentException { ParamName: null } or UriFormatException)
        {
            // A usage mistake (an option missing, a number or URL that is not one): one line and the usage, not a stack
            // trace. An argument exception naming a parameter is a fault of the tool, and keeps its stack trace.
            await Console.Error.WriteLineAsync($"MetaService.Load {args[0]}: {e.Message}\n{Usage}");
            return 2;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"MetaService.Load {args[0]}: a request to the server failed: {e.Message}{Hint(e)}");
            return 1;
        }
    }

    /// <summary>What to do about a refusal a server started by hand gives a load (the suites start theirs unlimited).</summary>
    private static string Hint(HttpRequestException e) => e.StatusCode switch
    {
        System.Net.HttpStatusCode.TooManyRequests => $" (the server limits requests: start it with {string.Join(' ', ServerProcess.Unlimited)}, docs/configuration.md)",
        null => " (is the server running at the --url given?)",
        _ => "",
    };

    private static async Task<int> RunAsync(string[] args)
    {
        var settings = new Settings(
            Work: Path.GetFullPath(Option(args, "--work") ?? Path.Combine(Path.GetTempPath(), "metaservice-bench")),
            Runs: Number(args, "--runs", 3),
            Seconds: Number(args, "--seconds", 5),
            Sizes: [.. (Option(args, "--sizes") ?? "1000,10000,100000").Split(',').Select(s => Number("--sizes", s))],
            Minutes: double.TryParse(Option(args, "--minutes") ?? "10", CultureInfo.InvariantCulture, out var minutes) && minutes > 0
                ? minutes
                : throw new ArgumentException($"--minutes takes a positive number, not '{Option(args, "--minutes")}'"),
            Store: Option(args, "--store") ?? "sqlite",
            WarmupSeconds: Number(args, "--warmup", 10));
        Directory.CreateDirectory(settings.Work);
        switch (args[0])
        {
            case "writes":
                (await WriteSuite.RunAsync(settings)).Print(Console.Out);
                return 0;
            case "reads":
                (await ReadSuite.RunAsync(settings)).Print(Console.Out);
                return 0;
            case "auth":
                (await AuthSuite.RunAsync(settings)).Print(Console.Out);
                return 0;
            case "etcd":
                (await EtcdSuite.RunAsync(settings)).Print(Console.Out);
                return 0;
            case "memory":
                (await MemorySuite.RunAsync(Option(args, "--seconds") is null ? settings with { Seconds = 30 } : settings)).Print(Console.Out);
                return 0;
            case "history":
                (await HistorySuite.RunAsync(settings)).Print(Console.Out);
                return 0;
            case "console":
                (await ConsoleSuite.RunAsync(settings)).Print(Console.Out);
                return 0;
            case "watch":
                (await WatchSuite.RunAsync(settings, args)).Print(Console.Out);
                return 0;
            case "soak":
                (await SoakSuite.RunAsync(settings)).Print(Console.Out);
                return 0;
            case "seed":
                foreach (var size in settings.Sizes)
                {
                    await Seeder.EnsureAsync(settings.Work, size, Console.Out);
                }

                return 0;
            case "drive":
                await DriveAsync(args, settings);
                return 0;
            case "ceiling":
                await Ceiling.RunAsync(args[1..]);
                return 0;
            case "update-proxy":
                await UpdateProxy.RunAsync(args[1..]);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown suite {args[0]}");
                return 2;
        }
    }

    /// <summary><c>drive --url U [--clients 16] [--pids P,Q]</c>: the update load of the suites against a server already
    /// running (to profile it, or its store, by hand): creates its own functions, warms for --warmup s, measures
    /// --seconds s, and reports the CPU each process of --pids spent per update, and the bytes it wrote to storage.</summary>
    private static async Task DriveAsync(string[] args, Settings settings)
    {
        var url = new Uri(Option(args, "--url") ?? throw new ArgumentException("drive needs --url http://127.0.0.1:PORT"));
        var clients = Number(args, "--clients", 16);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        var functions = await Api.CreateManyAsync(client, $"0-drive-{Guid.NewGuid().ToString("N")[..6]}-", clients);

        var watched = (Option(args, "--pids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => System.Diagnostics.Process.GetProcessById(Number("--pids", p)))
            .Select(p => ($"pid {p.Id} ({p.ProcessName})", p.Id))
            .ToArray();
        var (result, failed, meter) = await Generator.WarmedUpdatesAsync(client, functions, settings, watched);
        var cpu = meter.Names.Zip(meter.MicrosecondsPer(result.Ok), meter.KilobytesWrittenPer(result.Ok))
            .Select(m => $", {m.First} {m.Second:0} µs CPU and {m.Third:0.0} KB written per update");
        Console.WriteLine($"{clients} clients: {result.PerSecond:0} updates/s, p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms, {failed} errors{string.Concat(cpu)}");
    }

    public static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>The whole number <paramref name="name"/> gives (at least 0), or <paramref name="fallback"/> without it.</summary>
    public static int Number(string[] args, string name, int fallback) => Option(args, name) is { } text ? Number(name, text) : fallback;

    private static int Number(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name} takes a whole number, not '{text}'");
}

/// <summary>What every suite is told: where to keep data sets, how many runs, how long each measurement lasts.</summary>
internal sealed record Settings(string Work, int Runs, int Seconds, int[] Sizes, double Minutes, string Store, int WarmupSeconds)
{
    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    /// <summary>How long a freshly started server (and the HTTP ceiling) takes the load before it is measured: the
    /// JIT compiles the hot paths in the first 10–20 s (a third of the CPU), and the figures are for a running server.</summary>
    public TimeSpan Warmup => TimeSpan.FromSeconds(WarmupSeconds);
}