using MetaService.Core.Pools;

using Xunit;

namespace MetaService.Core.Tests.Pools;

/// <summary>Listing pools: the id and group filters (empty means any), pages by a 1-based offset, the count of every
/// match, the revision read at, and no page at all for a limit below 1 or a negative offset.</summary>
public sealed class PoolServiceListTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>p1..p3 in group a, p4 and p5 in group b.</summary>
    private static async Task<PoolService> FivePoolsAsync(TempStore temp)
    {
        var service = new PoolService(temp.Store);
        var created = await service.CreateAsync(
            [.. Enumerable.Range(1, 5).Select(i => new Pool { Id = $"p{i}", Group = i <= 3 ? "a" : "b", Size = 1 })], None);
        Assert.True(created.IsSuccess);
        return service;
    }

    /// <summary>The count and the ids of the page, joined by ','.</summary>
    private static async Task<(int Count, string Ids)> ListAsync(PoolService service, string? id, string? group, int offset = 0, int limit = 10)
    {
        var page = await service.ListAsync(new PoolQuery(id, group, offset, limit), None);
        return (page.Count, string.Join(',', page.Pools!.Select(p => p.Id)));
    }

    [Fact]
    public async Task NoFilter_ListsEveryPool_InIdOrder_AtTheStoreRevision()
    {
        await using var temp = new TempStore();
        var service = await FivePoolsAsync(temp);

        var page = await service.ListAsync(new PoolQuery(null, null, 0, PoolQuery.DefaultLimit), None);

        Assert.Equal(5, page.Count);
        Assert.Equal(["p1", "p2", "p3", "p4", "p5"], page.Pools!.Select(p => p.Id));
        Assert.Equal(await temp.Store.GetRevisionAsync(None), page.Revision);
    }

    [Fact]
    public async Task EmptyFilters_AreNoFilters()
    {
        await using var temp = new TempStore();
        var service = await FivePoolsAsync(temp);

        Assert.Equal(5, (await ListAsync(service, "", "")).Count);
    }

    [Fact]
    public async Task TheFilters_MatchTheIdAndTheGroup_Exactly()
    {
        await using var temp = new TempStore();
        var service = await FivePoolsAsync(temp);

        Assert.Equal((1, "p2"), await ListAsync(service, "p2", null));
        Assert.Equal((2, "p4,p5"), await ListAsync(service, null, "b"));
        Assert.Equal((1, "p4"), await ListAsync(service, "p4", "b"));
        Assert.Equal((0, ""), await ListAsync(service, "p4", "a"));
        Assert.Equal((0, ""), await ListAsync(service, "p", null));
    }

    [Theory]
    [InlineData(0, "p1,p2")]
    [InlineData(1, "p1,p2")]
    [InlineData(2, "p3,p4")]
    [InlineData(3, "p5")]
    [InlineData(4, "")]
    public async Task Pages_AreCountedFromOne_AndCountEveryMatch(int offset, string ids)
    {
        await using var temp = new TempStore();
        var service = await FivePoolsAsync(temp);

        Assert.Equal((5, ids), await ListAsync(service, null, null, offset, 2));
    }

    [Fact]
    public async Task AHugeOffset_IsAnEmptyPage()
    {
        await using var temp = new TempStore();
        var service = await FivePoolsAsync(temp);

        Assert.Equal((5, ""), await ListAsync(service, null, null, int.MaxValue, int.MaxValue));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, -1)]
    [InlineData(-1, 10)]
    public async Task ALimitBelowOne_OrANegativeOffset_HasNoPage(int offset, int limit)
    {
        await using var temp = new TempStore();
        var service = await FivePoolsAsync(temp);

        var page = await service.ListAsync(new PoolQuery(null, null, offset, limit), None);

        Assert.Equal(0, page.Count);
        Assert.Null(page.Pools);
        Assert.Null(page.Revision);
    }

    [Fact]
    public async Task APageOfOne_AtOffsetZero_IsTheFirstPool()
    {
        await using var temp = new TempStore();
        var service = await FivePoolsAsync(temp);

        Assert.Equal((5, "p1"), await ListAsync(service, null, null, 0, 1));
    }
}