using System.Diagnostics;

using MetaService.Core.Storage;
using MetaService.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The view over the embedded store, caching every key.</summary>
public sealed class WatchedViewOverSqliteTests : StoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-view-" + Guid.NewGuid().ToString("N"));

    protected override async Task<IMetaStore> OpenAsync() =>
        await EtcdFixture.ViewAsync(SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The view over etcd, caching every key.</summary>
[Collection(EtcdGroup.Name)]
public sealed class WatchedViewOverEtcdTests(EtcdFixture etcd) : StoreContract
{
    protected override async Task<IMetaStore> OpenAsync() => await EtcdFixture.ViewAsync(etcd.Open());

    [Fact]
    public async Task WriteThroughAnotherStore_BecomesVisible()
    {
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..8];
        await using var view = await EtcdFixture.ViewAsync(etcd.Open(prefix), ["/repo/"]);
        await using var other = etcd.Open(prefix);

        await other.TxnAsync([], [new WriteOp.Put("/repo/a", Bytes("1"))], TestContext.Current.CancellationToken);

        Assert.Equal("1", Text((await EventuallyAsync(() => view.GetAsync("/repo/a", TestContext.Current.CancellationToken)))!.Value));
    }

    [Fact]
    public async Task EtcdRestart_TheViewResynchronisesByItself()
    {
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..8];
        await using var view = await EtcdFixture.ViewAsync(etcd.Open(prefix), ["/repo/"]);
        await using var other = etcd.Open(prefix);
        await etcd.Cluster.KillAsync(0);
        await etcd.Cluster.RestartAsync(0, TestContext.Current.CancellationToken);

        await other.TxnAsync([], [new WriteOp.Put("/repo/after-restart", Bytes("2"))], TestContext.Current.CancellationToken);

        Assert.Equal("2", Text((await EventuallyAsync(() => view.GetAsync("/repo/after-restart", TestContext.Current.CancellationToken)))!.Value));
    }

    /// <summary>Polls until <paramref name="read"/> finds something, for at most ten seconds.</summary>
    private static async Task<KeyValue?> EventuallyAsync(Func<Task<KeyValue?>> read)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (await read() is { } found)
            {
                return found;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return null;
    }
}