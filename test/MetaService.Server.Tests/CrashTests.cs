using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using MetaService.Core.Records;
using MetaService.Load;
using MetaService.Sqlite;

namespace MetaService.Server.Tests;

/// <summary>
/// The server as a real process on a real file, killed with SIGKILL under a write load: every
/// acknowledged write is there after the restart, and the store file is sound.
/// </summary>
public sealed class CrashTests : IAsyncLifetime
{
    private const int Clients = 16;
    private const int UpdatesBeforeKill = 300;
    private readonly TaskCompletionSource _killPoint = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _updates;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-crash-" + Guid.NewGuid().ToString("N"));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task KillDuringUpdates_KeepsEveryAcknowledgedUpdate()
    {
        var names = Enumerable.Range(0, Clients).Select(_ => Names.Yrlib()).ToArray();
        var acknowledged = new ConcurrentDictionary<string, string>();
        using (var server = await ServerProcess.StartMetaAsync(_directory))
        {
            using var client = server.Client();
            foreach (var name in names)
            {
                acknowledged[name] = await CreateAsync(client, name);
            }

            using var stop = new CancellationTokenSource();
            var load = names.Select(name => UpdateUntilStoppedAsync(client, name, acknowledged, stop.Token)).ToArray();
            await _killPoint.Task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        using var restarted = await ServerProcess.StartMetaAsync(_directory);
        using var reader = restarted.Client();
        var stored = new Dictionary<string, string>();
        foreach (var name in names)
        {
            var body = JsonNode.Parse(await reader.GetStringAsync(new Uri($"/serverless/v1/functions/{name}", UriKind.Relative), TestContext.Current.CancellationToken))!;
            stored[name] = (string)body["function"]!["revisionId"]!;
        }

        restarted.Kill();
        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });

        foreach (var name in names)
        {
            // revisionIds increase per function: the stored one is the last acknowledged or a later one
            // whose answer the kill cut off.
            Assert.True(Timestamps.TryParseRevisionId(stored[name], out var kept));
            Assert.True(Timestamps.TryParseRevisionId(acknowledged[name], out var acked));
            Assert.True(kept >= acked, $"{name}: stored {stored[name]} is older than acknowledged {acknowledged[name]}");
        }

        Assert.Equal("ok", await store.CheckIntegrityAsync(TestContext.Current.CancellationToken));
    }

    private static async Task<string> CreateAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsync(
            new Uri("/serverless/v1/functions", UriKind.Relative),
            new StringContent(Bodies.Yrlib(name).ToJsonString(), Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        return (string)(await Wire.OkAsync(response))["function"]!["revisionId"]!;
    }

    /// <summary>One client: update its own function again and again, recording each acknowledged revisionId,
    /// until the server dies or the test stops it.</summary>
    private async Task UpdateUntilStoppedAsync(HttpClient client, string name, ConcurrentDictionary<string, string> acknowledged, CancellationToken stop)
    {
        for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
        {
            var body = new JsonObject { ["revisionId"] = acknowledged[name], ["cpu"] = 300 + (i % 1000), ["memory"] = 128 };
            try
            {
                using var response = await client.PutAsync(new Uri($"/serverless/v1/functions/{name}", UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), stop);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return;
                }

                var result = JsonNode.Parse(await response.Content.ReadAsStringAsync(stop))!;
                acknowledged[name] = (string)result["result"]!["revisionId"]!;
                if (Interlocked.Increment(ref _updates) == UpdatesBeforeKill)
                {
                    _killPoint.TrySetResult();
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                return;
            }
        }
    }
}