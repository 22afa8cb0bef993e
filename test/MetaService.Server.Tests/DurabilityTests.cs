using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

using MetaService.Load;

namespace MetaService.Server.Tests;

/// <summary>
/// An acknowledged write is on the disk, not only in the page cache: the embedded store syncs its file before the
/// answer. A SIGKILL keeps the page cache, so only the system calls show it: the server runs under <c>strace</c>,
/// and every one of N sequential, acknowledged updates must have been followed by a sync of the store's files
/// (a store with <c>synchronous=OFF</c> makes none).
/// </summary>
public sealed class DurabilityTests : IDisposable
{
    private const int Updates = 20;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-durable-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task EveryAcknowledgedWrite_IsSyncedToDisk()
    {
        Directory.CreateDirectory(_directory);
        var trace = Path.Combine(_directory, "syncs.txt");
        var dll = typeof(MetaService.Server.Functions.FunctionsApi).Assembly.Location;
        string[] strace = [SystemTools.Path("strace"), "-f", "-qq", "-e", "trace=fsync,fdatasync", "-o", trace];
        var name = Names.Yrlib();
        using (var server = await ServerProcess.StartAsync(dll, "/healthz", ["--data-dir", Path.Combine(_directory, "data"), "--Logging:LogLevel:Default", "Warning", .. ServerProcess.Unlimited], strace))
        {
            using var client = server.Client();
            using var created = await client.PostAsync(new Uri("/serverless/v1/functions", UriKind.Relative), new StringContent(Bodies.Yrlib(name).ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
            var revision = (string)(await Wire.OkAsync(created))["function"]!["revisionId"]!;

            for (var i = 0; i < Updates; i++)
            {
                var body = new JsonObject { ["revisionId"] = revision, ["cpu"] = 300 + i, ["memory"] = 128 };
                using var updated = await client.PutAsync(new Uri($"/serverless/v1/functions/{name}", UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
                revision = (string)(await Wire.OkAsync(updated))["result"]!["revisionId"]!;
            }

            // strace writes its log when it ends: stop the traced server (SIGTERM), and strace ends with it.
            Signal("TERM", $"-P{server.Id}");
            Assert.True(server.WaitForExit(TimeSpan.FromSeconds(60)), "the traced server did not stop after SIGTERM");
        }

        var syncs = SyncsIn(trace);
        Assert.True(syncs >= Updates, $"{syncs} syncs for {Updates} acknowledged sequential updates: an acknowledged write was not synced to disk");
    }

    /// <summary>The successful fsync/fdatasync calls strace logged (-1 when there is no log).</summary>
    private static int SyncsIn(string trace) =>
        File.Exists(trace) ? File.ReadLines(trace).Count(l => (l.Contains("fsync(", StringComparison.Ordinal) || l.Contains("fdatasync(", StringComparison.Ordinal)) && l.TrimEnd().EndsWith("= 0", StringComparison.Ordinal)) : -1;

    /// <summary>Sends a signal to the children of a process (<c>pkill -SIG -P pid</c>).</summary>
    private static void Signal(string signal, string parent)
    {
        using var kill = Process.Start(new ProcessStartInfo(SystemTools.Path("pkill"), [$"-{signal}", parent])) ?? throw new InvalidOperationException("pkill did not start");
        kill.WaitForExit(TimeSpan.FromSeconds(10));
    }
}