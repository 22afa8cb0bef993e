using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace MetaService.Load;

/// <summary>
/// M1: the server's RSS while 8 clients read the whole list (<c>pageSize=100000</c>) again and again and 20 more read
/// the same list at 2 KB/s, against its idle RSS after start-up and a warm-up, and again 30 s after the clients stop.
/// M2: the server's CPU time per <c>/metrics</c> scrape, beside its CPU time per <c>GET /healthz</c>. Both on the
/// largest seeded data set (one tenant).
/// </summary>
internal static class MemorySuite
{
    private const string ReadyPath = Api.Functions + "/0-bench-fn000000";
    private const string ListPath = Api.Functions + "?pageSize=100000";
    private const int FastClients = 8;
    private const int SlowClients = 20;
    private const int SlowBytesPerSecond = 2048;
    private const int Scrapes = 1000;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Sampling = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ScrapeBudget = TimeSpan.FromSeconds(60);

    public static async Task<Table> RunAsync(Settings settings)
    {
        var size = settings.Sizes.Max();
        var directory = await Seeder.EnsureAsync(settings.Work, size, Console.Out);
        var loads = new List<Load>();
        var scrapes = new List<(double Scrape, double Health, double WallP50, int Count)>();
        for (var run = 0; run < settings.Runs; run++)
        {
            loads.Add(await ListLoadAsync(directory, settings));
            scrapes.Add(await ScrapesAsync(directory));
        }

        var idle = Table.Median(loads.Select(l => l.IdleMib));
        var during = Table.Median(loads.Select(l => l.MaxMib / l.IdleMib));
        var after = Table.Median(loads.Select(l => l.AfterMib / l.IdleMib));
        var scrape = Table.Median(scrapes.Select(s => s.Scrape));
        var health = Table.Median(scrapes.Select(s => s.Health));
        var table = new Table($"memory, {size} functions in one tenant, median of {settings.Runs} runs");
        table.Add("M1", $"max RSS while {FastClients} clients list pageSize=100000 and {SlowClients} read it at 2 KB/s ({settings.Seconds} s)", $"{Table.Median(loads.Select(l => l.MaxMib)):0} MiB", $"{idle:0} MiB idle after start-up and warm-up ({Table.Median(loads.Select(l => l.StartedMib)):0} MiB before the warm-up)", Table.Ratio(during), "≤ 2×", Table.Met(during <= 2));
        table.Add("M1", $"RSS {Settle.TotalSeconds:0} s after the clients stopped", $"{Table.Median(loads.Select(l => l.AfterMib)):0} MiB", $"{idle:0} MiB idle", Table.Ratio(after), "≤ 1.2× (back within 20 %)", Table.Met(after <= 1.2));
        table.Add("M1", "whole lists completed during the load / their p50 / MiB/s read by the fast clients", $"{Table.Median(loads.Select(l => (double)l.Lists)):0} / {(loads.All(l => l.Lists == 0) ? "—" : Table.Ms(Table.Median(loads.Where(l => l.Lists > 0).Select(l => l.ListP50Ms))))} / {Table.Median(loads.Select(l => l.MibPerSecond)):0.0}", "—", $"server CPU {Table.Median(loads.Select(l => l.Cores)):0.00} cores", "—", "—");
        table.Add("M2", "server CPU per /metrics scrape", Table.Ms(scrape) + $" (p50 wall {Table.Ms(Table.Median(scrapes.Select(s => s.WallP50)))}, {Table.Median(scrapes.Select(s => (double)s.Count)):0} scrapes)", Table.Ms(health) + " per GET /healthz", Table.Ratio(scrape / health), "≤ 5 ms", Table.Met(scrape <= 5));
        return table;
    }

    /// <summary>M1 on a freshly started server.</summary>
    private static async Task<Load> ListLoadAsync(string directory, Settings settings)
    {
        using var server = await ServerProcess.StartMetaAsync(directory, ReadyPath);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
        var started = Rss.Of(server.Id);

        // Warm-up: whole lists one at a time, so that the code is compiled and the answers are rendered once.
        var warm = Stopwatch.StartNew();
        var warmLists = 0;
        for (; warmLists < 20 && (warmLists < 1 || warm.Elapsed < settings.Warmup); warmLists++)
        {
            await ReadListAsync(client, new StrongBox<long>(), CancellationToken.None);
        }

        var warmSeconds = warm.Elapsed.TotalSeconds;

        await Task.Delay(TimeSpan.FromSeconds(5));
        var idle = Rss.Of(server.Id);

        var lists = new List<double>[FastClients];
        var bytes = new StrongBox<long>();
        using var stop = new CancellationTokenSource(settings.Duration);
        var cpu = CpuMeter.Start(("server", server.Id));
        var clock = Stopwatch.StartNew();
        var fast = Enumerable.Range(0, FastClients).Select(c => FastClientAsync(client, lists[c] = [], bytes, stop.Token));
        var slow = Enumerable.Range(0, SlowClients).Select(_ => SlowClientAsync(server.Address, stop.Token));
        var clients = Task.WhenAll([.. fast, .. slow]);
        var during = new List<Rss>();
        for (var i = 0; i < (settings.Seconds * 2) + 20 && !clients.IsCompleted; i++)
        {
            await Task.WhenAny(clients, Task.Delay(Sampling));
            during.Add(Rss.Of(server.Id));
        }

        await clients;
        var seconds = clock.Elapsed.TotalSeconds;
        cpu.Stop();

        var settling = Stopwatch.StartNew();
        var curve = new List<(double At, Rss Rss)>();
        while (settling.Elapsed < Settle && curve.Count < 1000)
        {
            await Task.Delay(Sampling);
            curve.Add((settling.Elapsed.TotalSeconds, Rss.Of(server.Id)));
        }

        var after = curve[^1].Rss;
        var max = during.MaxBy(r => r.Total)!;
        var done = Generator.Sorted(lists.SelectMany(l => l));
        var load = new Load(started.Mib, idle.Mib, max.Mib, after.Mib, done.Count, Generator.Percentile(done, 0.5), Interlocked.Read(ref bytes.Value) / 1048576.0 / seconds, cpu.MicrosecondsPer(1)[0] / 1e6 / seconds);
        Console.WriteLine($"M1: RSS after start-up {started}; idle after warm-up ({warmLists} whole lists in {warmSeconds:0.0} s, then 5 s) {idle}; max during {max}; {Settle.TotalSeconds:0} s after {after}");
        Console.WriteLine("    RSS while settling (s: MiB): " + string.Join(", ", curve.Where((_, i) => i % 10 == 9).Select(p => $"{p.At:0}: {p.Rss.Mib:0}")));
        Console.WriteLine($"    {load.Lists} whole lists in {seconds:0.0} s, p50 {load.ListP50Ms:0} ms, {load.MibPerSecond:0.0} MiB/s to the fast clients; server CPU {load.Cores:0.00} cores");
        return load;
    }

    /// <summary>One of the fast clients: whole lists, one after the other, each body read to its end; latency of each
    /// list completed before <paramref name="stop"/>.</summary>
    private static async Task FastClientAsync(HttpClient client, List<double> latencies, StrongBox<long> bytes, CancellationToken stop)
    {
        for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                await ReadListAsync(client, bytes, stop);
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Reads the whole list into a small buffer that is overwritten (the client keeps none of it), adding what
    /// it reads to <paramref name="bytes"/> as it goes.</summary>
    private static async Task ReadListAsync(HttpClient client, StrongBox<long> bytes, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(ListPath, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {ListPath} answered {(int)response.StatusCode}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[64 * 1024];
        for (var read = await body.ReadAsync(buffer, cancellationToken); read > 0; read = await body.ReadAsync(buffer, cancellationToken))
        {
            Interlocked.Add(ref bytes.Value, read);
        }
    }

    /// <summary>One of the slow clients: the list over a raw socket with a small receive buffer, read 1 KB at a time at
    /// <see cref="SlowBytesPerSecond"/>, until <paramref name="stop"/> (then the connection is dropped).</summary>
    private static async Task SlowClientAsync(Uri address, CancellationToken stop)
    {
        var request = Encoding.ASCII.GetBytes($"GET {ListPath} HTTP/1.1\r\nHost: {address.Authority}\r\nConnection: close\r\n\r\n");
        var buffer = new byte[1024];
        try
        {
            for (var connection = 0; connection < 100 && !stop.IsCancellationRequested; connection++)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, address.Port), stop);
                await socket.SendAsync(request, SocketFlags.None, stop);
                var clock = Stopwatch.StartNew();
                var read = 0L;
                for (var n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop); n > 0; n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop))
                {
                    read += n;
                    var ahead = TimeSpan.FromSeconds((double)read / SlowBytesPerSecond) - clock.Elapsed;
                    if (ahead > TimeSpan.Zero)
                    {
                        await Task.Delay(ahead, stop);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>M2 on a freshly started server: the server's CPU time over <see cref="Scrapes"/> sequential scrapes
    /// (and as many GET /healthz, the HTTP cost alone), each at most <see cref="ScrapeBudget"/>; ms per request. Many
    /// requests, because procfs counts CPU time in 10 ms ticks.</summary>
    private static async Task<(double Scrape, double Health, double WallP50, int Count)> ScrapesAsync(string directory)
    {
        using var server = await ServerProcess.StartMetaAsync(directory, ReadyPath);
        using var client = server.Client();
        await Generator.SequentialAsync(client, "/healthz", 200, TimeSpan.FromSeconds(10));
        await Generator.SequentialAsync(client, "/metrics", 20, TimeSpan.FromSeconds(20));
        var bytes = (await Api.GetBytesAsync(client, "/metrics")).Length;

        // A pause first: what the start-up and the warm-up left running (compilation, a collection) is not counted.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var meter = CpuMeter.Start(("server", server.Id));
        var health = await Generator.SequentialAsync(client, "/healthz", Scrapes, ScrapeBudget);
        var healthMs = meter.Stop().MicrosecondsPer(health.Count)[0] / 1000;
        meter = CpuMeter.Start(("server", server.Id));
        var scrapes = await Generator.SequentialAsync(client, "/metrics", Scrapes, ScrapeBudget);
        var scrapeMs = meter.Stop().MicrosecondsPer(scrapes.Count)[0] / 1000;
        var wall = Generator.Percentile(Generator.Sorted(scrapes), 0.5);
        Console.WriteLine($"M2: {scrapes.Count} scrapes ({bytes} B each): {scrapeMs:0.000} ms CPU each, p50 wall {wall:0.00} ms; "
            + $"{health.Count} GET /healthz: {healthMs:0.000} ms CPU each, p50 wall {Generator.Percentile(Generator.Sorted(health), 0.5):0.00} ms");
        return (scrapeMs, healthMs, wall, scrapes.Count);
    }

    private sealed record Load(double StartedMib, double IdleMib, double MaxMib, double AfterMib, int Lists, double ListP50Ms, double MibPerSecond, double Cores);

    /// <summary>A process's resident set from procfs, whole and split: anonymous memory (the GC heap, native
    /// allocations) and file-backed pages (the mapped assemblies and libraries, the store's file cache).</summary>
    private sealed record Rss(long Total, long Anon, long FileBacked)
    {
        public double Mib => Total / 1048576.0;

        public static Rss Of(int pid)
        {
            var fields = File.ReadLines($"/proc/{pid}/status")
                .Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2 && parts[0] is "VmRSS" or "RssAnon" or "RssFile")
                .ToDictionary(parts => parts[0], parts => long.Parse(parts[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024);
            return new Rss(fields.GetValueOrDefault("VmRSS"), fields.GetValueOrDefault("RssAnon"), fields.GetValueOrDefault("RssFile"));
        }

        public override string ToString() => $"{Mib:0} MiB (anon {Anon / 1048576.0:0}, file {FileBacked / 1048576.0:0})";
    }
}