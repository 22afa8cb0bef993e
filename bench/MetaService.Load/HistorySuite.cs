using System.Diagnostics;
using System.Text;
using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Sqlite;

namespace MetaService.Load;

/// <summary>Issue 19: H1, durable updates/s with the history on ÷ off (two servers taking the load in turns of a second,
/// 32 clients, embedded store; odd runs give the history-on server the first turn); W3, the first page of a 10,000-entry
/// function history, p99, beside a GET of one function on the same server.</summary>
internal static class HistorySuite
{
    private const int Clients = 32;
    private const int Entries = 10_000;
    private const string Name = "0-bench-history";

    /// <summary>How long one server takes the load before the other does (<see cref="InterleavedAsync"/>).</summary>
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(1);

    /// <summary>A turn ends once its server's threads ran less than <see cref="QuietCpu"/> (a tenth of a core) in a
    /// <see cref="QuietWindow"/>, or after <see cref="DrainAtMost"/> (<see cref="Side.TakeTurnAsync"/>).</summary>
    private static readonly TimeSpan QuietWindow = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan QuietCpu = TimeSpan.FromMilliseconds(2);

    private static readonly TimeSpan DrainAtMost = TimeSpan.FromSeconds(1);

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
            // Odd runs give the history-on server the first turn (as the auth suite reverses its order): an effect of the
            // order then falls on each side alike.
            var historyFirst = run % 2 == 1;
            var (withHistory, without) = await InterleavedAsync(settings, run, historyFirst);
            on.Add(withHistory.PerSecond);
            off.Add(without.PerSecond);
            ratios.Add(on[^1] / off[^1]);

            page.Add(await FirstPageP99Async(settings, seeded, run, cached: true, get));
            uncached.Add(await FirstPageP99Async(settings, seeded, run, cached: false, null));
            Console.WriteLine($"run {run + 1} ({(historyFirst ? "on, off" : "off, on")}): updates history off {without}, on {withHistory} ({ratios[^1]:0.00}×); first history page p99 {page[^1]:0.00} ms ({uncached[^1]:0.00} ms with nothing kept), GET p99 {get[^1]:0.00} ms");
        }

        var table = new Table($"H1 and W3, embedded store, median of {settings.Runs} × {settings.Seconds} s");
        var ratio = Table.Median(ratios);
        var p99 = Table.Median(page);
        table.Add("H1", $"durable updates/s with history on, {Clients} clients", Table.Rate(Table.Median(on)), Table.Rate(Table.Median(off)) + " history off (History:Enabled=false)", Table.Ratio(ratio) + $" (median of per-run ratios, {ratios.Min():0.00}–{ratios.Max():0.00})", "≥ 0.85×", Table.Met(ratio >= 0.85));
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

    /// <summary>H1's two rates of one run. A server with the history on and one with it off, both fresh, take the same
    /// load (<see cref="Clients"/> clients) in turns of <see cref="Turn"/>, A B B A A B …, A the history-on server when
    /// <paramref name="historyFirst"/>: <see cref="Settings.WarmupSeconds"/> turns each for the warm-up, then
    /// <see cref="Settings.Seconds"/> measured. Both are thus measured over the same stretch of time, a second apart: the
    /// machine's speed drifts by more than H1's margin within the minute that measuring one server after the other takes
    /// (bench/README.md, session 46). A turn lasts until its server is done with it (<see cref="Side.TakeTurnAsync"/>), and
    /// what each server spends while the other takes its turns is measured, to show that none of a turn's work is left
    /// to the other's.</summary>
    private static async Task<(Side.Figures On, Side.Figures Off)> InterleavedAsync(Settings settings, int run, bool historyFirst)
    {
        var sides = new List<Side>();
        try
        {
            foreach (var history in historyFirst ? [true, false] : new[] { false, true })
            {
                sides.Add(await Side.StartAsync(settings, run, history));
            }

            var turns = 2 * (settings.WarmupSeconds + settings.Seconds);
            for (var turn = 0; turn < turns; turn++)
            {
                var a = (turn + 1) / 2 % 2;
                var (active, idle) = (sides[a], sides[1 - a]);
                var meter = CpuMeter.Start(("active", active.Id), ("idle", idle.Id));
                var (updates, took, drained) = await active.TakeTurnAsync(turn);
                var cpu = meter.Stop().MicrosecondsPer(1);
                if (turn >= 2 * settings.WarmupSeconds)
                {
                    active.Measured(updates, took, drained, TimeSpan.FromMicroseconds(cpu[0]));
                    idle.Waited(took, TimeSpan.FromMicroseconds(cpu[1]));
                }
            }

            var figures = sides.ToDictionary(side => side.History, side => side.Result);
            return (figures[true], figures[false]);
        }
        finally
        {
            foreach (var side in sides)
            {
                side.Dispose();
            }
        }
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

    /// <summary>One server of an interleaved H1 run, with its clients' functions and what its measured turns did.</summary>
    private sealed class Side : IDisposable
    {
        private readonly ServerProcess _server;
        private readonly HttpClient _client;
        private readonly string[] _names;
        private readonly string[] _revisions;
        private long _updates;
        private TimeSpan _measured;
        private TimeSpan _drained;
        private int _turns;
        private TimeSpan _busyCpu;
        private TimeSpan _waited;
        private TimeSpan _idleCpu;

        private Side(bool history, ServerProcess server, HttpClient client, IReadOnlyList<(string Name, string RevisionId)> functions)
        {
            (History, _server, _client) = (history, server, client);
            _names = [.. functions.Select(f => f.Name)];
            _revisions = [.. functions.Select(f => f.RevisionId)];
        }

        public bool History { get; }

        public int Id => _server.Id;

        public Figures Result => new(
            _updates / _measured.TotalSeconds,
            _busyCpu.TotalMicroseconds / Math.Max(_updates, 1),
            _idleCpu.TotalMilliseconds / Math.Max(_waited.TotalSeconds, 1e-9),
            _drained.TotalMilliseconds / Math.Max(_turns, 1));

        public static async Task<Side> StartAsync(Settings settings, int run, bool history)
        {
            var directory = Path.Combine(settings.Work, $"history-writes-{run}-{(history ? "on" : "off")}");
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            var server = await ServerProcess.StartMetaAsync(directory, "/healthz", "--History:Enabled", history ? "true" : "false");
            var client = server.Client();
            try
            {
                return new Side(history, server, client, await Api.CreateManyAsync(client, $"0-bench-h{run}c", Clients));
            }
            catch
            {
                client.Dispose();
                server.Dispose();
                throw;
            }
        }

        /// <summary>One turn of the load: the updates made and how long it took, until the server was done with them (any
        /// failed update fails the suite). Work a turn leaves behind (a trim under way, a collection) would otherwise run
        /// in the other side's turn, slowing that one and costing this one nothing: the turn lasts until the server's
        /// threads ran less than <see cref="QuietCpu"/> in a <see cref="QuietWindow"/> (at most <see cref="DrainAtMost"/>).</summary>
        public async Task<(long Updates, TimeSpan Took, TimeSpan Drained)> TakeTurnAsync(int turn)
        {
            var clock = Stopwatch.StartNew();
            var result = await Generator.UpdatesAsync(_client, _names, _revisions, Turn, first: turn % 1_000 * 1_000_000);
            if (result.Errors > 0)
            {
                throw new InvalidOperationException($"{result.Errors} updates failed (history {(History ? "on" : "off")}, turn {turn + 1})");
            }

            var drained = Stopwatch.StartNew();
            for (var ran = CpuMeter.ThreadsRan(Id); drained.Elapsed < DrainAtMost;)
            {
                await Task.Delay(QuietWindow);
                var now = CpuMeter.ThreadsRan(Id);
                if (now - ran < QuietCpu)
                {
                    break;
                }

                ran = now;
            }

            return (result.Ok, clock.Elapsed, drained.Elapsed);
        }

        /// <summary>A measured turn of this side: its updates, time (<paramref name="drained"/> of it after the load) and
        /// CPU.</summary>
        public void Measured(long updates, TimeSpan took, TimeSpan drained, TimeSpan cpu) =>
            (_updates, _measured, _drained, _busyCpu, _turns) = (_updates + updates, _measured + took, _drained + drained, _busyCpu + cpu, _turns + 1);

        /// <summary>A measured turn of the other side: how long it took and what this side spent meanwhile.</summary>
        public void Waited(TimeSpan took, TimeSpan cpu) => (_waited, _idleCpu) = (_waited + took, _idleCpu + cpu);

        public void Dispose()
        {
            _client.Dispose();
            _server.Dispose();
        }

        /// <summary>Updates/s over the side's measured turns, its CPU per update in them (µs), the CPU it spent while the
        /// other side took its measured turns (ms a second), and how long a turn lasted after its load (ms).</summary>
        public sealed record Figures(double PerSecond, double CpuPerUpdate, double IdleCpu, double DrainMs)
        {
            public override string ToString() =>
                $"{PerSecond:0}/s ({CpuPerUpdate:0} µs CPU an update, turns drained in {DrainMs:0} ms, {IdleCpu:0.0} ms/s CPU while idle)";
        }
    }
}