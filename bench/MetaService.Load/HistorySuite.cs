using System.Text;
using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Sqlite;

namespace MetaService.Load;

/// <summary>Issue 19: H1, durable updates/s with the history on ÷ off (alternating servers, same run, 32 clients, embedded
/// store; odd runs start with history on); W3, the first page of a 10,000-entry function history, p99, beside a GET of
/// one function on the same server.</summary>
internal static class HistorySuite
{
    private const int Clients = 32;
    private const int Entries = 10_000;
    private const string Name = "0-bench-history";

    public static async Task<Table> RunAsync(Settings settings)
    {
        var on = new List<double>();
        var off = new List<double>();
        var ratios = new List<double>();
        var page = new List<double>();
        var uncached = new List<double>();
        var get = new List<double>();
        var seeded = await SeedAsync(Path.Combine(settings.Work, $"history-{Entries}"));
        for (var run = 0; run < settings.Runs; run++)
        {
            // Odd runs start the history-on server first (as the auth suite reverses its order): an effect of the order
            // then falls on each side alike.
            var historyFirst = run % 2 == 1;
            foreach (var history in historyFirst ? [true, false] : new[] { false, true })
            {
                (history ? on : off).Add(await UpdatesAsync(settings, run, history));
            }

            ratios.Add(on[^1] / off[^1]);

            page.Add(await FirstPageP99Async(settings, seeded, run, cached: true, get));
            uncached.Add(await FirstPageP99Async(settings, seeded, run, cached: false, null));
            Console.WriteLine($"run {run + 1} ({(historyFirst ? "on, off" : "off, on")}): updates history off {off[^1]:0}/s, on {on[^1]:0}/s ({ratios[^1]:0.00}×); first history page p99 {page[^1]:0.00} ms ({uncached[^1]:0.00} ms with nothing kept), GET p99 {get[^1]:0.00} ms");
        }

        var table = new Table($"H1 and W3, embedded store, median of {settings.Runs} × {settings.Seconds} s");
        var ratio = Table.Median(ratios);
        var p99 = Table.Median(page);
        table.Add("H1", $"durable updates/s with history on, {Clients} clients", Table.Rate(Table.Median(on)), Table.Rate(Table.Median(off)) + " history off (History:Enabled=false)", Table.Ratio(ratio) + " (median of per-run ratios)", "≥ 0.85×", Table.Met(ratio >= 0.85));
        table.Add("W3", $"first page (50) of a {Entries:N0}-entry history, p99", Table.Ms(p99), Table.Ms(Table.Median(get)) + " GET of the function", "—", "≤ 5 ms", Table.Met(p99 <= 5));
        table.Add("W3′", "the same with nothing kept (History:ChangesCacheBytes=0: every read makes its changes), p99", Table.Ms(Table.Median(uncached)), "—", "—", "(context)", "—");
        return table;
    }

    /// <summary>The p99 of the first page (and, when <paramref name="get"/> is given, of a GET of the function beside it)
    /// on a server over a copy of the seeded history; <paramref name="cached"/>: as configured by default, else with no
    /// changes kept by the reader.</summary>
    private static async Task<double> FirstPageP99Async(Settings settings, string seeded, int run, bool cached, List<double>? get)
    {
        string[] args = cached ? ["--History:MaxEntriesPerFunction", "20000"] : ["--History:MaxEntriesPerFunction", "20000", "--History:ChangesCacheBytes", "0"];
        using var server = await ServerProcess.StartMetaAsync(Seeder.Copy(seeded, Path.Combine(settings.Work, $"history-read-{run}")), "/healthz", args);
        using var client = server.Client();
        var pagePath = $"{Api.Functions}/{Name}/history?limit=50";
        await Generator.SequentialAsync(client, pagePath, 500, settings.Warmup);
        var pages = Generator.Sorted(await Generator.SequentialAsync(client, pagePath, 100_000, settings.Duration));
        if (get is not null)
        {
            var getPath = $"{Api.Functions}/{Name}";
            await Generator.SequentialAsync(client, getPath, 500, settings.Warmup);
            get.Add(Generator.Percentile(Generator.Sorted(await Generator.SequentialAsync(client, getPath, 100_000, settings.Duration)), 0.99));
        }

        return Generator.Percentile(pages, 0.99);
    }

    private static async Task<double> UpdatesAsync(Settings settings, int run, bool history)
    {
        var directory = Path.Combine(settings.Work, $"history-writes-{run}-{(history ? "on" : "off")}");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        using var server = await ServerProcess.StartMetaAsync(directory, "/healthz", "--History:Enabled", history ? "true" : "false");
        using var client = server.Client();
        var functions = await Api.CreateManyAsync(client, $"0-bench-h{run}c", Clients);
        var (result, _) = await Generator.MeasuredUpdatesAsync(client, functions, settings, ("server", server.Id));
        return result.PerSecond;
    }

    /// <summary>One function with <see cref="Entries"/> history entries (a create and updates, written as the server writes
    /// them), seeded once and reused.</summary>
    private static async Task<string> SeedAsync(string directory)
    {
        var done = Path.Combine(directory, "seeded");
        if (File.Exists(done))
        {
            return directory;
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = directory }))
        {
            var options = new MetaOptions { FunctionMax = 0 };
            var history = new HistoryLog(new HistoryOptions { MaxEntriesPerFunction = 20_000 }, TimeProvider.System);
            var service = new FunctionService(new FunctionCatalog(store, TimeProvider.System, options.RecordCacheBytes), options, TimeProvider.System, history: history);
            var created = await service.CreateAsync(Tenant.Default, Samples.CreateRequest(Name), CancellationToken.None);
            var revisionId = created.Value?.RevisionId ?? throw new InvalidOperationException($"seeding {Name}: {created.Error?.Message}");
            for (var i = 1; i < Entries; i++)
            {
                var body = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(Samples.UpdateBody(revisionId, i)), MetaJson.Default.FunctionRequest)!;
                var updated = await service.UpdateAsync(Tenant.Default, Name, body, CancellationToken.None);
                revisionId = updated.Value?.RevisionId ?? throw new InvalidOperationException($"seeding update {i}: {updated.Error?.Message}");
            }
        }

        await File.WriteAllTextAsync(done, Entries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return directory;
    }
}