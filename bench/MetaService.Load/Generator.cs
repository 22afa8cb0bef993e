using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace MetaService.Load;

/// <summary>Load from this machine: closed-loop C# clients (each sends its next request when the last is
/// answered) and wrk for plain GET throughput. Every loop is bounded in count and in time.</summary>
public static partial class Generator
{
    public sealed record Result(double PerSecond, double P50Ms, double P99Ms, long Ok, long Errors);

    /// <summary>One client per function of <paramref name="functions"/>, each updating its own function with the revisionId of
    /// its last answer; an update is acknowledged once the server answers 200 (after the fsync).</summary>
    public static Task<Result> UpdatesAsync(HttpClient client, IReadOnlyList<(string Name, string RevisionId)> functions, TimeSpan duration) =>
        UpdatesAsync(client, [.. functions.Select(f => f.Name)], [.. functions.Select(f => f.RevisionId)], duration);

    /// <summary>The same, the functions' revisionIds in <paramref name="revisions"/>, left there as the last answers gave
    /// them, so that the next call goes on from where this one stopped (<paramref name="first"/>: the number of each
    /// client's first body, so that it differs from the last call's).</summary>
    public static async Task<Result> UpdatesAsync(HttpClient client, string[] names, string[] revisions, TimeSpan duration, int first = 0)
    {
        var latencies = new List<double>[names.Length];
        var errors = 0L;
        var clock = Stopwatch.StartNew();
        var clients = names.Select(async (name, c) =>
        {
            var mine = latencies[c] = new List<double>(100_000);
            var uri = new Uri($"/serverless/v1/functions/{name}", UriKind.Relative);
            for (var i = first; i < first + 1_000_000 && clock.Elapsed < duration; i++)
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await client.PutAsync(uri, new StringContent(Samples.UpdateBody(revisions[c], i), Encoding.UTF8, "application/json"));
                var body = await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                revisions[c] = RevisionId(body);
            }
        });
        await Task.WhenAll(clients);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length / clock.Elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99), all.Length, errors);
    }

    /// <summary>The update load every suite measures: <see cref="Settings.Warmup"/> of it, then the functions' current
    /// revisionIds, then <see cref="Settings.Duration"/> measured, with the CPU each of <paramref name="processes"/>
    /// spent over the measured part. <c>Failed</c> counts the failed updates of both parts.</summary>
    internal static async Task<(Result Load, long Failed, CpuMeter Cpu)> WarmedUpdatesAsync(HttpClient client, IReadOnlyList<(string Name, string RevisionId)> functions, Settings settings, params (string Name, int Pid)[] processes)
    {
        var warm = await UpdatesAsync(client, functions, settings.Warmup);
        var current = await Api.CurrentAsync(client, functions);
        var meter = CpuMeter.Start(processes);
        var load = await UpdatesAsync(client, current, settings.Duration);
        return (load, warm.Errors + load.Errors, meter.Stop());
    }

    /// <summary><see cref="WarmedUpdatesAsync"/> where every update must succeed: the load, and the CPU each of
    /// <paramref name="processes"/> spent over its measured part. Any failed update fails the suite.</summary>
    internal static async Task<(Result Load, CpuMeter Cpu)> MeasuredUpdatesAsync(HttpClient client, IReadOnlyList<(string Name, string RevisionId)> functions, Settings settings, params (string Name, int Pid)[] processes)
    {
        var (load, failed, cpu) = await WarmedUpdatesAsync(client, functions, settings, processes);
        return failed > 0 ? throw new InvalidOperationException($"{failed} updates failed") : (load, cpu);
    }

    /// <summary>One client sending <paramref name="path"/> again and again; latency per request in ms.</summary>
    public static async Task<List<double>> SequentialAsync(HttpClient client, string path, int count, TimeSpan budget)
    {
        var latencies = new List<double>(count);
        var uri = new Uri(path, UriKind.Relative);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count && clock.Elapsed < budget; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(uri);
            _ = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
            }

            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }

        return latencies;
    }

    /// <summary><c>wrk -t2 -c{connections} -d{seconds}s [-H header]…</c> (keep-alive; https URLs too); requests per second,
    /// failing on any non-2xx or socket error.</summary>
    public static async Task<double> WrkAsync(Uri url, int connections, int seconds, params string[] headers)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t2", $"-c{connections}", $"-d{seconds}s", "--timeout", "5s" }.Concat(headers.SelectMany(h => new[] { "-H", h })).Append(url.ToString()))
        {
            start.ArgumentList.Add(argument);
        }

        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt-get install -y wrk)");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (output.Contains("Non-2xx", StringComparison.Ordinal) || output.Contains("Socket errors", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("wrk saw errors:\n" + output);
        }

        return double.Parse(WrkRate().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    public static List<double> Sorted(IEnumerable<double> values) => [.. values.Order()];

    /// <summary>The first <c>"revisionId":"…"</c> of an answer, without parsing the whole body.</summary>
    public static string RevisionId(byte[] body)
    {
        var marker = "\"revisionId\":\""u8;
        var at = body.AsSpan().IndexOf(marker);
        if (at < 0)
        {
            throw new InvalidOperationException("no revisionId in " + Encoding.UTF8.GetString(body));
        }

        var rest = body.AsSpan(at + marker.Length);
        return Encoding.UTF8.GetString(rest[..rest.IndexOf((byte)'"')]);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex WrkRate();
}