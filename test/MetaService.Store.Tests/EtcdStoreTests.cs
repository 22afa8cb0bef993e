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
    public async Task AfterACompaction_EarlierRevisionsAreNotKept_AndTheirValuesNotRead_TheCompactionRevisionIs()
    {
        var token = TestContext.Current.CancellationToken;
        var first = await PutAsync("/kc", "1");
        var second = await PutAsync("/kc", "2");
        using var channel = GrpcChannel.ForAddress(etcd.Cluster.ClientUrls[0]);
        await new KV.KVClient(channel).CompactAsync(new CompactionRequest { Revision = second.Revision, Physical = true }, cancellationToken: token);

        Assert.False(await Store.KeepsRevisionAsync(first.Revision, token));
        Assert.Null(await Store.GetAtAsync("/kc", first.Revision, token));
        Assert.True(await Store.KeepsRevisionAsync(second.Revision, token));
        Assert.Equal("2", Text((await Store.GetAtAsync("/kc", second.Revision, token))!.Value));
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

    /// <summary>Cancelling a watch while etcd streams to it may break the stream mid-read (gRPC then says
    /// <c>Unavailable</c>: the request was aborted); the caller asked for the end, so it is a cancellation, not a store
    /// fault (which a view would log as a lost watch and heal).</summary>
    [Fact]
    public async Task Watch_CancelledWhileChangesStream_EndsAsCancelled()
    {
        for (var round = 0; round < 50; round++)
        {
            var from = (await PutAsync($"/w{round}/0", "v")).Revision;
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            using var writing = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var cancelAt = 10 + round;

            // The writer cancels the watch in the middle of its stream, while the reader waits for the next change.
            var writer = Task.Run(
                async () =>
                {
                    for (var i = 1; i <= 2_000 && !writing.IsCancellationRequested; i++)
                    {
                        await PutAsync($"/w{round}/{i % 10}", new string('x', 512));
                        if (i == cancelAt)
                        {
                            await cancel.CancelAsync();
                        }
                    }
                },
                TestContext.Current.CancellationToken);

            var ended = await Record.ExceptionAsync(async () =>
            {
                await foreach (var change in Store.WatchAsync($"/w{round}/", from, cancel.Token))
                {
                    GC.KeepAlive(change);
                }
            });
            await writing.CancelAsync();
            await writer;

            Assert.IsAssignableFrom<OperationCanceledException>(ended);
        }
    }

    [Fact]
    public async Task Unreachable_FailsAtTheDeadline_NamingTheEndpoint()
    {
        await using var store = new EtcdMetaStore(
            new EtcdStoreOptions { Endpoints = ["http://127.0.0.1:1"], RequestTimeout = TimeSpan.FromSeconds(1) },
            new LeapingClock(),
            NullLogger<EtcdMetaStore>.Instance);

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/x", TestContext.Current.CancellationToken));

        // An unreachable endpoint is worth retrying, but not past the deadline, which the clock says has passed (on
        // the system clock this call makes ~5 attempts in its second).
        Assert.Contains("http://127.0.0.1:1", fault.Message, StringComparison.Ordinal);
        Assert.Contains("after 1 attempt(s)", fault.Message, StringComparison.Ordinal);
    }
}