using System.Diagnostics;

using Etcdserverpb;

using Grpc.Net.Client;

using MetaService.Core.Storage;
using MetaService.Etcd;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

[Collection(EtcdGroup.Name)]
public sealed class EtcdStoreTests(EtcdFixture etcd) : StoreContract
{
    private readonly string _prefix = "test-" + Guid.NewGuid().ToString("N")[..8];

    protected override Task<IMetaStore> OpenAsync() => Task.FromResult<IMetaStore>(etcd.Open(_prefix));

    [Fact]
    public async Task Keys_AreStoredUnderTheAzPrefix_AndReadBackWithoutIt()
    {
        await PutAsync("/sn/functions/x", "v");
        using var channel = GrpcChannel.ForAddress(etcd.Cluster.ClientUrls[0]);

        var raw = await new KV.KVClient(channel).RangeAsync(
            new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8($"/{_prefix}/sn/functions/x") },
            cancellationToken: TestContext.Current.CancellationToken);
        var range = await Store.RangeAsync("/sn/", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("v", raw.Kvs.Single().Value.ToStringUtf8());
        Assert.Equal(["/sn/functions/x"], range.Items.Select(i => i.Key));
    }

    [Fact]
    public async Task Watch_FromCompactedRevision_Throws()
    {
        var first = await PutAsync("/c", "1");
        var second = await PutAsync("/c", "2");
        using var channel = GrpcChannel.ForAddress(etcd.Cluster.ClientUrls[0]);
        await new KV.KVClient(channel).CompactAsync(new CompactionRequest { Revision = second.Revision }, cancellationToken: TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
        {
            await foreach (var change in Store.WatchAsync("/c", first.Revision, TestContext.Current.CancellationToken))
            {
                Assert.Fail($"no event should come from a compacted revision, got {change.Kv.ModRevision}");
            }
        });
    }

    [Fact]
    public async Task Unreachable_FailsWithinTheDeadline_NamingTheEndpoint()
    {
        await using var store = new EtcdMetaStore(
            new EtcdStoreOptions { Endpoints = ["http://127.0.0.1:1"], RequestTimeout = TimeSpan.FromSeconds(1) },
            TimeProvider.System,
            NullLogger<EtcdMetaStore>.Instance);
        var clock = Stopwatch.StartNew();

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/x", TestContext.Current.CancellationToken));

        Assert.Contains("http://127.0.0.1:1", fault.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }
}