namespace MetaService.Load;

/// <summary>P2, P3, P5, P6 on the largest data set and P7 across all sizes, each beside its baseline.</summary>
internal static class ReadSuite
{
    private const string GetPath = Api.Functions + "/0-bench-fn000000";
    private const string ListPath = Api.Functions + "?name=" + Samples.HundredFilter + "&pageIndex=1&pageSize=100";

    public static async Task<Table> RunAsync(Settings settings)
    {
        var directories = new Dictionary<int, string>();
        foreach (var size in settings.Sizes)
        {
            directories[size] = await Seeder.EnsureAsync(settings.Work, size, Console.Out);
        }

        var big = settings.Sizes.Max();
        var figures = new Figures();
        for (var run = 0; run < settings.Runs; run++)
        {
            var reference = await Baselines.ReferenceListAsync(directories[big], Samples.HundredFilter, 100, 20, TimeSpan.FromSeconds(20));
            figures.Reference.Add(Table.Median(reference));

            using var server = await ServerProcess.StartMetaAsync(directories[big], GetPath);
            figures.Startup.Add(server.StartedAfter.TotalMilliseconds);
            figures.ListStartup.Add((await server.FirstAnswerAsync(ListPath)).TotalMilliseconds);
            using var client = server.Client();
            var body = Path.Combine(settings.Work, "get-body.json");
            await File.WriteAllBytesAsync(body, await Api.GetBytesAsync(client, GetPath));

            // Both sides take the same load for --warmup seconds first: the figures are for running processes,
            // and the server has far more code than the ceiling for the JIT to compile (2 s left it at ~0.7×
            // of its steady rate).
            using (var ceiling = await ServerProcess.StartCeilingAsync(body))
            {
                await Generator.WrkAsync(ceiling.Address, 64, Math.Max(1, settings.WarmupSeconds));
                figures.Ceiling.Add(await Generator.WrkAsync(ceiling.Address, 64, settings.Seconds));
            }

            await Generator.WrkAsync(new Uri(server.Address, GetPath), 64, Math.Max(1, settings.WarmupSeconds));
            figures.Get.Add(await Generator.WrkAsync(new Uri(server.Address, GetPath), 64, settings.Seconds));

            await Generator.SequentialAsync(client, ListPath, 50, TimeSpan.FromSeconds(10));
            var list = Generator.Sorted(await Generator.SequentialAsync(client, ListPath, 2000, settings.Duration));
            figures.ListP50.Add(Generator.Percentile(list, 0.5));
            figures.ListP99.Add(Generator.Percentile(list, 0.99));
            figures.Rss.Add(server.RssBytes() / 1048576.0);
            Console.WriteLine($"run {run + 1}: start {figures.Startup[^1]:0} ms, GET {figures.Get[^1]:0}/s vs ceiling {figures.Ceiling[^1]:0}/s, "
                + $"list p50 {figures.ListP50[^1]:0.00} ms p99 {figures.ListP99[^1]:0.00} ms vs reference {figures.Reference[^1]:0.0} ms, RSS {figures.Rss[^1]:0} MiB");
        }

        var table = new Table($"reads, {big} functions in one tenant, median of {settings.Runs} runs");
        figures.AddRows(table, big);
        foreach (var size in settings.Sizes)
        {
            await GrowthAsync(table, size, directories[size], settings);
        }

        return table;
    }

    /// <summary>P7: sequential GET and filtered-list latency at one data-set size (the filter matches 100 at every size).</summary>
    private static async Task GrowthAsync(Table table, int size, string directory, Settings settings)
    {
        var gets = new List<double>();
        var lists = new List<double>();
        for (var run = 0; run < settings.Runs; run++)
        {
            using var server = await ServerProcess.StartMetaAsync(directory, GetPath);
            using var client = server.Client();
            await Generator.SequentialAsync(client, GetPath, 200, TimeSpan.FromSeconds(5));
            gets.Add(Table.Median(await Generator.SequentialAsync(client, GetPath, 3000, settings.Duration)));
            await Generator.SequentialAsync(client, ListPath, 50, TimeSpan.FromSeconds(10));
            lists.Add(Table.Median(await Generator.SequentialAsync(client, ListPath, 1000, settings.Duration)));
        }

        table.Add("P7", $"{size} functions: GET p50 / list (100 match) p50", $"{Table.Ms(Table.Median(gets))} / {Table.Ms(Table.Median(lists))}", "—", "—", "get flat; list grows with matches", "see rows");
    }

    private sealed class Figures
    {
        public List<double> Reference { get; } = [];

        public List<double> Startup { get; } = [];

        public List<double> ListStartup { get; } = [];

        public List<double> Ceiling { get; } = [];

        public List<double> Get { get; } = [];

        public List<double> ListP50 { get; } = [];

        public List<double> ListP99 { get; } = [];

        public List<double> Rss { get; } = [];

        public void AddRows(Table table, int size)
        {
            var get = Table.Median(Get);
            var ceiling = Table.Median(Ceiling);

            // Each run's GET and ceiling are measured back to back: the median of their ratios resists the
            // other tenants of the machine better than the ratio of the medians.
            var ratio = Table.Median(Get.Zip(Ceiling, (g, c) => g / c));
            var p50 = Table.Median(ListP50);
            var p99 = Table.Median(ListP99);
            var reference = Table.Median(Reference);
            var rss = Table.Median(Rss);
            var startup = Table.Median(Startup);
            table.Add("P2", "GET one function, wrk 64 connections", Table.Rate(get), Table.Rate(ceiling) + " HTTP ceiling (fixed bytes)", Table.Ratio(ratio) + " (median of per-run ratios)", "≥ 0.80×", Table.Met(ratio >= 0.8));
            table.Add("P3", $"list of {size}, name filter → 100, page 100: p50", Table.Ms(p50), Table.Ms(reference) + " reference algorithm (in-process)", Table.Ratio(reference / p50) + " faster", "≤ 2 ms, ≥ 100×", Table.Met(p50 <= 2 && reference / p50 >= 100));
            table.Add("P3", "same list: p99", Table.Ms(p99), "—", "—", "≤ 10 ms", Table.Met(p99 <= 10));
            table.Add("P5", $"server RSS holding {size} functions (after the loads above)", $"{rss:0} MiB", "—", "—", "≤ 300 MB", Table.Met(rss * 1048576 <= 300e6));
            table.Add("P6", $"start-up to first answered GET, {size} functions", Table.Ms(startup), "—", "—", "≤ 3 s", Table.Met(startup <= 3000));
            table.Add("P6′", $"start-up to first answered filtered list (the catalog loaded), {size} functions", Table.Ms(Table.Median(ListStartup)), "—", "—", "context", "—");
        }
    }
}