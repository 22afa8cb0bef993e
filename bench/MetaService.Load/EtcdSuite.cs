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
/// (compare the key's mod revision, put the value), through the same dotnet-etcd gRPC client the store uses,
/// with no MetaService logic around it.
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
            await using var etcd = await EtcdCluster.StartAsync(1);
            raw.Add(await RawCasPerSecondAsync(etcd.ClientUrls, settings.Duration));
            using var server = await ServerProcess.StartMetaAsync(Path.Combine(settings.Work, $"etcd-{run}"), "/healthz", "--store", "etcd", "--etcd-endpoints", string.Join(',', etcd.ClientUrls));
            using var client = server.Client();
            var functions = new List<(string, string)>();
            for (var c = 0; c < Clients; c++)
            {
                var name = $"0-bench-e{run}c{c}";
                functions.Add((name, await Api.CreateAsync(client, name)));
            }

            var (shape, revisionId) = await UpdateShapeAsync(etcd.ClientUrls, client, functions[0]);
            functions[0] = (functions[0].Item1, revisionId);
            shaped.Add(await RawShapedPerSecondAsync(etcd.ClientUrls, shape, functions[0].Item1, settings.Duration));
            var warm = await Generator.UpdatesAsync(client, functions, settings.Warmup);
            var current = await Task.WhenAll(functions.Select(async f => (f.Item1, Generator.RevisionId(await Api.GetBytesAsync(client, $"{Api.Functions}/{f.Item1}")))));
            var result = await Generator.UpdatesAsync(client, current, settings.Duration);
            if (result.Errors > 0 || warm.Errors > 0)
            {
                throw new InvalidOperationException($"{result.Errors + warm.Errors} updates failed");
            }

            rates.Add(result.PerSecond);
            Console.WriteLine($"run {run + 1}: raw etcd CAS {raw[^1]:0}/s, raw update-shaped Txn {shaped[^1]:0}/s ({shape.Count} keys, {shape.Sum(k => k.Value.Length)} B), HTTP updates on etcd {result.PerSecond:0}/s p50 {result.P50Ms:0.00} ms p99 {result.P99Ms:0.00} ms");
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
        var writes = new WriteOp.Put[Clients][];
        var revisions = new long[Clients];
        for (var c = 0; c < Clients; c++)
        {
            writes[c] = [.. shape.Select(kv => new WriteOp.Put(Renamed(kv.Key, name, c), kv.Value))];
            revisions[c] = (await store.TxnAsync([], writes[c])).Revision;
        }

        using var stop = new CancellationTokenSource();
        var watchers = watched.Select(prefix => DrainAsync(store, Root + prefix, revisions.Max() + 1, stop.Token)).ToList();
        var clock = Stopwatch.StartNew();
        var done = 0L;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            var key = Renamed(compared.Key, name, c);
            for (var i = 0; i < 1_000_000 && clock.Elapsed < duration; i++)
            {
                var result = await store.TxnAsync([new Compare(key, revisions[c])], writes[c]);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException("a raw update-shaped Txn lost its own key");
                }

                revisions[c] = result.Revision;
                Interlocked.Increment(ref done);
            }
        }));
        var rate = done / clock.Elapsed.TotalSeconds;
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

    /// <summary>16 loops, each swapping its own key: read nothing, compare the mod revision it last wrote.</summary>
    private static async Task<double> RawCasPerSecondAsync(IReadOnlyList<string> endpoints, TimeSpan duration)
    {
        await using var store = new EtcdMetaStore(new EtcdStoreOptions { Endpoints = endpoints }, TimeProvider.System, NullLogger<EtcdMetaStore>.Instance);
        var value = Encoding.UTF8.GetBytes(new string('x', 1024));
        var revisions = new long[Clients];
        for (var c = 0; c < Clients; c++)
        {
            revisions[c] = (await store.TxnAsync([], [new WriteOp.Put($"/raw/{c}", value)])).Revision;
        }

        var clock = Stopwatch.StartNew();
        var done = 0L;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            for (var i = 0; i < 1_000_000 && clock.Elapsed < duration; i++)
            {
                var result = await store.TxnAsync([new Compare($"/raw/{c}", revisions[c])], [new WriteOp.Put($"/raw/{c}", value)]);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException("a raw CAS lost its own key");
                }

                revisions[c] = result.Revision;
                Interlocked.Increment(ref done);
            }
        }));
        return done / clock.Elapsed.TotalSeconds;
    }
}