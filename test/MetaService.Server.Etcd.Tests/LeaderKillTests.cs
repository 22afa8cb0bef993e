using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

using MetaService.Etcd.Testing;

namespace MetaService.Server.Tests;

/// <summary>A 3-member etcd cluster loses its leader under a write load: no acknowledged write is lost,
/// writes resume by themselves, and what fails in between fails with 503 {code, message} within the
/// configured request deadline.</summary>
public sealed class LeaderKillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
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

        output.WriteLine($"leader m{leader} killed; writes resumed {load.Recovery.TotalMilliseconds:0} ms after the kill (first write sent after it acknowledged); "
            + $"{load.Acknowledged.Count} writes acknowledged, {load.Unavailable.Count} answered 503 (slowest {load.SlowestUnavailable.TotalMilliseconds:0} ms)");
        Assert.Empty(load.Unexpected);
        foreach (var (took, body) in load.Unavailable)
        {
            Assert.Equal(122002, (int)body["code"]!);
            Assert.False(string.IsNullOrEmpty((string?)body["message"]));
            Assert.True(took < RequestTimeout + TimeSpan.FromSeconds(2), $"a 503 took {took}, past the {RequestTimeout} deadline");
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

    private static async Task UntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Bound, $"the condition did not hold within {Bound}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Writers that create functions one after another and record every answer.</summary>
    private sealed class WriteLoad(Api api)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _lock = new();
        private volatile bool _stopped;
        private TimeSpan? _killedAt;
        private TimeSpan? _recoveredAt;
        private int _acknowledgedAfterKill;

        public ConcurrentBag<string> Acknowledged { get; } = [];

        public ConcurrentBag<(TimeSpan Took, JsonNode Body)> Unavailable { get; } = [];

        public ConcurrentBag<string> Unexpected { get; } = [];

        public int AcknowledgedAfterKill => Volatile.Read(ref _acknowledgedAfterKill);

        public TimeSpan Recovery => _recoveredAt - _killedAt ?? TimeSpan.Zero;

        public TimeSpan SlowestUnavailable => Unavailable.IsEmpty ? TimeSpan.Zero : Unavailable.Max(u => u.Took);

        public void MarkKill()
        {
            lock (_lock)
            {
                _killedAt = _clock.Elapsed;
            }
        }

        public void Stop() => _stopped = true;

        public async Task RunAsync()
        {
            while (!_stopped)
            {
                var name = Names.Yrlib();
                var sentAt = _clock.Elapsed;
                using var response = await api.CreateAsync(Bodies.Yrlib(name));
                var took = _clock.Elapsed - sentAt;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Acknowledged.Add(name);
                    CountAfterKill(sentAt);
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Unavailable.Add((took, await Wire.JsonAsync(response)));
                }
                else
                {
                    Unexpected.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
                }
            }
        }

        private void CountAfterKill(TimeSpan sentAt)
        {
            lock (_lock)
            {
                if (_killedAt is { } killedAt && sentAt > killedAt)
                {
                    _recoveredAt ??= _clock.Elapsed;
                    _acknowledgedAfterKill++;
                }
            }
        }
    }
}