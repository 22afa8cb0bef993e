using System.Text;

using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Etcd.Testing;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>
/// How an etcd watch ends when its caller did not end it: the store is disposed beneath it (a cancellation), or the
/// member it streams from stops or hangs with its connection open (a store fault, which a view or the catalog heals by
/// reading anew). Each watch here is established (its first change has come) before the fault, and
/// each test that harms a member starts its own. The bound only turns a watch that would wait forever into a failure.
/// </summary>
[Collection(EtcdGroup.Name)]
public sealed class EtcdWatchEndTests(EtcdFixture etcd)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AWatch_OfAStoreDisposedBeneathIt_EndsAsCancelled_NotAsAStoreFault()
    {
        var store = etcd.Open();
        var next = await EstablishedWatchAsync(store);

        await store.DisposeAsync();

        var ended = await Record.ExceptionAsync(() => next.WaitAsync(Bound, Token));
        Assert.IsType<OperationCanceledException>(ended);
    }

    /// <summary>The stopping member closes the watch's connection: gRPC reports that as <c>Unavailable</c>, or as
    /// <c>Internal</c> ("Error reading next message", the response ended prematurely) when it was reading the stream's
    /// next message as the connection ended; which one is a matter of timing (CI at 58f8b1e saw the second), and both
    /// are the transport's, never a cancellation.</summary>
    [Fact]
    public async Task AWatch_WhoseMemberIsStopped_FailsAsAStoreFault()
    {
        await using var cluster = await EtcdCluster.StartAsync(1, Token);
        await using var store = Open(cluster);
        var next = await EstablishedWatchAsync(store);

        await cluster.SignalAsync(0, "TERM", Token);

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => next.WaitAsync(Bound, Token));
        Assert.Matches("^the etcd watch failed: (Unavailable|Internal): ", fault.Message);
    }

    /// <summary>A paused member keeps the watch's connection open and sends nothing, as a hung process or a lost network
    /// would: a watch has no deadline, so only the connection's keep-alive ping, unanswered, ends it.</summary>
    [Fact]
    public async Task AWatch_OfAMemberThatStopsAnswering_FailsAsAStoreFault_OnceItsKeepAlivePingGoesUnanswered()
    {
        await using var cluster = await EtcdCluster.StartAsync(1, Token);
        await using var store = Open(cluster);
        var next = await EstablishedWatchAsync(store);

        await cluster.SignalAsync(0, "STOP", Token);

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => next.WaitAsync(Bound, Token));
        Assert.StartsWith("the etcd watch failed: ", fault.Message, StringComparison.Ordinal);
    }

    /// <summary>Watches a prefix of one key from its write, reads that change, and returns the wait for the next, which
    /// no write brings.</summary>
    private static async Task<Task<bool>> EstablishedWatchAsync(EtcdMetaStore store)
    {
        var written = await store.TxnAsync([], [new WriteOp.Put("/w/a", Encoding.UTF8.GetBytes("1"))], Token);
        var changes = store.WatchAsync("/w/", written.Revision, Token).GetAsyncEnumerator(Token);
        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Bound, Token));
        Assert.Equal(written.Revision, changes.Current.Kv.ModRevision);
        return changes.MoveNextAsync().AsTask();
    }

    private static EtcdMetaStore Open(EtcdCluster cluster) => new(
        new EtcdStoreOptions { Endpoints = cluster.ClientUrls, KeyPrefix = "end-" + Guid.NewGuid().ToString("N")[..8], RequestTimeout = TimeSpan.FromSeconds(5) },
        TimeProvider.System,
        NullLogger<EtcdMetaStore>.Instance);
}