using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Pools;
using MetaService.Core.Storage;
using MetaService.Pools.Tests.Seam;

using Xunit;

namespace MetaService.Pools.Tests.Pools;

/// <summary>The pool service on a store backend.</summary>
public abstract class PoolServiceContract : StoreSeamTests
{
    private PoolService Service => new(Store);

    private async Task<Pool> StoredAsync(string id) =>
        JsonSerializer.Deserialize((await Store.GetAsync("/yr/podpools/info/" + id, Cancel))!.Value, PoolJson.Default.Pool)!;

    /// <summary>What the platform does once it has acted on a pool: report its status.</summary>
    private async Task SetStatusAsync(string id, int status)
    {
        var pool = await StoredAsync(id) with { Status = status };
        await Store.TxnAsync([], [new WriteOp.Put("/yr/podpools/info/" + id, JsonSerializer.SerializeToUtf8Bytes(pool, PoolJson.Default.Pool))], Cancel);
    }

    [Fact]
    public async Task Create_ThenList_ReturnsTheNormalisedPool()
    {
        var created = await Service.CreateAsync([new Pool { Id = "p1", Size = 1, MaxSize = 4 }], Cancel);
        var page = await Service.ListAsync(new PoolQuery("p1", null, 0, PoolQuery.DefaultLimit), Cancel);

        Assert.True(created.IsSuccess);
        var pool = Assert.Single(page.Pools!);
        Assert.Equal(("default", true, PoolStatus.New), (pool.Group, pool.Scalable, pool.Status));
    }

    [Fact]
    public async Task Create_OfAnExistingId_IsAConflict_AndKeepsTheFirst()
    {
        await Service.CreateAsync([new Pool { Id = "p1", Size = 1 }], Cancel);

        var refused = await Store.NothingWrittenAsync(() => Service.CreateAsync([new Pool { Id = "p1", Size = 7 }], Cancel));

        Assert.Equal(ErrorKind.Conflict, refused.Error!.Kind);
        Assert.Equal(1, (await StoredAsync("p1")).Size);
    }

    [Fact]
    public async Task RacingUpdates_OfARunningPool_OnlyOneApplies()
    {
        await Service.CreateAsync([new Pool { Id = "p1", Size = 1, MaxSize = 10 }], Cancel);
        await SetStatusAsync("p1", PoolStatus.Running);

        var updates = await Store.OneWriteAsync(() => Task.WhenAll(Enumerable.Range(2, 8).Select(size => Service.UpdateAsync("p1", new PoolUpdateRequest { Size = size, MaxSize = 10 }, Cancel))));

        Assert.Single(updates, u => u.IsSuccess);
        Assert.All(updates.Where(u => !u.IsSuccess), u => Assert.Equal(ErrorKind.Conflict, u.Error!.Kind));
        Assert.Equal(PoolStatus.UpdatePending, (await StoredAsync("p1")).Status);
    }

    [Fact]
    public async Task Delete_ThenUpdate_IsNotFound()
    {
        await Service.CreateAsync([new Pool { Id = "p1", Size = 1 }], Cancel);
        await SetStatusAsync("p1", PoolStatus.Running);

        var deleted = await Service.DeleteAsync("p1", null, Cancel);
        var updated = await Store.NothingWrittenAsync(() => Service.UpdateAsync("p1", new PoolUpdateRequest { Size = 2 }, Cancel));

        Assert.True(deleted.IsSuccess);
        Assert.Equal(PoolStatus.Deleted, (await StoredAsync("p1")).Status);
        Assert.Equal(4120, updated.Error!.Code);
    }
}

public sealed class SqlitePoolServiceTests : PoolServiceContract
{
    private readonly SqliteStores _stores = new();

    protected override Task<IMetaStore> OpenStoreAsync() => _stores.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _stores.Dispose();
    }
}

[Collection(EtcdSeam.Name)]
public sealed class EtcdPoolServiceTests(EtcdStores stores) : PoolServiceContract
{
    protected override Task<IMetaStore> OpenStoreAsync() => stores.OpenAsync();
}