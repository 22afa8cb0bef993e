using Etcdserverpb;

using Grpc.Net.Client;

using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Sqlite;
using MetaService.Sqlite.Backup;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests.Backup;

/// <summary>The copy's sources read one revision, however long the copy takes and whatever is written meanwhile.</summary>
[Collection(EtcdGroup.Name)]
public sealed class SnapshotTests(EtcdFixture etcd) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-snapshot-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task SqliteSnapshot_ReadsOneRevision_WhileTheServedStoreGoesOnWriting()
    {
        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        await PutEachAsync(store, 10);
        await using var snapshot = SqliteSnapshot.Open(_directory);

        await ChangeEverythingAsync(store);
        var read = await ReadAllAsync(snapshot.ReadAsync("/s/", TestContext.Current.CancellationToken));

        Assert.Equal(10, snapshot.Revision);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"/s/{i:D2}"), read.Select(kv => kv.Key));
        Assert.All(read, kv => Assert.Equal([1], kv.Value));
        Assert.Equal(13, await store.GetRevisionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ADisposedSqliteSnapshot_HoldsTheStoreNoLonger()
    {
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }))
        {
            await PutEachAsync(store, 2);
        }

        var snapshot = SqliteSnapshot.Open(_directory);
        Assert.True(SqliteBackup.InUse(_directory));

        await snapshot.DisposeAsync();

        Assert.False(SqliteBackup.InUse(_directory));
    }

    [Fact]
    public async Task SqliteSnapshot_ReadsExactlyThePrefix_AndEveryKeyForTheEmptyOne()
    {
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }))
        {
            // "/s/" ends before "/s0" (the next byte after '/'); "/s" and "/r" sort before it, "/t" after.
            foreach (var key in new[] { "/r", "/s", "/s/a", "/s/b", "/s0", "/t" })
            {
                await store.TxnAsync([], [new WriteOp.Put(key, [2])], TestContext.Current.CancellationToken);
            }
        }

        await using var snapshot = SqliteSnapshot.Open(_directory);

        Assert.Equal(["/s/a", "/s/b"], (await ReadAllAsync(snapshot.ReadAsync("/s/", TestContext.Current.CancellationToken))).Select(kv => kv.Key));
        Assert.Equal(["/r", "/s", "/s/a", "/s/b", "/s0", "/t"], (await ReadAllAsync(snapshot.ReadAsync("", TestContext.Current.CancellationToken))).Select(kv => kv.Key));
    }

    [Fact]
    public async Task EtcdSnapshot_ReadsEveryPageAtOneRevision()
    {
        var prefix = "snap-" + Guid.NewGuid().ToString("N")[..8];
        await using var store = etcd.Open(prefix);
        await PutEachAsync(store, 10);
        await using var snapshot = await EtcdSnapshot.OpenAsync(Options(prefix), TimeProvider.System, NullLogger.Instance, TestContext.Current.CancellationToken);

        await ChangeEverythingAsync(store);
        var read = await ReadAllAsync(snapshot.ReadAsync("/s/", pageSize: 3, TestContext.Current.CancellationToken));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"/s/{i:D2}"), read.Select(kv => kv.Key));
        Assert.All(read, kv => Assert.Equal([1], kv.Value));
        Assert.All(read, kv => Assert.True(kv.ModRevision <= snapshot.Revision));
    }

    [Fact]
    public async Task EtcdSnapshot_CompactedMeanwhile_FailsRatherThanMixRevisions()
    {
        var prefix = "snap-" + Guid.NewGuid().ToString("N")[..8];
        await using var store = etcd.Open(prefix);
        await PutEachAsync(store, 4);
        await using var snapshot = await EtcdSnapshot.OpenAsync(Options(prefix), TimeProvider.System, NullLogger.Instance, TestContext.Current.CancellationToken);
        await ChangeEverythingAsync(store);
        using var channel = GrpcChannel.ForAddress(etcd.Cluster.ClientUrls[0]);
        var latest = await store.GetRevisionAsync(TestContext.Current.CancellationToken);
        await new KV.KVClient(channel).CompactAsync(new CompactionRequest { Revision = latest, Physical = true }, cancellationToken: TestContext.Current.CancellationToken);

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(() => ReadAllAsync(snapshot.ReadAsync("/s/", pageSize: 3, TestContext.Current.CancellationToken)));

        Assert.Contains("compacted", failure.Message, StringComparison.Ordinal);
    }

    private EtcdStoreOptions Options(string prefix) => new() { Endpoints = etcd.Cluster.ClientUrls, KeyPrefix = prefix };

    private static async Task PutEachAsync(IMetaStore store, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await store.TxnAsync([], [new WriteOp.Put($"/s/{i:D2}", [1])], TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Three transactions after the snapshot: an update, a delete and a new key.</summary>
    private static async Task ChangeEverythingAsync(IMetaStore store)
    {
        await store.TxnAsync([], [new WriteOp.Put("/s/00", [2])], TestContext.Current.CancellationToken);
        await store.TxnAsync([], [new WriteOp.Delete("/s/01")], TestContext.Current.CancellationToken);
        await store.TxnAsync([], [new WriteOp.Put("/s/05a", [2])], TestContext.Current.CancellationToken);
    }

    private static async Task<List<KeyValue>> ReadAllAsync(IAsyncEnumerable<KeyValue> keys)
    {
        var read = new List<KeyValue>();
        await foreach (var kv in keys)
        {
            read.Add(kv);
        }

        return read;
    }
}