using Etcdserverpb;

using Grpc.Net.Client;

using MetaService.Core.Storage;
using MetaService.Etcd;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>What the etcd store answers beyond the contract every store keeps: whether a transaction changed anything
/// (etcd makes no revision for deletes of absent keys), ranges of keys without their values, and the end of a store
/// or a snapshot.</summary>
[Collection(EtcdGroup.Name)]
public sealed class EtcdOutcomeTests(EtcdFixture etcd) : IAsyncDisposable
{
    private readonly string _prefix = "outcome-" + Guid.NewGuid().ToString("N")[..8];
    private EtcdMetaStore? _store;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private EtcdMetaStore Store => _store ??= etcd.Open(_prefix);

    [Fact]
    public async Task ATransaction_ChangedSomething_WhenItPutsOrDeletesAKeyThatWasThere()
    {
        await Store.TxnAsync([], [new WriteOp.Put("/c/there", [1])], Token);

        var put = await Store.TxnAsync([], [new WriteOp.Put("/c/new", [1])], Token);
        var deleteAbsent = await Store.TxnAsync([], [new WriteOp.Delete("/c/absent")], Token);
        var putAndDeleteAbsent = await Store.TxnAsync([], [new WriteOp.Put("/c/new", [2]), new WriteOp.Delete("/c/absent")], Token);
        var deleteThere = await Store.TxnAsync([], [new WriteOp.Delete("/c/there")], Token);
        var failedCompare = await Store.TxnAsync([Core.Storage.Compare.Absent("/c/new")], [new WriteOp.Put("/c/new", [3])], Token);

        Assert.Equal((true, true), (put.Succeeded, put.Changed));
        Assert.Equal((true, false), (deleteAbsent.Succeeded, deleteAbsent.Changed));
        Assert.Equal((true, true), (putAndDeleteAbsent.Succeeded, putAndDeleteAbsent.Changed));
        Assert.Equal((true, true), (deleteThere.Succeeded, deleteThere.Changed));
        Assert.Equal((false, false), (failedCompare.Succeeded, failedCompare.Changed));
    }

    [Fact]
    public async Task RangeKeys_LeavesTheValuesInEtcd()
    {
        await Store.TxnAsync([], [new WriteOp.Put("/k/a", [1, 2, 3])], Token);

        var keys = await Store.RangeKeysAsync("/k/", cancellationToken: Token);
        var full = await Store.RangeAsync("/k/", cancellationToken: Token);

        Assert.Equal(["/k/a"], keys.Items.Select(kv => kv.Key));
        Assert.Empty(keys.Items[0].Value);
        Assert.Equal([1, 2, 3], full.Items[0].Value);
    }

    [Fact]
    public async Task ADisposedStore_MakesNoMoreCalls()
    {
        var store = etcd.Open(_prefix);
        await store.GetRevisionAsync(Token);

        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetAsync("/x", Token));
    }

    [Fact]
    public async Task ASnapshot_ReadsInPagesOfAtLeastOneKey()
    {
        await using var snapshot = await EtcdSnapshot.OpenAsync(Options(), TimeProvider.System, NullLogger.Instance, Token);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (var kv in snapshot.ReadAsync("/", pageSize: 0, Token))
            {
                Assert.Fail($"a page of no keys reads nothing, got {kv.Key}");
            }
        });
    }

    [Fact]
    public async Task ASnapshotCompactedAway_FailsItsRead_WithoutSayingAWriteMayHaveApplied()
    {
        await Store.TxnAsync([], [new WriteOp.Put("/s/a", [1])], Token);
        await using var snapshot = await EtcdSnapshot.OpenAsync(Options(), TimeProvider.System, NullLogger.Instance, Token);
        var latest = (await Store.TxnAsync([], [new WriteOp.Put("/s/a", [2])], Token)).Revision;
        using var channel = GrpcChannel.ForAddress(etcd.Cluster.ClientUrls[0]);
        await new KV.KVClient(channel).CompactAsync(new CompactionRequest { Revision = latest, Physical = true }, cancellationToken: Token);

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
        {
            await foreach (var kv in snapshot.ReadAsync("/s/", pageSize: 10, Token))
            {
                Assert.Fail($"nothing can be read at a compacted revision, got {kv.Key}");
            }
        });

        Assert.StartsWith($"etcd ({etcd.Cluster.ClientUrls[0]}) failed range after 1 attempt(s)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("compacted", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("may or may not", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADisposedSnapshot_ReadsNoMore()
    {
        var snapshot = await EtcdSnapshot.OpenAsync(Options(), TimeProvider.System, NullLogger.Instance, Token);

        await snapshot.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (var kv in snapshot.ReadAsync("/", pageSize: 10, Token))
            {
                Assert.Fail($"a disposed snapshot reads nothing, got {kv.Key}");
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private EtcdStoreOptions Options() => new() { Endpoints = etcd.Cluster.ClientUrls, KeyPrefix = _prefix };
}