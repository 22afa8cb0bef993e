using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using MetaService.Load;

namespace MetaService.Reliability.Tests;

/// <summary>Issue 19: SIGKILL during updates; after the restart each function's history holds exactly the writes its store
/// holds: newest entry at the stored revisionId, every entry's "before" the "after" of the one below it, down to the create.</summary>
public sealed class HistoryKillTests
{
    private const int Clients = 8;
    private const int AcksBeforeKill = 100;

    [Fact]
    public async Task KillDuringUpdates_HistoryHoldsExactlyTheStoredWrites()
    {
        using var directory = new DataDirectory();
        var names = Enumerable.Range(0, Clients).Select(c => $"0-rel-h{c}").ToArray();
        var revisions = new string[Clients];
        using (var server = await directory.StartAsync())
        {
            using var client = server.Client();
            for (var c = 0; c < Clients; c++)
            {
                revisions[c] = await Api.CreateAsync(client, names[c]);
            }

            using var stop = new CancellationTokenSource();
            var acks = 0;
            var killPoint = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var load = Enumerable.Range(0, Clients).Select(async c =>
            {
                for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        using var response = await client.PutAsync(new Uri($"{Api.Functions}/{names[c]}", UriKind.Relative), new StringContent(Samples.UpdateBody(revisions[c], i), Encoding.UTF8, "application/json"), stop.Token);
                        var body = await response.Content.ReadAsByteArrayAsync(stop.Token);
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            return;
                        }

                        revisions[c] = Generator.RevisionId(body);
                        if (Interlocked.Increment(ref acks) == AcksBeforeKill)
                        {
                            killPoint.TrySetResult();
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                    {
                        return;
                    }
                }
            }).ToArray();
            await killPoint.Task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        using var restarted = await directory.StartAsync();
        using var reader = restarted.Client();
        foreach (var name in names)
        {
            var stored = Generator.RevisionId(await Api.GetBytesAsync(reader, $"{Api.Functions}/{name}"));
            var entries = await HistoryAsync(reader, name);

            Assert.Equal(stored, (string)entries[0]["revisionIdAfter"]!);
            for (var i = 0; i < entries.Count - 1; i++)
            {
                Assert.Equal((string)entries[i + 1]["revisionIdAfter"]!, (string)entries[i]["revisionIdBefore"]!);
            }

            Assert.Equal("create", (string)entries[^1]["operation"]!);
        }
    }

    private static async Task<List<JsonNode>> HistoryAsync(HttpClient client, string name)
    {
        var entries = new List<JsonNode>();
        string? token = null;
        for (var page = 0; page < 1000; page++)
        {
            var path = $"{Api.Functions}/{name}/history?limit=500" + (token is null ? "" : "&continue=" + token);
            var result = JsonNode.Parse(await Api.GetBytesAsync(client, path))!["result"]!;
            entries.AddRange(result["entries"]!.AsArray().Select(e => e!));
            token = (string?)result["continue"];
            if (token is null)
            {
                return entries;
            }
        }

        return entries;
    }
}