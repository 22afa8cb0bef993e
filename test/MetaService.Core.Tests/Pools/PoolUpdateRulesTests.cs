using MetaService.Core.Pools;

using Xunit;

namespace MetaService.Core.Tests.Pools;

/// <summary>The rules of a pool update: negative sizes first, then a missing or deleted pool, then the status gate, then
/// the sizes of the pool as it would be; the sizes a scalable and a fixed pool end with.</summary>
public sealed class PoolUpdateRulesTests
{
    private static Pool Running(int size, int maxSize, string autoscaler = "") =>
        PoolRules.Normalise(new Pool { Id = "p1", Size = size, MaxSize = maxSize, HorizontalPodAutoscalerSpec = autoscaler }) with { Status = PoolStatus.Running };

    private static MetaError Refusal(Pool? stored, int size, int maxSize) =>
        PoolRules.ApplyUpdate(stored, new PoolUpdateRequest { Size = size, MaxSize = maxSize }).Error!;

    [Fact]
    public void NegativeSizes_AreRefused_BothNamed_BeforeThePoolIsLookedAt()
    {
        Assert.Equal(
            (4104, "failed to update pod pool, err: size is less than 0. check input parameters", ErrorKind.Invalid),
            ToTuple(Refusal(null, -1, 0)));
        Assert.Equal("failed to update pod pool, err: max_size is less than 0. check input parameters", Refusal(null, 0, -1).Message);
        Assert.Equal(
            "failed to update pod pool, err: size is less than 0; failed to update pod pool, err: max_size is less than 0. check input parameters",
            Refusal(null, -1, -1).Message);
    }

    [Fact]
    public void AMissingOrDeletedPool_IsNotFound()
    {
        var expected = (4120, "pool does not exist or has been deleted. check input parameters", ErrorKind.NotFound);

        Assert.Equal(expected, ToTuple(Refusal(null, 1, 1)));
        Assert.Equal(expected, ToTuple(Refusal(Running(1, 1) with { Status = PoolStatus.Deleted }, 1, 1)));
    }

    [Theory]
    [InlineData(PoolStatus.New)]
    [InlineData(PoolStatus.UpdatePending)]
    public void APoolThePlatformHasNotTakenUp_IsBusy(int status)
    {
        var error = Refusal(Running(1, 1) with { Status = status }, 2, 2);

        Assert.Equal((4104, $"pool status is {status} , not allowed to update. check input parameters", ErrorKind.Conflict), ToTuple(error));
    }

    [Theory]
    [InlineData(PoolStatus.Creating)]
    [InlineData(PoolStatus.Updating)]
    [InlineData(PoolStatus.Running)]
    [InlineData(PoolStatus.Failed)]
    public void APoolInAnyOtherStatus_IsUpdated_AndWaitsForThePlatformAgain(int status)
    {
        var updated = PoolRules.ApplyUpdate(Running(1, 1) with { Status = status }, new PoolUpdateRequest { Size = 2 }).Value!;

        Assert.Equal((2, 2, PoolStatus.UpdatePending), (updated.Size, updated.MaxSize, updated.Status));
    }

    [Fact]
    public void AFixedPool_KeepsMaxSizeEqualToSize_WhateverTheRequestSays()
    {
        var updated = PoolRules.ApplyUpdate(Running(2, 2), new PoolUpdateRequest { Size = 3, MaxSize = 9 }).Value!;

        Assert.Equal((3, 3), (updated.Size, updated.MaxSize));
    }

    [Fact]
    public void AScalablePool_TakesTheRequestedMaxSize_OrKeepsItsOwnWhenTheRequestGivesNone()
    {
        var stored = Running(1, 5);

        var given = PoolRules.ApplyUpdate(stored, new PoolUpdateRequest { Size = 2, MaxSize = 8 }).Value!;
        var kept = PoolRules.ApplyUpdate(stored, new PoolUpdateRequest { Size = 2, MaxSize = 0 }).Value!;
        var emptied = PoolRules.ApplyUpdate(stored, new PoolUpdateRequest { Size = 0, MaxSize = 0 }).Value!;

        Assert.Equal((2, 8), (given.Size, given.MaxSize));
        Assert.Equal((2, 5), (kept.Size, kept.MaxSize));
        Assert.Equal((0, 0), (emptied.Size, emptied.MaxSize));
    }

    [Fact]
    public void AScalablePool_CannotGetAMaxSizeBelowItsSize()
    {
        var error = Refusal(Running(1, 5), 6, 4);

        Assert.Equal((4104, "failed to update pod pool, err: max_size is less than size. check input parameters", ErrorKind.Invalid), ToTuple(error));
    }

    [Fact]
    public void TheAutoscaler_IsKeptWhenNoneIsGiven_AndReplacedWhenOneIs()
    {
        var stored = Running(2, 2, "{\"min\":1}");

        var kept = PoolRules.ApplyUpdate(stored, new PoolUpdateRequest { Size = 3, HorizontalPodAutoscalerSpec = "" }).Value!;
        var keptNull = PoolRules.ApplyUpdate(stored, new PoolUpdateRequest { Size = 3 }).Value!;
        var replaced = PoolRules.ApplyUpdate(stored, new PoolUpdateRequest { Size = 3, HorizontalPodAutoscalerSpec = "{\"min\":2}" }).Value!;

        Assert.Equal(("{\"min\":1}", "{\"min\":1}", "{\"min\":2}"), (kept.HorizontalPodAutoscalerSpec, keptNull.HorizontalPodAutoscalerSpec, replaced.HorizontalPodAutoscalerSpec));
    }

    [Fact]
    public void AnAutoscaler_OnAPoolThatWouldScaleByMaxSize_IsRefused()
    {
        var error = PoolRules.ApplyUpdate(Running(1, 5), new PoolUpdateRequest { Size = 2, MaxSize = 6, HorizontalPodAutoscalerSpec = "{}" }).Error!;

        Assert.Equal(
            "failed to update pod pool, err: max_size greater than size and horizontal_pod_autoscaler_spec cannot be set at the same time. check input parameters",
            error.Message);
    }

    [Fact]
    public void AnUpdate_KeepsEveryOtherMember()
    {
        var stored = Running(1, 1) with { Image = "img", Group = "gpu", ReadyCount = 1, Msg = "ok" };

        var updated = PoolRules.ApplyUpdate(stored, new PoolUpdateRequest { Size = 2 }).Value!;

        Assert.Equal(stored with { Size = 2, MaxSize = 2, Status = PoolStatus.UpdatePending }, updated);
    }

    private static (int Code, string Message, ErrorKind Kind) ToTuple(MetaError error) => (error.Code, error.Message, error.Kind);
}