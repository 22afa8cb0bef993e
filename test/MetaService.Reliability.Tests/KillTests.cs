using System.Collections.Concurrent;
using System.Net;
using System.Text;

using MetaService.Core.Records;
using MetaService.Load;
using MetaService.Sqlite;

namespace MetaService.Reliability.Tests;

/// <summary>R2: SIGKILL of the server under 16 updating clients, cycle after cycle on one data directory:
/// every acknowledged update is there after the restart, and the store file passes SQLite's integrity check.</summary>
public sealed class KillTests
{
    private const int Clients = 16;
    private const int AcksBeforeKill = 200;

    [Fact]
    public async Task KillDuringUpdates_EveryCycle_KeepsEveryAcknowledgedUpdate()
    {
        using var directory = new DataDirectory();
        var names = Enumerable.Range(0, Clients).Select(c => $"0-rel-r2c{c}").ToArray();
        var acknowledged = new ConcurrentDictionary<string, string>();
        using (var server = await directory.StartAsync())
        {
            using var client = server.Client();
            foreach (var name in names)
            {
                acknowledged[name] = await Api.CreateAsync(client, name);
            }
        }

        for (var cycle = 0; cycle < Scale.KillCycles; cycle++)
        {
            await LoadAndKillAsync(directory, names, acknowledged);

            using var restarted = await directory.StartAsync();
            using var reader = restarted.Client();
            foreach (var name in names)
            {
                var stored = Generator.RevisionId(await Api.GetBytesAsync(reader, $"{Api.Functions}/{name}"));

                // revisionIds grow per function: the stored one is the last acknowledged or a later one whose answer the kill cut off.
                Assert.True(Timestamps.TryParseRevisionId(stored, out var kept) && Timestamps.TryParseRevisionId(acknowledged[name], out var acked) && kept >= acked, $"cycle {cycle}: {name} stored {stored}, acknowledged {acknowledged[name]}");
                acknowledged[name] = stored;
            }

            restarted.Kill();
            await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = directory.Path });
            Assert.Equal("ok", await store.CheckIntegrityAsync(TestContext.Current.CancellationToken));
        }
    }

    private static async Task LoadAndKillAsync(DataDirectory directory, string[] names, ConcurrentDictionary<string, string> acknowledged)
    {
        using var server = await directory.StartAsync();
        using var client = server.Client();
        using var stop = new CancellationTokenSource();
        var killPoint = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var acks = 0;
        var load = names.Select(async name =>
        {
            for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
            {
                try
                {
                    using var response = await client.PutAsync(new Uri($"{Api.Functions}/{name}", UriKind.Relative), new StringContent(Samples.UpdateBody(acknowledged[name], i), Encoding.UTF8, "application/json"), stop.Token);
                    var body = await response.Content.ReadAsByteArrayAsync(stop.Token);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        return;
                    }

                    acknowledged[name] = Generator.RevisionId(body);
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
}