using System.Diagnostics;
using System.Text;

using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Etcd.Testing;

using Microsoft.Extensions.Logging.Abstractions;

namespace MetaService.Load;

/// <summary>
/// P4: updates per second through HTTP with <c>--store etcd</c> on a single-member etcd at 16 clients, beside
/// the raw compare-and-swap rate of the same etcd at the same concurrency: one etcd <c>Txn</c> per update
/// (compare the key's mod revision, put the value), through dotnet-etcd's generated gRPC client on a plain
/// channel (<see cref="RawEtcd"/>), with no MetaService logic around it: no retries, no batching.
/// </summary>
internal static class EtcdSuite
{
    private const int Clients = 16;

    public static async Task<Table> RunAsync(Settings settings)
    {
        var raw = new List<double>();
        var shaped = new List<double>();
        var rates = new List<double>();
        for (var run = 0; run < settings.Runs; run++)
        {
            // Each measurement gets a fresh member: etcd slows down as its file grows (bbolt's free list), and the
            // measurement that came later would pay for the writes of the earlier ones.
            string rawCpu, shapedCpu;
            await using (var fresh = await EtcdCluster.StartAsync(1))
            {
                var meter = CpuMeter.Start(("etcd", fresh.ProcessIds[0]), ("bench", Environment.ProcessId));
                raw.Add(await RawCasPerSecondAsync(fresh.ClientUrls, settings.Duration));
                rawCpu = meter.PerOperation(raw[^1] * settings.Duration.TotalSeconds);
            }

            await using var etcd = await EtcdCluster.StartAsync(1);
            using var server = await ServerProcess.StartMetaAsync(Path.Combine(settings.Work, $"etcd-{run}"), "/healthz", "--store", "etcd", "--etcd-endpoints", string.Join(',', etcd.ClientUrls));
            using var client = server.Client();
            var functions = await Api.CreateManyAsync(client, $"0-bench-e{run}c", Clients);

            var (shape, revisionId) = await UpdateShapeAsync(etcd.ClientUrls, client, functions[0]);
            functions[0] = (functions[0].Name, revisionId);
            await using (var fresh = await EtcdCluster.StartAsync(1))
            {
                var meter = CpuMeter.Start(("etcd", fresh.ProcessIds[0]), ("bench", Environment.ProcessId));
                shaped.Add(await RawShapedPerSecondAsync(fresh.ClientUrls, shape, functions[0].Name, settings.Duration));
                shapedCpu = meter.PerOperation(shaped[^1] * settings.Duration.TotalSeconds);
            }

            var warm = await Generator.UpdatesAsync(client, functions, settings.Warmup);
            var current = await Api.CurrentAsync(client, functions);
            var httpMeter = CpuMeter.Start(("etcd", etcd.ProcessIds[0]), ("server", server.Id), ("bench", Environment.ProcessId));
            var result = await Generator.UpdatesAsync(client, current, settings.Duration);
            var httpCpu = httpMeter.PerOperation(result.Ok);
            if (result.Errors > 0 || warm.Errors > 0)
            {
                throw new InvalidOperationException($"{result.Errors + warm.Errors} updates failed");
            }

            rates.Add(result.PerSecond);
            Console.WriteLine($"run {run + 1}: raw etcd CAS {raw[^1]:0}/s ({rawCpu} CPU per Txn), raw update-shaped Txn {shaped[^1]:0}/s ({shape.Count} keys, {shape.Sum(k => k.Value.Length)} B; {shapedCpu}), "
                + $"HTTP updates on etcd {result.PerSecond:0}/s p50 {result.P50Ms:0.00} ms p99 {result.P99Ms:0.00} ms ({httpCpu} CPU per update)");
        }

        var ratio = Table.Median(rates.Zip(raw, (r, b) => r / b));
        var table = new Table($"P4 updates on a single-member etcd, {Clients} clients, median of {settings.Runs} × {settings.Seconds} s");
        table.Add("P4", "updates/s through HTTP, --store etcd", Table.Rate(Table.Median(rates)), Table.Rate(Table.Median(raw)) + " raw etcd CAS (one Txn per update)", Table.Ratio(ratio) + " (median of per-run ratios)", "≥ 0.80×", Table.Met(ratio >= 0.8));
        var ofShaped = Table.Median(rates.Zip(shaped, (r, b) => r / b));
        var shapedOfRaw = Table.Median(shaped.Zip(raw, (s, b) => s / b));
        table.Add("P4′", "the same updates/s, beside the etcd work an update is", Table.Rate(Table.Median(rates)),
            Table.Rate(Table.Median(shaped)) + $" raw update-shaped Txn + watcher ({shapedOfRaw:0.00}× of the CAS)", Table.Ratio(ofShaped) + " (median of per-run ratios)", "context", "—");
        return table;
    }

    /// <summary>The keys and values one HTTP update of <paramref name="function"/> writes, read back from etcd: every
    /// key whose mod revision is that of the update (nothing else writes meanwhile); and the function's new revisionId.</summary>
    private static async Task<(List<KeyValue> Shape, string RevisionId)> UpdateShapeAsync(IReadOnlyList<string> endpoints, HttpClient client, (string Name, string RevisionId) function)
    {
        using var response = await client.PutAsync(new Uri($"{Api.Functions}/{function.Name}", UriKind.Relative), new StringContent(Samples.UpdateBody(function.RevisionId, 0)));
        response.EnsureSuccessStatusCode();
        var revisionId = Generator.RevisionId(await response.Content.ReadAsByteArrayAsync());
        await using var store = new EtcdMetaStore(new EtcdStoreOptions { Endpoints = endpoints }, TimeProvider.System, NullLogger<EtcdMetaStore>.Instance);
        var all = await store.RangeAsync("/");
        var written = all.Items.Where(kv => kv.ModRevision == all.Revision).ToList();
        if (written.Count == 0 || !written.Exists(kv => kv.Key.Contains(function.Name, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("the update's keys were not found in etcd");
        }

        return (written, revisionId);
    }

    /// <summary>
    /// What etcd does for an update with no MetaService around it, at the same concurrency: 16 loops, each writing
    /// the update's keys (below <c>/rawshape</c>, the function's name made the loop's own; values of the same bytes)
    /// in one Txn that compares the record's mod revision, while one watcher per cached prefix follows the copies of
    /// that prefix (the server's view watches its cached prefixes, so etcd sends it every record it writes).
    /// </summary>
    private static async Task<double> RawShapedPerSecondAsync(IReadOnlyList<string> endpoints, List<KeyValue> shape, string name, TimeSpan duration)
    {
        await using var store = new EtcdMetaStore(new EtcdStoreOptions { Endpoints = endpoints }, TimeProvider.System, NullLogger<EtcdMetaStore>.Instance);
        var watched = new WatchedViewOptions().CachedPrefixes;
        var compared = shape.Find(kv => watched.Any(p => kv.Key.StartsWith(p, StringComparison.Ordinal))) ?? shape[0];
        var loops = Enumerable.Range(0, Clients)
            .Select(c => (Renamed(compared.Key, name, c), shape.Select(kv => (Renamed(kv.Key, name, c), kv.Value)).ToArray()))
            .ToArray();
        using var stop = new CancellationTokenSource();
        var from = await store.GetRevisionAsync() + 1;
        var watchers = watched.Select(prefix => DrainAsync(store, Root + prefix, from, stop.Token)).ToList();
        var rate = await SwapLoopsAsync(endpoints, loops, duration);
        await stop.CancelAsync();
        await Task.WhenAll(watchers);
        return rate;
    }

    private const string Root = "/rawshape";

    private static string Renamed(string key, string name, int loop) => Root + key.Replace(name, $"{name}-raw{loop}", StringComparison.Ordinal);

    /// <summary>One watch of <paramref name="prefix"/>, its changes read and dropped.</summary>
    private static async Task DrainAsync(EtcdMetaStore store, string prefix, long from, CancellationToken stop)
    {
        try
        {
            await foreach (var change in store.WatchAsync(prefix, from, stop))
            {
                GC.KeepAlive(change);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>16 loops, each swapping its own 1 KB key: read nothing, compare the mod revision it last wrote.</summary>
    private static Task<double> RawCasPerSecondAsync(IReadOnlyList<string> endpoints, TimeSpan duration)
    {
        var value = Encoding.UTF8.GetBytes(new string('x', 1024));
        return SwapLoopsAsync(endpoints, [.. Enumerable.Range(0, Clients).Select(c => ($"/raw/{c}", new[] { ($"/raw/{c}", value) }))], duration);
    }

    /// <summary>One loop per entry of <paramref name="loops"/>, each writing its puts in one Txn per turn that compares
    /// its key's mod revision with the one it last wrote, through <see cref="RawEtcd"/>; Txns per second.</summary>
    private static async Task<double> SwapLoopsAsync(IReadOnlyList<string> endpoints, (string Compared, (string Key, byte[] Value)[] Puts)[] loops, TimeSpan duration)
    {
        using var raw = new RawEtcd(endpoints[0]);
        var revisions = new long[loops.Length];
        for (var c = 0; c < loops.Length; c++)
        {
            revisions[c] = await raw.SwapAsync(null, 0, loops[c].Puts) ?? throw new InvalidOperationException("an unconditional Txn failed");
        }

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
        return done / clock.Elapsed.TotalSeconds;
    }
}