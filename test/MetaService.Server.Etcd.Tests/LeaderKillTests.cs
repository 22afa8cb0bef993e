using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

using MetaService.Etcd.Testing;

namespace MetaService.Server.Tests;

/// <summary>A 3-member etcd cluster loses its leader under a write load: no acknowledged write is lost,
/// writes resume by themselves, and what fails in between fails with 503 {code, message}: the store's fault at its
/// request deadline (that a failing call stops at that deadline is the store tests' to show, on a clock of their own).</summary>
public sealed class LeaderKillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private const int Writers = 4;
    private const int WritesBeforeKill = 20;
    private const int WritesAfterRecovery = 20;

    [Fact]
    public async Task KillingTheLeader_DuringAWriteLoad_LosesNoAcknowledgedWrite_AndWritesResume()
    {
        await using var cluster = await EtcdCluster.StartAsync(3, TestContext.Current.CancellationToken);
        await using var factory = OnCluster(new MetaServiceFactory(), cluster);
        using var api = factory.CreateApi();
        var load = new WriteLoad(api);
        var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(load.RunAsync, TestContext.Current.CancellationToken)).ToArray();
        await UntilAsync(() => load.Acknowledged.Count >= WritesBeforeKill);

        var leader = await cluster.FindLeaderAsync(TestContext.Current.CancellationToken);
        await cluster.KillAsync(leader);
        load.MarkKill();
        await UntilAsync(() => load.AcknowledgedAfterKill >= WritesAfterRecovery);
        load.Stop();
        await Task.WhenAll(writers);

        output.WriteLine($"leader m{leader} killed; {load.Acknowledged.Count} writes acknowledged ({load.AcknowledgedAfterKill} sent after the kill), "
            + $"{load.Unavailable.Count} answered 503");
        Assert.Empty(load.Unexpected);
        foreach (var body in load.Unavailable)
        {
            // The store's own fault once its deadline passed, without naming etcd's addresses (the log has them).
            Assert.Equal(122002, (int)body["code"]!);
            var message = (string?)body["message"] ?? "";
            Assert.True(message.StartsWith("the metadata store is unavailable; retry later", StringComparison.Ordinal) && !message.Contains("127.0.0.1", StringComparison.Ordinal), message);
        }

        await using var reader = MetaServiceFactory.ReplicaOf(factory);
        using var readerApi = reader.CreateApi();
        foreach (var name in load.Acknowledged)
        {
            using var response = await readerApi.GetAsync(name);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"acknowledged write {name} is lost: {(int)response.StatusCode}");
        }
    }

    private static MetaServiceFactory OnCluster(MetaServiceFactory factory, EtcdCluster cluster)
    {
        for (var i = 0; i < cluster.Count; i++)
        {
            factory.Settings[$"Store:Etcd:Endpoints:{i}"] = cluster.ClientUrls[i];
        }

        factory.Settings["Store:Etcd:RequestTimeout"] = RequestTimeout.ToString();
        factory.Settings["Logging:LogLevel:MetaService"] = "Critical";
        return factory;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails when it does not after 3,000 looks (at least a minute).</summary>
    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var look = 0; look < 3_000 && !condition(); look++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), "the writers did not get that far in 3,000 looks");
    }

    /// <summary>Writers that create functions one after another and record every answer.</summary>
    private sealed class WriteLoad(Api api)
    {
        private volatile bool _stopped;
        private volatile bool _killed;
        private int _acknowledgedAfterKill;

        public ConcurrentBag<string> Acknowledged { get; } = [];

        public ConcurrentBag<JsonNode> Unavailable { get; } = [];

        public ConcurrentBag<string> Unexpected { get; } = [];

        /// <summary>Writes sent after the kill and acknowledged.</summary>
        public int AcknowledgedAfterKill => Volatile.Read(ref _acknowledgedAfterKill);

        public void MarkKill() => _killed = true;

        public void Stop() => _stopped = true;

        public async Task RunAsync()
        {
            while (!_stopped)
            {
                var name = Names.Yrlib();
                var sentAfterKill = _killed;
                using var response = await api.CreateAsync(Bodies.Yrlib(name));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Acknowledged.Add(name);
                    if (sentAfterKill)
                    {
                        Interlocked.Increment(ref _acknowledgedAfterKill);
                    }
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Unavailable.Add(await Wire.JsonAsync(response));
                }
                else
                {
                    Unexpected.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
                }
            }
        }
    }
}