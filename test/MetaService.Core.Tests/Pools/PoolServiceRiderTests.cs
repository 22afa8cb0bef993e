using System.Text;

using MetaService.Core.Pools;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Pools;

/// <summary>Creating pools with a rider (an idempotency record): valid pools with free ids commit in one transaction with
/// the rider's writes; a rider whose key was taken is answered as taken; any other failure creates the pools one by one
/// and leaves the rider's writes out.</summary>
public sealed class PoolServiceRiderTests
{
    private const string RiderKey = "/idem/pools";

    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A rider that expects its key absent and records the answer it rode with.</summary>
    private static TxnRider<bool> Rider() =>
        new([Compare.Absent(RiderKey)], answer => [new WriteOp.Put(RiderKey, Encoding.UTF8.GetBytes($"answer {answer}"))]);

    private static async Task<string?> RiderValueAsync(IMetaStore store) =>
        await store.GetAsync(RiderKey, None) is { } kv ? Encoding.UTF8.GetString(kv.Value) : null;

    [Fact]
    public async Task ValidPoolsWithFreeIds_CommitWithTheRider_InOneTransaction()
    {
        await using var temp = new TempStore();
        var before = await temp.Store.GetRevisionAsync(None);

        var created = await new PoolService(temp.Store).CreateAsync([new Pool { Id = "p1", Size = 1 }, new Pool { Id = "p2", Size = 1, MaxSize = 2 }], Rider(), None);

        Assert.True(created.Value);
        Assert.Equal(before + 1, await temp.Store.GetRevisionAsync(None));
        Assert.Equal("answer True", await RiderValueAsync(temp.Store));
        var p2 = (await PlatformPools.StoredAsync(temp.Store, "p2"))!;
        Assert.Equal(("default", 2, true), (p2.Group, p2.MaxSize, p2.Scalable));
        Assert.NotNull(await PlatformPools.StoredAsync(temp.Store, "p1"));
    }

    [Fact]
    public async Task ARiderWhoseKeyWasTaken_IsAnsweredAsTaken_AndNoPoolIsCreated()
    {
        await using var temp = new TempStore();
        await temp.Store.TxnAsync([], [new WriteOp.Put(RiderKey, Encoding.UTF8.GetBytes("other answer"))], None);
        var before = await temp.Store.GetRevisionAsync(None);

        var outcome = await new PoolService(temp.Store).CreateAsync([new Pool { Id = "p1", Size = 1 }], Rider(), None);

        Assert.Equal(TxnRiders.Taken(), outcome.Error);
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
        Assert.Equal("other answer", await RiderValueAsync(temp.Store));
    }

    [Fact]
    public async Task ATakenPoolId_CreatesTheOthersOneByOne_WithoutTheRider()
    {
        await using var temp = new TempStore();
        var service = new PoolService(temp.Store);
        await service.CreateAsync([new Pool { Id = "p1", Size = 1 }], None);

        var outcome = await service.CreateAsync([new Pool { Id = "p1", Size = 5 }, new Pool { Id = "p2", Size = 1 }], Rider(), None);

        Assert.Equal(
            (ErrorKind.Conflict, "failed to create pod pool, id: p1, err: pool id already exists or is deleting. check input parameters"),
            (outcome.Error!.Kind, outcome.Error.Message));
        Assert.Null(await RiderValueAsync(temp.Store));
        Assert.Equal(1, (await PlatformPools.StoredAsync(temp.Store, "p1"))!.Size);
        Assert.NotNull(await PlatformPools.StoredAsync(temp.Store, "p2"));
    }

    [Fact]
    public async Task APoolThatBreaksARule_LeavesTheRiderOut_AndIsNotStored()
    {
        await using var temp = new TempStore();

        var outcome = await new PoolService(temp.Store).CreateAsync([new Pool { Id = "p1", Size = 1 }, new Pool { Id = "P2", Size = 1 }], Rider(), None);

        Assert.Equal(ErrorKind.Invalid, outcome.Error!.Kind);
        Assert.Null(await RiderValueAsync(temp.Store));
        Assert.Null(await temp.Store.GetAsync(PlatformKeys.Pool("P2"), None));
        Assert.NotNull(await PlatformPools.StoredAsync(temp.Store, "p1"));
    }

    [Fact]
    public async Task TheSameIdTwice_LeavesTheRiderOut_AndCreatesTheFirst()
    {
        await using var temp = new TempStore();

        var outcome = await new PoolService(temp.Store).CreateAsync([new Pool { Id = "p1", Size = 1 }, new Pool { Id = "p1", Size = 2 }], Rider(), None);

        Assert.Equal(ErrorKind.Conflict, outcome.Error!.Kind);
        Assert.Null(await RiderValueAsync(temp.Store));
        Assert.Equal(1, (await PlatformPools.StoredAsync(temp.Store, "p1"))!.Size);
    }
}