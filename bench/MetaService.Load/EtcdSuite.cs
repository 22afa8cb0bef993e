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

            var warm = await Generator.UpdatesAsync(client, functions, settings.Warmup);
            var current = await Task.WhenAll(functions.Select(async f => (f.Item1, Generator.RevisionId(await Api.GetBytesAsync(client, $"{Api.Functions}/{f.Item1}")))));
            var result = await Generator.UpdatesAsync(client, current, settings.Duration);
            if (result.Errors > 0 || warm.Errors > 0)
            {
                throw new InvalidOperationException($"{result.Errors + warm.Errors} updates failed");
            }

            rates.Add(result.PerSecond);
            Console.WriteLine($"run {run + 1}: raw etcd CAS {raw[^1]:0}/s, HTTP updates on etcd {result.PerSecond:0}/s p50 {result.P50Ms:0.00} ms p99 {result.P99Ms:0.00} ms");
        }

        var ratio = Table.Median(rates.Zip(raw, (r, b) => r / b));
        var table = new Table($"P4 updates on a single-member etcd, {Clients} clients, median of {settings.Runs} × {settings.Seconds} s");
        table.Add("P4", "updates/s through HTTP, --store etcd", Table.Rate(Table.Median(rates)), Table.Rate(Table.Median(raw)) + " raw etcd CAS (one Txn per update)", Table.Ratio(ratio) + " (median of per-run ratios)", "≥ 0.80×", Table.Met(ratio >= 0.8));
        return table;
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