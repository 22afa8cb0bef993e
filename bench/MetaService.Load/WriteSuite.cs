using MetaService.Sqlite;

namespace MetaService.Load;

/// <summary>P1: durable updates per second through HTTP at 32 clients on the embedded store, beside the raw
/// single-row <c>synchronous=FULL</c> commit rate of the same disk; and for context (P1″) the same load on the plainest
/// server of the stack writing the same keys and bytes to an embedded store with its group commit
/// (<see cref="UpdateProxy"/> with <c>--sqlite</c>): what any server built so reaches on this machine.</summary>
internal static class WriteSuite
{
    private const int Clients = 32;

    public static async Task<Table> RunAsync(Settings settings)
    {
        var raw = new List<double>();
        var rates = new List<double>();
        var p99s = new List<double>();
        var cpu = new List<double>();
        var proxied = new List<double>();
        for (var run = 0; run < settings.Runs; run++)
        {
            raw.Add(Baselines.SqliteFullCommitsPerSecond(Path.Combine(settings.Work, "raw"), settings.Duration));
            var directory = Path.Combine(settings.Work, $"writes-{run}");
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            using var server = await ServerProcess.StartMetaAsync(directory);
            using var client = server.Client();
            var functions = await Api.CreateManyAsync(client, $"0-bench-w{run}c", Clients);

            var (result, meter) = await Generator.MeasuredUpdatesAsync(client, functions, settings, ("server", server.Id));

            var cpuPerUpdate = meter.MicrosecondsPer(result.Ok)[0];
            var (answer, _) = await UpdateProxy.Shape.UpdateOnceAsync(client, (await Api.CurrentAsync(client, functions.Take(1)))[0]);
            server.Kill();
            var shapeFile = Path.Combine(settings.Work, $"update-shape-w{run}.txt");
            await using (var written = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = directory }))
            {
                UpdateProxy.Shape.Of(functions[0].Name, answer, await written.RangeAsync("/")).Write(shapeFile);
            }

            var (plain, plainCpu) = await ProxyAsync(settings, shapeFile, Path.Combine(settings.Work, $"writes-proxy-{run}"), functions);

            rates.Add(result.PerSecond);
            p99s.Add(result.P99Ms);
            cpu.Add(cpuPerUpdate);
            proxied.Add(plain);
            Console.WriteLine($"run {run + 1}: raw FULL {raw[^1]:0}/s, HTTP updates {result.PerSecond:0}/s p50 {result.P50Ms:0.00} ms p99 {result.P99Ms:0.00} ms, server CPU {cpuPerUpdate:0} µs per update; "
                + $"plainest server {plain:0}/s ({plainCpu} CPU per update)");
        }

        var table = new Table($"P1 durable updates, embedded store, {Clients} clients, median of {settings.Runs} × {settings.Seconds} s");
        var rate = Table.Median(rates);
        var baseline = Table.Median(raw);
        var ratio = Table.Median(rates.Zip(raw, (r, b) => r / b));
        var p99 = Table.Median(p99s);
        table.Add("P1", "updates/s through HTTP, ack after fsync", Table.Rate(rate), Table.Rate(baseline) + " raw SQLite FULL 1-row commits", Table.Ratio(ratio) + " (median of per-run ratios)", "≥ 1.50×", Table.Met(ratio >= 1.5));
        table.Add("P1", "update p99 latency", Table.Ms(p99), "—", "—", "≤ 20 ms", Table.Met(p99 <= 20));
        table.Add("P1", "server CPU per update (user + system)", $"{Table.Median(cpu):0} µs", "—", "—", "(diagnostic)", "—");
        var proxyOfRaw = Table.Median(proxied.Zip(raw, (p, b) => p / b));
        table.Add("P1″", "the same updates/s, beside the plainest server of the stack", Table.Rate(rate),
            Table.Rate(Table.Median(proxied)) + $" ASP.NET Core writing each update's keys to an embedded store with group commit ({proxyOfRaw:0.00}× of the raw commits)",
            Table.Ratio(Table.Median(rates.Zip(proxied, (r, p) => r / p))) + " (median of per-run ratios)", "context", "—");
        return table;
    }

    /// <summary>The update load on <see cref="UpdateProxy"/> over a fresh embedded store in <paramref name="directory"/>:
    /// updates per second, and the CPU the proxy and this process spent per update.</summary>
    private static async Task<(double PerSecond, string Cpu)> ProxyAsync(Settings settings, string shapeFile, string directory, IEnumerable<(string Name, string RevisionId)> functions)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return await UpdateProxy.MeasureAsync(settings, shapeFile, functions, ["--sqlite", directory]);
    }
}