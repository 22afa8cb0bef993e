using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace MetaService.Load;

/// <summary>
/// W1: <c>--watchers</c> (1,000) watches of the whole tenant on one server while one writer updates 10 functions at
/// <c>--rate</c> (100) updates/s for <see cref="Settings.Seconds"/>: the time from each update's answer to each watcher's
/// receipt of its event (p50, p99; an event that arrives before its writer has read the answer counts 0), and events lost
/// or repeated; beside the same with one watcher (same run). W2: <c>--idle</c> (10,000) idle watches, each of one function:
/// the server's RSS added per watcher, beside its RSS before. Every server is fresh; the client runs on the same machine
/// against 127.0.0.1; every wait is bounded.
/// </summary>
internal static class WatchSuite
{
    private const int Functions = 10;
    private const string WatchPath = "/serverless/v1/watch";
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(30);

    public static async Task<Table> RunAsync(Settings settings, string[] args)
    {
        var watchers = Entry.Number(args, "--watchers", 1000);
        var idle = Entry.Number(args, "--idle", 10000);
        var rate = Entry.Number(args, "--rate", 100);
        var ones = new List<Delivery>();
        var many = new List<Delivery>();
        var perWatcher = new List<double>();
        var before = new List<double>();
        for (var run = 0; run < settings.Runs; run++)
        {
            ones.Add(await DeliveryAsync(settings, 1, rate, run));
            many.Add(await DeliveryAsync(settings, watchers, rate, run));
            var (idleBefore, added) = await IdleAsync(settings, idle, run);
            before.Add(idleBefore);
            perWatcher.Add(added);
        }

        var p99 = Table.Median(many.Select(d => d.P99Ms));
        var lost = many.Sum(d => d.Lost);
        var repeated = many.Sum(d => d.Repeated);
        var kb = Table.Median(perWatcher);
        var paced = Table.Median(many.Select(d => d.Rate));
        var table = new Table($"watch, one server, median of {settings.Runs} runs");
        table.Add("W1", $"{watchers} watchers of the tenant, {rate} updates/s for {settings.Seconds} s: update answer → receipt p99 (p50)",
            $"{Table.Ms(p99)} ({Table.Ms(Table.Median(many.Select(d => d.P50Ms)))}); {lost} lost, {repeated} repeated; writes kept {paced:0}/s",
            $"{Table.Ms(Table.Median(ones.Select(d => d.P99Ms)))} with 1 watcher", Table.Ratio(p99 / Math.Max(Table.Median(ones.Select(d => d.P99Ms)), 0.001)),
            "≤ 100 ms, 0 lost or repeated, at the rate", Table.Met(p99 <= 100 && lost == 0 && repeated == 0 && paced >= rate * 0.95));
        table.Add("W2", $"{idle} idle watchers of one function each: server RSS added per watcher", $"{kb:0.0} KB",
            $"{Table.Median(before):0} MiB before", "—", "≤ 64 KB", Table.Met(kb <= 64));
        return table;
    }

    private sealed record Delivery(double P50Ms, double P99Ms, long Lost, long Repeated, double Rate);

    /// <summary>W1 on a fresh server: watchers connect, then the paced writer runs, then every watcher is awaited
    /// (bounded) for every event.</summary>
    private static async Task<Delivery> DeliveryAsync(Settings settings, int watchers, int rate, int run)
    {
        var directory = Path.Combine(settings.Work, $"watch-w1-{watchers}-{run}");
        Fresh(directory);
        using var server = await ServerProcess.StartMetaAsync(directory, "/healthz", ServerProcess.Unlimited);
        using var client = Client(server.Address);
        var functions = await Api.CreateManyAsync(client, "0-bench-w", Functions);
        var updates = rate * settings.Seconds;
        var answered = new long[updates];
        var receipts = new long[watchers][];
        using var stop = new CancellationTokenSource();
        var opened = new List<Task<Stream>>();
        for (var w = 0; w < watchers; w++)
        {
            opened.Add(OpenAsync(client, WatchPath, stop.Token));
        }

        var streams = await Task.WhenAll(opened);
        var readers = streams.Select((stream, w) => ReadAsync(stream, receipts[w] = new long[updates], updates, stop.Token)).ToList();
        var repeated = 0L;
        var revisions = functions.Select(f => f.RevisionId).ToArray();
        // One paced writer per function, so a slow answer delays only its own function's next update and the tenant
        // still sees --rate updates/s (as many in flight as there are functions). The warm-up's updates are numbered
        // from `updates` on, which the readers skip: the figure is the server's steady state, not its JIT.
        async Task PacedAsync(int first, int count)
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Functions).Select(f => Task.Run(async () =>
            {
                for (var n = f; n < count; n += Functions)
                {
                    var due = TimeSpan.FromSeconds((double)n / rate) - clock.Elapsed;
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due);
                    }

                    var i = first + n;
                    using var response = await client.PutAsync(new Uri($"{Api.Functions}/{functions[f].Name}", UriKind.Relative),
                        new StringContent(Samples.UpdateBody(revisions[f], i), Encoding.UTF8, "application/json"));
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (i < updates)
                    {
                        answered[i] = Stopwatch.GetTimestamp();
                    }

                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"update {i} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
                    }

                    revisions[f] = Generator.RevisionId(body);
                }
            })));
        }

        await PacedAsync(updates, rate * settings.WarmupSeconds);
        var clock = Stopwatch.StartNew();
        await PacedAsync(0, updates);
        var achieved = updates / clock.Elapsed.TotalSeconds;

        foreach (var reader in readers)
        {
            repeated += await reader.WaitAsync(Drain).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : 0, TaskScheduler.Default);
        }

        await stop.CancelAsync();
        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }

        var latencies = new List<double>(watchers * updates);
        var lost = 0L;
        foreach (var mine in receipts)
        {
            for (var i = 0; i < updates; i++)
            {
                if (mine[i] == 0)
                {
                    lost++;
                    continue;
                }

                latencies.Add(Math.Max(0, (mine[i] - answered[i]) * 1000.0 / Stopwatch.Frequency));
            }
        }

        var sorted = Generator.Sorted(latencies);
        var delivery = new Delivery(Generator.Percentile(sorted, 0.5), Generator.Percentile(sorted, 0.99), lost, repeated, achieved);
        Console.WriteLine($"W1 run {run}: {watchers} watchers, {updates} updates in {updates / achieved:0.0} s ({achieved:0}/s); p50 {delivery.P50Ms:0.00} ms, p99 {delivery.P99Ms:0.00} ms, {lost} lost, {repeated} repeated");
        return delivery;
    }

    /// <summary>W2 on a fresh server: RSS before, then with every idle watcher connected (5 s settled).</summary>
    private static async Task<(double BeforeMib, double AddedKb)> IdleAsync(Settings settings, int watchers, int run)
    {
        var directory = Path.Combine(settings.Work, $"watch-w2-{run}");
        Fresh(directory);
        using var server = await ServerProcess.StartMetaAsync(directory, "/healthz", ServerProcess.Unlimited);
        using var client = Client(server.Address);
        var functions = await Api.CreateManyAsync(client, "0-bench-w", Functions);
        using var stop = new CancellationTokenSource();
        await using (await OpenAsync(client, $"{WatchPath}?name={functions[0].Name}", stop.Token))
        {
        }

        await Task.Delay(TimeSpan.FromSeconds(5));
        var before = RssBytes(server.Id);
        var streams = new List<Stream>(watchers);
        for (var w = 0; w < watchers; w += 200)
        {
            streams.AddRange(await Task.WhenAll(Enumerable.Range(w, Math.Min(200, watchers - w)).Select(i => OpenAsync(client, $"{WatchPath}?name={functions[i % Functions].Name}", stop.Token))));
        }

        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = RssBytes(server.Id);
        await stop.CancelAsync();
        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }

        var added = (after - before) / 1024.0 / watchers;
        Console.WriteLine($"W2 run {run}: RSS {before / 1048576.0:0} MiB before, {after / 1048576.0:0} MiB with {watchers} idle watchers: {added:0.0} KB each");
        return (before / 1048576.0, added);
    }

    private static HttpClient Client(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>A watch's body, once its opening comment has arrived (the server then follows the store for it).</summary>
    private static async Task<Stream> OpenAsync(HttpClient client, string path, CancellationToken stop)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, stop);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync(stop);
        var first = new byte[1];
        if (await stream.ReadAsync(first, stop) != 1)
        {
            throw new InvalidOperationException("a watch ended before its first line");
        }

        return stream;
    }

    /// <summary>Reads events until every update has arrived: the receipt time of each (by the number in its description);
    /// how many arrived twice.</summary>
    private static async Task<long> ReadAsync(Stream stream, long[] receipts, int updates, CancellationToken stop)
    {
        using var reader = new StreamReader(stream, leaveOpen: true);
        var received = 0;
        var repeated = 0L;
        const string Marker = "\"description\":\"update ";
        while (received < updates && await reader.ReadLineAsync(stop) is { } line)
        {
            var at = line.StartsWith("data:", StringComparison.Ordinal) ? line.IndexOf(Marker, StringComparison.Ordinal) : -1;
            if (at < 0)
            {
                continue;
            }

            var start = at + Marker.Length;
            var end = line.IndexOf('"', start);
            if (!int.TryParse(line.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= updates)
            {
                continue;
            }

            if (receipts[i] != 0)
            {
                repeated++;
                continue;
            }

            receipts[i] = Stopwatch.GetTimestamp();
            received++;
        }

        return repeated;
    }

    private static long RssBytes(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024).Single();

    private static void Fresh(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
    }
}