using MetaService.Core.Pools;

using Xunit;

namespace MetaService.Core.Tests.Pools;

/// <summary>Deleting pools is a soft delete (status 6, which the platform acts on) of every pool matching the id and the
/// group, in one transaction; an id or a group is required, and no match is not found.</summary>
public sealed class PoolServiceDeleteTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly string[] Ids = ["p1", "p2", "p3"];

    /// <summary>p1 and p2 in group a, p3 in group b, all running.</summary>
    private static async Task<PoolService> ThreePoolsAsync(TempStore temp)
    {
        var service = new PoolService(temp.Store);
        await service.CreateAsync([new Pool { Id = "p1", Group = "a" }, new Pool { Id = "p2", Group = "a" }, new Pool { Id = "p3", Group = "b" }], None);
        foreach (var id in Ids)
        {
            await PlatformPools.SetStatusAsync(temp.Store, id, PoolStatus.Running);
        }

        return service;
    }

    /// <summary>The statuses of p1, p2 and p3.</summary>
    private static async Task<(int, int, int)> StatusesAsync(TempStore temp)
    {
        var statuses = await Task.WhenAll(Ids.Select(async id => (await PlatformPools.StoredAsync(temp.Store, id))!.Status));
        return (statuses[0], statuses[1], statuses[2]);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData(null, "")]
    public async Task NeitherIdNorGroup_IsRefused_AndWritesNothing(string? id, string? group)
    {
        await using var temp = new TempStore();
        var service = await ThreePoolsAsync(temp);
        var before = await temp.Store.GetRevisionAsync(None);

        var outcome = await service.DeleteAsync(id, group, None);

        Assert.Equal(
            (4104, "id and group cannot be empty at the same time. check input parameters", ErrorKind.Invalid),
            (outcome.Error!.Code, outcome.Error.Message, outcome.Error.Kind));
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
    }

    [Fact]
    public async Task AnId_SoftDeletesThatPool_AndKeepsItsValue()
    {
        await using var temp = new TempStore();
        var service = await ThreePoolsAsync(temp);

        var deleted = await service.DeleteAsync("p2", null, None);

        Assert.True(deleted.Value);
        Assert.Equal((PoolStatus.Running, PoolStatus.Deleted, PoolStatus.Running), await StatusesAsync(temp));
        Assert.Equal("a", (await PlatformPools.StoredAsync(temp.Store, "p2"))!.Group);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task AGroup_SoftDeletesEveryPoolInIt_InOneTransaction(string? id)
    {
        await using var temp = new TempStore();
        var service = await ThreePoolsAsync(temp);
        var before = await temp.Store.GetRevisionAsync(None);

        var deleted = await service.DeleteAsync(id, "a", None);

        Assert.True(deleted.Value);
        Assert.Equal(before + 1, await temp.Store.GetRevisionAsync(None));
        Assert.Equal((PoolStatus.Deleted, PoolStatus.Deleted, PoolStatus.Running), await StatusesAsync(temp));
    }

    [Fact]
    public async Task AnIdAndAGroup_MustBothMatch()
    {
        await using var temp = new TempStore();
        var service = await ThreePoolsAsync(temp);

        var deleted = await service.DeleteAsync("p3", "b", None);
        var mismatch = await service.DeleteAsync("p1", "b", None);

        Assert.True(deleted.Value);
        Assert.Equal((4120, ErrorKind.NotFound), (mismatch.Error!.Code, mismatch.Error.Kind));
        Assert.Equal((PoolStatus.Running, PoolStatus.Running, PoolStatus.Deleted), await StatusesAsync(temp));
    }

    [Fact]
    public async Task NoMatch_IsNotFound_AndWritesNothing()
    {
        await using var temp = new TempStore();
        var service = await ThreePoolsAsync(temp);
        var before = await temp.Store.GetRevisionAsync(None);

        var outcome = await service.DeleteAsync("p9", null, None);

        Assert.Equal("pool does not exist or has been deleted. check input parameters", outcome.Error!.Message);
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
    }

    [Fact]
    public async Task APlatformWriteBetweenReadAndWrite_IsReadAgain_AndKept()
    {
        await using var temp = new TempStore();
        await ThreePoolsAsync(temp);
        var racing = new RacingStore(temp.Store)
        {
            Rival = (store, n) => n == 0 ? PlatformPools.SetAsync(store, "p1", p => p with { ReadyCount = 3 }) : Task.CompletedTask,
        };

        var deleted = await new PoolService(racing).DeleteAsync(null, "a", None);

        Assert.True(deleted.Value);
        Assert.Equal(2, racing.Transactions);
        var p1 = (await PlatformPools.StoredAsync(temp.Store, "p1"))!;
        Assert.Equal((3, PoolStatus.Deleted), (p1.ReadyCount, p1.Status));
    }

    [Fact]
    public async Task ADelete_GivesUpAfter32LostRaces()
    {
        await using var temp = new TempStore();
        await ThreePoolsAsync(temp);
        var racing = new RacingStore(temp.Store) { Rival = (store, n) => PlatformPools.SetAsync(store, "p2", p => p with { ReadyCount = n }) };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new PoolService(racing).DeleteAsync(null, "a", None));

        Assert.Equal("deleting pod pools lost 32 races in a row", error.Message);
        Assert.Equal(32, racing.Transactions);
        Assert.Equal((PoolStatus.Running, PoolStatus.Running, PoolStatus.Running), await StatusesAsync(temp));
    }

    [Fact]
    public async Task ADryRunDelete_WritesNothing()
    {
        await using var temp = new TempStore();
        var service = await ThreePoolsAsync(temp);
        var before = await temp.Store.GetRevisionAsync(None);

        var deleted = await service.AsDryRun().DeleteAsync("p1", null, None);

        Assert.True(deleted.Value);
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
        Assert.Equal(PoolStatus.Running, (await PlatformPools.StoredAsync(temp.Store, "p1"))!.Status);
    }
}