using MetaService.Core.Pools;

using Xunit;

namespace MetaService.Core.Tests.Pools;

/// <summary>Updating a pool: what is stored after it, the refusals that write nothing, the re-read after another writer
/// changed the pool (so the status gate sees the new status), the give-up after too many lost races, and a dry run.</summary>
public sealed class PoolServiceUpdateTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<PoolService> RunningPoolAsync(TempStore temp, int size = 1, int maxSize = 4)
    {
        var service = new PoolService(temp.Store);
        Assert.True((await service.CreateAsync([new Pool { Id = "p1", Size = size, MaxSize = maxSize }], None)).IsSuccess);
        await PlatformPools.SetStatusAsync(temp.Store, "p1", PoolStatus.Running);
        return service;
    }

    [Fact]
    public async Task AnUpdateOfARunningPool_StoresTheNewSizes_PendingForThePlatform()
    {
        await using var temp = new TempStore();
        var service = await RunningPoolAsync(temp);

        var updated = await service.UpdateAsync("p1", new PoolUpdateRequest { Size = 2, MaxSize = 6 }, None);

        Assert.True(updated.Value);
        var stored = (await PlatformPools.StoredAsync(temp.Store, "p1"))!;
        Assert.Equal((2, 6, PoolStatus.UpdatePending), (stored.Size, stored.MaxSize, stored.Status));
    }

    [Fact]
    public async Task AnUpdateOfAMissingPool_IsNotFound_AndWritesNothing()
    {
        await using var temp = new TempStore();
        var before = await temp.Store.GetRevisionAsync(None);

        var outcome = await new PoolService(temp.Store).UpdateAsync("p1", new PoolUpdateRequest { Size = 1 }, None);

        Assert.Equal((4120, ErrorKind.NotFound), (outcome.Error!.Code, outcome.Error.Kind));
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
    }

    [Fact]
    public async Task AnUpdateOfANewPool_IsBusy_AndWritesNothing()
    {
        await using var temp = new TempStore();
        var service = new PoolService(temp.Store);
        await service.CreateAsync([new Pool { Id = "p1", Size = 1 }], None);
        var before = await temp.Store.GetRevisionAsync(None);

        var outcome = await service.UpdateAsync("p1", new PoolUpdateRequest { Size = 2 }, None);

        Assert.Equal("pool status is 0 , not allowed to update. check input parameters", outcome.Error!.Message);
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
        Assert.Equal(1, (await PlatformPools.StoredAsync(temp.Store, "p1"))!.Size);
    }

    [Fact]
    public async Task AnUpdateThatBreaksTheSizeRules_WritesNothing()
    {
        await using var temp = new TempStore();
        var service = await RunningPoolAsync(temp);
        var before = await temp.Store.GetRevisionAsync(None);

        var outcome = await service.UpdateAsync("p1", new PoolUpdateRequest { Size = 5, MaxSize = 3 }, None);

        Assert.Equal(ErrorKind.Invalid, outcome.Error!.Kind);
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
    }

    [Fact]
    public async Task APlatformWriteBetweenReadAndWrite_IsReadAgain_AndKept()
    {
        await using var temp = new TempStore();
        await RunningPoolAsync(temp);
        var racing = new RacingStore(temp.Store)
        {
            Rival = (store, n) => n == 0 ? PlatformPools.SetAsync(store, "p1", p => p with { ReadyCount = 3 }) : Task.CompletedTask,
        };

        var updated = await new PoolService(racing).UpdateAsync("p1", new PoolUpdateRequest { Size = 2, MaxSize = 6 }, None);

        Assert.True(updated.Value);
        Assert.Equal(2, racing.Transactions);
        var stored = (await PlatformPools.StoredAsync(temp.Store, "p1"))!;
        Assert.Equal((2, 3, PoolStatus.UpdatePending), (stored.Size, stored.ReadyCount, stored.Status));
    }

    [Fact]
    public async Task AnUpdateThatLostTheRace_ToAnotherUpdate_IsBusy()
    {
        await using var temp = new TempStore();
        await RunningPoolAsync(temp);
        var racing = new RacingStore(temp.Store)
        {
            Rival = (store, n) => n == 0 ? PlatformPools.SetStatusAsync(store, "p1", PoolStatus.UpdatePending) : Task.CompletedTask,
        };

        var outcome = await new PoolService(racing).UpdateAsync("p1", new PoolUpdateRequest { Size = 2, MaxSize = 6 }, None);

        Assert.Equal("pool status is 2 , not allowed to update. check input parameters", outcome.Error!.Message);
        Assert.Equal(1, (await PlatformPools.StoredAsync(temp.Store, "p1"))!.Size);
    }

    [Fact]
    public async Task AnUpdate_GivesUpAfter32LostRaces()
    {
        await using var temp = new TempStore();
        await RunningPoolAsync(temp);
        var racing = new RacingStore(temp.Store) { Rival = (store, n) => PlatformPools.SetAsync(store, "p1", p => p with { ReadyCount = n }) };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new PoolService(racing).UpdateAsync("p1", new PoolUpdateRequest { Size = 2 }, None));

        Assert.Equal("updating pod pool p1 lost 32 races in a row", error.Message);
        Assert.Equal(32, racing.Transactions);
        Assert.Equal(1, (await PlatformPools.StoredAsync(temp.Store, "p1"))!.Size);
    }

    [Fact]
    public async Task ADryRunUpdate_ChecksEverything_AndWritesNothing()
    {
        await using var temp = new TempStore();
        var service = await RunningPoolAsync(temp);
        var before = await temp.Store.GetRevisionAsync(None);

        var updated = await service.AsDryRun().UpdateAsync("p1", new PoolUpdateRequest { Size = 2, MaxSize = 6 }, None);
        var refused = await service.AsDryRun().UpdateAsync("p1", new PoolUpdateRequest { Size = 7, MaxSize = 6 }, None);

        Assert.True(updated.Value);
        Assert.Equal(ErrorKind.Invalid, refused.Error!.Kind);
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
        Assert.Equal(PoolStatus.Running, (await PlatformPools.StoredAsync(temp.Store, "p1"))!.Status);
    }
}