using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;

namespace MetaService.Load;

/// <summary>R4: mixed load (80 % reads, 15 % updates, 5 % create/delete) for <c>--minutes</c>; every answer
/// other than 200 and the expected 4134 conflict is an error; RSS is sampled every 5 s.</summary>
internal static class SoakSuite
{
    private const int Workers = 16;
    private const int Stable = 256;

    public static async Task<Table> RunAsync(Settings settings)
    {
        var directory = Path.Combine(settings.Work, "soak");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        using var server = await ServerProcess.StartMetaAsync(directory);
        using var client = server.Client();
        var revisions = new ConcurrentDictionary<string, string>();
        for (var i = 0; i < Stable; i++)
        {
            revisions[$"0-soak-s{i}"] = await Api.CreateAsync(client, $"0-soak-s{i}");
        }

        var duration = TimeSpan.FromMinutes(settings.Minutes);
        var warmUp = duration / 10;
        var counts = new Counts();
        var clock = Stopwatch.StartNew();
        var load = Enumerable.Range(0, Workers).Select(w => WorkAsync(client, w, revisions, counts, clock, duration)).ToList();
        var samples = new List<(TimeSpan At, double Mib)>();
        while (load.Exists(t => !t.IsCompleted))
        {
            await Task.WhenAny(Task.WhenAll(load), Task.Delay(TimeSpan.FromSeconds(5)));
            samples.Add((clock.Elapsed, server.RssBytes() / 1048576.0));
        }

        await Task.WhenAll(load);
        var afterWarmUp = samples.First(s => s.At >= warmUp).Mib;
        var end = samples[^1].Mib;
        var growth = (end - afterWarmUp) / afterWarmUp;
        Console.WriteLine($"requests {counts.Total}, conflicts {counts.Conflicts}, errors {counts.Errors}; RSS after warm-up {afterWarmUp:0} MiB, at end {end:0} MiB, max {samples.Max(s => s.Mib):0} MiB");
        foreach (var error in counts.Examples.Take(5))
        {
            Console.WriteLine("  error: " + error);
        }

        var table = new Table($"R4 soak, {settings.Minutes:0.#} min, {Workers} clients, mixed 80/15/5");
        table.Add("R4", "requests / errors besides 4134", $"{counts.Total} / {counts.Errors}", $"{counts.Conflicts} × 4134 (expected)", "—", "0 errors", Table.Met(counts.Errors == 0));
        table.Add("R4", "RSS growth after warm-up", $"{growth * 100:0.0} % ({afterWarmUp:0} → {end:0} MiB)", "—", "—", "< 10 %", Table.Met(growth < 0.10));
        return table;
    }

    private static async Task WorkAsync(HttpClient client, int worker, ConcurrentDictionary<string, string> revisions, Counts counts, Stopwatch clock, TimeSpan duration)
    {
        var random = new Random(worker);
        var mine = new Queue<string>();
        for (var i = 0; i < 10_000_000 && clock.Elapsed < duration; i++)
        {
            var pick = random.Next(100);
            var stable = $"0-soak-s{random.Next(Stable)}";
            HttpResponseMessage response;
            if (pick < 80)
            {
                response = await client.GetAsync(new Uri($"{Api.Functions}/{stable}", UriKind.Relative));
            }
            else if (pick < 95)
            {
                response = await client.PutAsync(new Uri($"{Api.Functions}/{stable}", UriKind.Relative), new StringContent(Samples.UpdateBody(revisions[stable], i), Encoding.UTF8, "application/json"));
            }
            else if (mine.Count < 8 && pick < 98)
            {
                var name = $"0-soak-w{worker}n{i}";
                mine.Enqueue(name);
                response = await client.PostAsync(new Uri(Api.Functions, UriKind.Relative), new StringContent(Samples.CreateBody(name), Encoding.UTF8, "application/json"));
            }
            else if (mine.Count > 0)
            {
                response = await client.DeleteAsync(new Uri($"{Api.Functions}/{mine.Dequeue()}", UriKind.Relative));
            }
            else
            {
                continue;
            }

            using (response)
            {
                var body = await response.Content.ReadAsByteArrayAsync();
                counts.Record(response.StatusCode, body);
                if (response.StatusCode == HttpStatusCode.OK && pick >= 80 && pick < 95)
                {
                    revisions[stable] = Generator.RevisionId(body);
                }
                else if (response.StatusCode == HttpStatusCode.PreconditionFailed)
                {
                    revisions[stable] = Generator.RevisionId(await Api.GetBytesAsync(client, $"{Api.Functions}/{stable}"));
                }
            }
        }
    }

    private sealed class Counts
    {
        private long _total;
        private long _conflicts;
        private long _errors;

        public long Total => Interlocked.Read(ref _total);

        public long Conflicts => Interlocked.Read(ref _conflicts);

        public long Errors => Interlocked.Read(ref _errors);

        public ConcurrentQueue<string> Examples { get; } = new();

        public void Record(HttpStatusCode status, byte[] body)
        {
            Interlocked.Increment(ref _total);
            if (status == HttpStatusCode.OK)
            {
                return;
            }

            var text = Encoding.UTF8.GetString(body);
            if (status == HttpStatusCode.PreconditionFailed && text.Contains("4134", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _conflicts);
                return;
            }

            Interlocked.Increment(ref _errors);
            if (Examples.Count < 20)
            {
                Examples.Enqueue($"{(int)status} {text}");
            }
        }
    }
}