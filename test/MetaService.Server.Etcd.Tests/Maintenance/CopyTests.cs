using System.Text;

using Etcdserverpb;

using Google.Protobuf;

using Grpc.Net.Client;

using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Server.Maintenance;
using MetaService.Sqlite;

using Microsoft.Extensions.Logging.Abstractions;

namespace MetaService.Server.Tests.Maintenance;

/// <summary>The copy command between etcd and the embedded store, on a real etcd member: every key, under any prefix,
/// with its value byte for byte (the target numbers the keys with its own revisions, so those differ).</summary>
public sealed class CopyTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-copy-" + Guid.NewGuid().ToString("N"));
    private readonly string _az = "az" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _back = "back" + Guid.NewGuid().ToString("N")[..8];

    private static string Etcd => "etcd:" + string.Join(",", SharedEtcd.Cluster.ClientUrls);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Copy_EtcdToEmbeddedAndBack_RoundTripsEveryKeyByteForByte()
    {
        var keys = Keyspace();
        await using (var source = OpenEtcd(_az))
        {
            foreach (var chunk in keys.Chunk(50))
            {
                await source.TxnAsync([], [.. chunk.Select(kv => new WriteOp.Put(kv.Key, kv.Value))], TestContext.Current.CancellationToken);
            }
        }

        var there = await RunAsync("copy", "--from", Etcd, "--from-key-prefix", _az, "--to", "sqlite:" + _directory);
        var back = await RunAsync("copy", "--from", "sqlite:" + _directory, "--to", Etcd, "--to-key-prefix", _back);

        Assert.Equal((0, ""), (there.Code, there.Error));
        Assert.Equal((0, ""), (back.Code, back.Error));
        Assert.Contains($"copied {keys.Count} keys", back.Output, StringComparison.Ordinal);
        var original = await ReadRawAsync($"/{_az}/");
        var returned = await ReadRawAsync($"/{_back}/");
        Assert.Equal(keys.Count, original.Count);
        Assert.Equal(original.Keys, returned.Keys);
        foreach (var (key, value) in original)
        {
            Assert.True(value.AsSpan().SequenceEqual(returned[key]), $"the value of {key} changed");
        }

        await using var embedded = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        var held = (await embedded.RangeAsync("", cancellationToken: TestContext.Current.CancellationToken)).Items;
        Assert.Equal(original.Keys, held.Select(kv => kv.Key));
        Assert.All(held, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(original[kv.Key])));
    }

    [Fact]
    public async Task Copy_RefusesATargetThatHoldsKeys_UnlessForced_AndKeepsTheTargetsOtherKeys()
    {
        await using (var source = OpenEtcd(_az))
        {
            await source.TxnAsync([], [new WriteOp.Put("/repo/a", [1]), new WriteOp.Put("/repo/b", [2])], TestContext.Current.CancellationToken);
        }

        await using (var target = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }))
        {
            await target.TxnAsync([], [new WriteOp.Put("/repo/a", [9]), new WriteOp.Put("/repo/only-here", [3])], TestContext.Current.CancellationToken);
        }

        var refused = await StoreRevision.NothingWrittenAsync(TargetRevisionAsync, () => RunAsync("copy", "--from", Etcd, "--from-key-prefix", _az, "--to", "sqlite:" + _directory));
        var forced = await RunAsync("copy", "--from", Etcd, "--from-key-prefix", _az, "--to", "sqlite:" + _directory, "--force");

        Assert.Equal(1, refused.Code);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, forced.Code);
        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        var held = (await store.RangeAsync("/repo/", cancellationToken: TestContext.Current.CancellationToken)).Items;
        Assert.Equal(["/repo/a", "/repo/b", "/repo/only-here"], held.Select(kv => kv.Key));
        Assert.Equal([1], held[0].Value);
    }

    [Fact]
    public async Task Copy_OfOnePrefix_IntoAServedEmbeddedStore_IsRefused()
    {
        await using var served = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        await served.TxnAsync([], [new WriteOp.Put("/x", [1])], TestContext.Current.CancellationToken);

        var refused = await served.NothingWrittenAsync(() => RunAsync("copy", "--from", Etcd, "--from-key-prefix", _az, "--to", "sqlite:" + _directory, "--prefix", "/repo/"));

        Assert.Equal(1, refused.Code);
        Assert.Contains("running server", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_FromAMissingStore_FailsAndLeavesNoTargetBehind()
    {
        var missing = await RunAsync("copy", "--from", "sqlite:" + _directory + "-missing", "--to", "sqlite:" + _directory);

        Assert.Equal(1, missing.Code);
        Assert.Contains("no store", missing.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "meta.db")));
    }

    [Fact]
    public async Task Copy_WithAnEtcdUser_ButNoPasswordVariable_IsAUsageError()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(MaintenanceCommands.EtcdPasswordVariable)));

        var usage = await RunAsync("copy", "--from", Etcd, "--to", "sqlite:" + _directory, "--etcd-user", "root");

        Assert.Equal(2, usage.Code);
        Assert.Contains(MaintenanceCommands.EtcdPasswordVariable, usage.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("restore")]
    [InlineData("copy")]
    public async Task EveryCommand_AnswersHelp_AndRefusesAnUnknownOption(string command)
    {
        var help = await RunAsync(command, "--help");
        var wrong = await RunAsync(command, "--no-such-option");

        Assert.Equal(0, help.Code);
        Assert.StartsWith($"MetaService.Server {command} ", help.Output, StringComparison.Ordinal);
        Assert.Equal(2, wrong.Code);
        Assert.Contains("unknown option '--no-such-option'", wrong.Error, StringComparison.Ordinal);
    }

    /// <summary>Keys under every prefix the platform and MetaService use and a few others, values of every byte, an empty
    /// one and a large one, and enough keys for several pages and transactions of the copy.</summary>
    private static List<KeyValuePair<string, byte[]>> Keyspace()
    {
        var keys = new List<KeyValuePair<string, byte[]>>
        {
            new("/sn/functions/business/yrk/tenant/default/function/0-f/version/$latest", Encoding.UTF8.GetBytes("{\"funcMetaData\":{}}")),
            new("/yr/functions/business/yrk/tenant/default/function/0-f/version/$latest", Encoding.UTF8.GetBytes("{}")),
            new("/instances/business/yrk/tenant/default/function/0-f/version/$latest/label/l1", Encoding.UTF8.GetBytes("{\"min\":1}")),
            new("/yr/podpools/info/pool-1", Encoding.UTF8.GetBytes("{\"id\":\"pool-1\"}")),
            new("/other/ünïcode key", [.. Enumerable.Range(0, 256).Select(b => (byte)b)]),
            new("/empty", []),
            new("/large", [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))]),
        };
        keys.AddRange(Enumerable.Range(0, 600).Select(i => new KeyValuePair<string, byte[]>($"/repo/FunctionVersion/yrk/default//f{i:D4}/$latest/", Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"))));
        return keys;
    }

    /// <summary>The target store's revision, read with the store opened and closed again (the copy opens it itself).</summary>
    private async Task<long> TargetRevisionAsync(CancellationToken cancellationToken)
    {
        await using var target = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        return await target.GetRevisionAsync(cancellationToken);
    }

    private static EtcdMetaStore OpenEtcd(string keyPrefix) =>
        new(new EtcdStoreOptions { Endpoints = SharedEtcd.Cluster.ClientUrls, KeyPrefix = keyPrefix }, TimeProvider.System, NullLogger<EtcdMetaStore>.Instance);

    /// <summary>Every etcd key under <paramref name="prefix"/>, read raw (not through the store), its prefix cut off.</summary>
    private static async Task<SortedDictionary<string, byte[]>> ReadRawAsync(string prefix)
    {
        using var channel = GrpcChannel.ForAddress(SharedEtcd.Cluster.ClientUrls[0]);
        var start = Encoding.UTF8.GetBytes(prefix);
        var end = (byte[])start.Clone();
        end[^1]++;
        var response = await new KV.KVClient(channel).RangeAsync(
            new RangeRequest { Key = ByteString.CopyFrom(start), RangeEnd = ByteString.CopyFrom(end) },
            cancellationToken: TestContext.Current.CancellationToken);
        var keys = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var kv in response.Kvs)
        {
            keys.Add(Encoding.UTF8.GetString(kv.Key.Span[(start.Length - 1)..]), kv.Value.ToByteArray());
        }

        return keys;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await MaintenanceCommands.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}