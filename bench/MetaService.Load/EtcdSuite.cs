using System.Diagnostics;
using System.Text;

using MetaService.Etcd;
using MetaService.Etcd.Testing;

using Microsoft.Extensions.Logging.Abstractions;

namespace MetaService.Load;

/// <summary>
/// P4: updates per second through HTTP with <c>--store etcd</c> on a single-member etcd at 16 clients, beside
/// the raw compare-and-swap rate of the same etcd at the same concurrency: one etcd <c>Txn</c> per update
/// (compare the key's mod revision, put the value), through dotnet-etcd's generated gRPC client on a plain
/// channel (<see cref="RawEtcd"/>), with no MetaService logic around it: no retries, no batching. For context, the
/// same load on the same etcd work without MetaService: raw Txns of the update's keys and bytes (P4′), and the
/// plainest ASP.NET Core server forwarding each update to etcd, alone and with the store's group commit
/// (<see cref="UpdateProxy"/>: P4″, P4‴).
/// </summary>
internal static class EtcdSuite
{
    private const int Clients = 16;

    public static async Task<Table> RunAsync(Settings settings)
    {
        var raw = new List<double>();
        var shaped = new List<double>();
        var proxied = new List<double>();
        var grouped = new List<double>();
        var rates = new List<double>();
        for (var run = 0; run < settings.Runs; run++)
        {
            // Each measurement gets a fresh member: etcd slows down as its file grows (bbolt's free list), and the
            // measurement that came later would pay for the writes of the earlier ones.
            string rawCpu, shapedCpu;
            await using (var fresh = await EtcdCluster.StartAsync(1))
            {
                (var rate, rawCpu) = await RawCasPerSecondAsync(fresh, settings);
                raw.Add(rate);
            }

            await using var etcd = await EtcdCluster.StartAsync(1);
            using var server = await ServerProcess.StartMetaAsync(Path.Combine(settings.Work, $"etcd-{run}"), "/healthz", "--store", "etcd", "--etcd-endpoints", string.Join(',', etcd.ClientUrls));
            using var client = server.Client();
            var functions = await Api.CreateManyAsync(client, $"0-bench-e{run}c", Clients);

            var (shape, revisionId) = await UpdateShapeAsync(etcd.ClientUrls, client, functions[0]);
            functions[0] = (functions[0].Name, revisionId);
            await using (var fresh = await EtcdCluster.StartAsync(1))
            {
                (var rate, shapedCpu) = await RawShapedPerSecondAsync(fresh, shape, settings);
                shaped.Add(rate);
            }

            var shapeFile = Path.Combine(settings.Work, $"update-shape-{run}.txt");
            shape.Write(shapeFile);
            var (plain, plainCpu) = await ProxyAsync(settings, shapeFile, functions);
            var (batched, batchedCpu) = await ProxyAsync(settings, shapeFile, functions, "--group-commit");
            proxied.Add(plain);
            grouped.Add(batched);

            var (result, meter) = await Generator.MeasuredUpdatesAsync(client, functions, settings, ("etcd", etcd.ProcessIds[0]), ("server", server.Id), ("bench", Environment.ProcessId));
            var httpCpu = meter.PerOperation(result.Ok);
            rates.Add(result.PerSecond);
            Console.WriteLine($"run {run + 1}: raw etcd CAS {raw[^1]:0}/s ({rawCpu} CPU per Txn), raw update-shaped Txn {shaped[^1]:0}/s ({shape.Written.Count} keys, {shape.Written.Sum(k => k.Value.Length)} B; {shapedCpu}), "
                + $"plain proxy {plain:0}/s ({plainCpu}), with group commit {batched:0}/s ({batchedCpu}), HTTP updates on etcd {result.PerSecond:0}/s p50 {result.P50Ms:0.00} ms p99 {result.P99Ms:0.00} ms ({httpCpu} CPU per update)");
        }

        var ratio = Table.Median(rates.Zip(raw, (r, b) => r / b));
        var table = new Table($"P4 updates on a single-member etcd, {Clients} clients, median of {settings.Runs} × {settings.Seconds} s");
        table.Add("P4", "updates/s through HTTP, --store etcd", Table.Rate(Table.Median(rates)), Table.Rate(Table.Median(raw)) + " raw etcd CAS (one Txn per update)", Table.Ratio(ratio) + " (median of per-run ratios)", "≥ 0.80×", Table.Met(ratio >= 0.8));
        var ofShaped = Table.Median(rates.Zip(shaped, (r, b) => r / b));
        var shapedOfRaw = Table.Median(shaped.Zip(raw, (s, b) => s / b));
        table.Add("P4′", "the same updates/s, beside the etcd work an update is", Table.Rate(Table.Median(rates)),
            Table.Rate(Table.Median(shaped)) + $" raw update-shaped Txn + watcher ({shapedOfRaw:0.00}× of the CAS)", Table.Ratio(ofShaped) + " (median of per-run ratios)", "context", "—");
        var ofProxy = Table.Median(rates.Zip(proxied, (r, b) => r / b));
        var proxyOfRaw = Table.Median(proxied.Zip(raw, (p, b) => p / b));
        table.Add("P4″", "the same updates/s, beside the plainest server of the stack", Table.Rate(Table.Median(rates)),
            Table.Rate(Table.Median(proxied)) + $" ASP.NET Core forwarding each update as one Txn + watcher ({proxyOfRaw:0.00}× of the CAS)", Table.Ratio(ofProxy) + " (median of per-run ratios)", "context", "—");
        var ofGrouped = Table.Median(rates.Zip(grouped, (r, b) => r / b));
        var groupedOfRaw = Table.Median(grouped.Zip(raw, (p, b) => p / b));
        table.Add("P4‴", "the same updates/s, beside that server with MetaService's group commit", Table.Rate(Table.Median(rates)),
            Table.Rate(Table.Median(grouped)) + $" the same, its Txns through the etcd store's batching ({groupedOfRaw:0.00}× of the CAS)", Table.Ratio(ofGrouped) + " (median of per-run ratios)", "context", "—");
        return table;
    }

    /// <summary>The update load of the suite on <see cref="UpdateProxy"/> (given <paramref name="options"/>), on a
    /// fresh member: updates per second, and the CPU each process spent per update.</summary>
    private static async Task<(double PerSecond, string Cpu)> ProxyAsync(Settings settings, string shapeFile, IEnumerable<(string Name, string RevisionId)> functions, params string[] options)
    {
        await using var fresh = await EtcdCluster.StartAsync(1);
        return await UpdateProxy.MeasureAsync(settings, shapeFile, functions, ["--etcd", fresh.ClientUrls[0], .. options], ("etcd", fresh.ProcessIds[0]));
    }

    /// <summary>What one HTTP update of <paramref name="function"/> wrote to etcd, read back: every key whose mod
    /// revision is that of the update (nothing else writes meanwhile), and the answer; and the function's new revisionId.</summary>
    private static async Task<(UpdateProxy.Shape Shape, string RevisionId)> UpdateShapeAsync(IReadOnlyList<string> endpoints, HttpClient client, (string Name, string RevisionId) function)
    {
        var (answer, revisionId) = await UpdateProxy.Shape.UpdateOnceAsync(client, function);
        await using var store = new EtcdMetaStore(new EtcdStoreOptions { Endpoints = endpoints }, TimeProvider.System, NullLogger<EtcdMetaStore>.Instance);
        return (UpdateProxy.Shape.Of(function.Name, answer, await store.RangeAsync("/")), revisionId);
    }

    /// <summary>
    /// What etcd does for an update with no MetaService around it, at the same concurrency: 16 loops, each writing
    /// the update's keys (below <c>/rawshape</c>, the function's name made the loop's own; values of the same bytes)
    /// in one Txn that compares the record's mod revision, while one watcher per prefix a server watches follows the
    /// copies of that prefix (the server's catalog watches the records, so etcd sends it every record it writes, and its
    /// view watches the prefixes it caches).
    /// </summary>
    private static async Task<(double PerSecond, string Cpu)> RawShapedPerSecondAsync(EtcdCluster etcd, UpdateProxy.Shape shape, Settings settings)
    {
        await using var store = new EtcdMetaStore(new EtcdStoreOptions { Endpoints = etcd.ClientUrls }, TimeProvider.System, NullLogger<EtcdMetaStore>.Instance);
        var loops = Enumerable.Range(0, Clients)
            .Select(c => $"{shape.Name}-raw{c}")
            .Select(name => (Root + shape.Compared(name), shape.Puts(name).Select(put => (Root + put.Key, put.Value)).ToArray()))
            .ToArray();
        using var stop = new CancellationTokenSource();
        var watchers = UpdateProxy.Watchers(store, Root, UpdateProxy.WatchedPrefixes(), await store.GetRevisionAsync() + 1, stop.Token);
        var measured = await SwapLoopsAsync(etcd, loops, settings);
        await stop.CancelAsync();
        await Task.WhenAll(watchers);
        return measured;
    }

    private const string Root = "/rawshape";

    /// <summary>16 loops, each swapping its own 1 KB key: read nothing, compare the mod revision it last wrote.</summary>
    private static Task<(double PerSecond, string Cpu)> RawCasPerSecondAsync(EtcdCluster etcd, Settings settings)
    {
        var value = Encoding.UTF8.GetBytes(new string('x', 1024));
        return SwapLoopsAsync(etcd, [.. Enumerable.Range(0, Clients).Select(c => ($"/raw/{c}", new[] { ($"/raw/{c}", value) }))], settings);
    }

    /// <summary>One loop per entry of <paramref name="loops"/>, each writing its puts in one Txn per turn that compares
    /// its key's mod revision with the one it last wrote, through <see cref="RawEtcd"/>: --warmup s of it (as the HTTP
    /// loads get: the client's gRPC path is compiled meanwhile), then --seconds s measured; Txns per second, and the CPU
    /// etcd and this process spent per Txn.</summary>
    private static async Task<(double PerSecond, string Cpu)> SwapLoopsAsync(EtcdCluster etcd, (string Compared, (string Key, byte[] Value)[] Puts)[] loops, Settings settings)
    {
        using var raw = new RawEtcd(etcd.ClientUrls[0]);
        var revisions = new long[loops.Length];
        for (var c = 0; c < loops.Length; c++)
        {
            revisions[c] = await raw.SwapAsync(null, 0, loops[c].Puts) ?? throw new InvalidOperationException("an unconditional Txn failed");
        }

        async Task<(long Done, TimeSpan Took)> LoopAsync(TimeSpan duration)
        {
            var clock = Stopwatch.StartNew();
            var done = 0L;
            await Task.WhenAll(loops.Select(async (loop, c) =>
            {
                for (var i = 0; i < 1_000_000 && clock.Elapsed < duration; i++)
                {
                    revisions[c] = await raw.SwapAsync(loop.Compared, revisions[c], loop.Puts) ?? throw new InvalidOperationException("a raw Txn lost its own key");
                    Interlocked.Increment(ref done);
                }
            }));
            return (done, clock.Elapsed);
        }

        await LoopAsync(settings.Warmup);
        var meter = CpuMeter.Start(("etcd", etcd.ProcessIds[0]), ("bench", Environment.ProcessId));
        var (measured, took) = await LoopAsync(settings.Duration);
        return (measured / took.TotalSeconds, meter.PerOperation(measured));
    }
}