using System.Text.Json;

using MetaService.Core.Pools;

using Xunit;

namespace MetaService.Core.Tests.Pools;

/// <summary>The rules of a new pool: each broken rule is its own "failed to create pod pool" message naming the pool.</summary>
public sealed class PoolRulesTests
{
    private const string IdFormat = "pod pool id can contain only lowercase letters, digits and '-'. "
        + "it cannot start or end with '-' and cannot exceed 40 characters or less than 1 characters";

    [Theory]
    [InlineData("a")]
    [InlineData("pool-1")]
    [InlineData("0123456789012345678901234567890123456789")]
    public void AnIdOfLowercaseLettersDigitsAndHyphens_UpTo40_IsAccepted(string id)
    {
        Assert.Empty(PoolRules.Problems(Valid(id)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Pool")]
    [InlineData("-p")]
    [InlineData("p-")]
    [InlineData("p_1")]
    [InlineData("01234567890123456789012345678901234567890")]
    public void AnyOtherId_IsRefused_WithTheIdFormat(string id)
    {
        Assert.Equal([$"failed to create pod pool, id: {id}, err: {IdFormat}"], PoolRules.Problems(Valid(id)));
    }

    [Fact]
    public void APoolWithoutId_IsRefusedAsAnEmptyId()
    {
        var pool = PoolRules.Normalise(JsonSerializer.Deserialize("""{"size":1}""", PoolJson.Default.Pool)!);

        Assert.Equal([$"failed to create pod pool, id: , err: {IdFormat}"], PoolRules.Problems(pool));
    }

    [Fact]
    public void AGroupOtherThanLettersDigitsAndHyphens_IsRefused_NamingIt()
    {
        Assert.Empty(PoolRules.Problems(Valid() with { Group = "Gpu-1" }));
        Assert.Equal(
            ["failed to create pod pool, id: p1, group: gpu_1, err: pod pool group can contain only letters, digits and '-'. it cannot start or end with '-' and cannot exceed 40 characters"],
            PoolRules.Problems(Valid() with { Group = "gpu_1" }));
    }

    [Fact]
    public void ANegativeSize_IsRefused()
    {
        var pool = PoolRules.Normalise(new Pool { Id = "p1", Size = -1 });

        Assert.Equal(["failed to create pod pool, id: p1, err: size is less than 0"], PoolRules.Problems(pool));
    }

    [Fact]
    public void AMaxSizeBelowSize_IsRefused()
    {
        var pool = PoolRules.Normalise(new Pool { Id = "p1", Size = 3, MaxSize = 2 });

        Assert.Equal(["failed to create pod pool, id: p1, err: max_size is less than size"], PoolRules.Problems(pool));
    }

    [Fact]
    public void AnAutoscaler_IsRefusedOnAScalablePool_OnlyThere()
    {
        var scalable = PoolRules.Normalise(new Pool { Id = "p1", Size = 1, MaxSize = 4, HorizontalPodAutoscalerSpec = "{}" });
        var fixedSize = PoolRules.Normalise(new Pool { Id = "p1", Size = 1, MaxSize = 1, HorizontalPodAutoscalerSpec = "{}" });

        Assert.Equal(
            ["failed to create pod pool, id: p1, err: max_size greater than size and horizontal_pod_autoscaler_spec cannot be set at the same time"],
            PoolRules.Problems(scalable));
        Assert.Empty(PoolRules.Problems(fixedSize));
        Assert.Empty(PoolRules.Problems(scalable with { HorizontalPodAutoscalerSpec = "" }));
    }

    [Fact]
    public void APendingThreshold_IsAccepted_FromZeroUp()
    {
        Assert.Empty(PoolRules.Problems(Valid() with { PodPendingDurationThreshold = 0 }));
        Assert.Empty(PoolRules.Problems(Valid() with { PodPendingDurationThreshold = 30 }));
        Assert.Equal(
            ["failed to create pod pool, id: p1, err: podPendingDurationThreshold should not be less than 0, which is -1"],
            PoolRules.Problems(Valid() with { PodPendingDurationThreshold = -1 }));
    }

    [Fact]
    public void EveryBrokenRule_IsReported()
    {
        var pool = PoolRules.Normalise(new Pool { Id = "P", Group = "-", Size = 2, MaxSize = 1, PodPendingDurationThreshold = -1 });

        Assert.Equal(4, PoolRules.Problems(pool).Count());
    }
    private static Pool Valid(string id = "p1") => PoolRules.Normalise(new Pool { Id = id, Size = 1 });

    [Fact]
    public void Normalise_LeavesEveryAbsentTextMemberEmpty()
    {
        var pool = PoolRules.Normalise(JsonSerializer.Deserialize("""{"id":null,"size":1}""", PoolJson.Default.Pool)!);

        string[] texts = [pool.Id, pool.Msg, pool.Image, pool.InitImage, pool.Volumes, pool.VolumeMounts, pool.Affinities,
            pool.RuntimeClassName, pool.Tolerations, pool.HorizontalPodAutoscalerSpec, pool.TopologySpreadConstraints];
        Assert.All(texts, text => Assert.Equal("", text));
        Assert.Equal("default", pool.Group);
    }

    [Fact]
    public void Normalise_KeepsTheGivenMessage()
    {
        var pool = PoolRules.Normalise(new Pool { Id = "p1", Size = 1, Msg = "from the platform" });

        Assert.Equal("from the platform", pool.Msg);
    }

    [Fact]
    public void IdleTimesOfMinusOne_MeanForever_AndAreAccepted()
    {
        var pool = Valid() with { IdleRecycleTime = new IdleRecycleTime { Reserved = -1, Scaled = -1 } };

        Assert.Empty(PoolRules.Problems(pool));
    }

    [Fact]
    public void IdleTimesBelowMinusOne_AreRefused()
    {
        var pool = Valid() with { IdleRecycleTime = new IdleRecycleTime { Reserved = -2, Scaled = -2 } };

        Assert.Equal(
            ["failed to create pod pool, id: p1, err: idle time of reserved should not less than -1", "failed to create pod pool, id: p1, err: idle time of scaled should not less than -1"],
            PoolRules.Problems(pool));
    }

    [Fact]
    public void TextsAtTheirByteLimits_AreAccepted()
    {
        var pool = Valid() with { Image = Bytes(200), InitImage = Bytes(200), RuntimeClassName = Bytes(64) };

        Assert.Empty(PoolRules.Problems(pool));
    }

    [Fact]
    public void TextsOverTheirByteLimits_AreRefused_CountingUtf8Bytes()
    {
        var pool = Valid() with { Image = Bytes(201), InitImage = Bytes(201), RuntimeClassName = Bytes(65) };

        Assert.Equal(
            [
                "failed to create pod pool, id: p1, err: image len is not in [1, 200]",
                "failed to create pod pool, id: p1, err: init image len is not in [1, 200]",
                "failed to create pod pool, id: p1, err: runtime_class_name should not greater than 64",
            ],
            PoolRules.Problems(pool));
    }

    [Fact]
    public void AnUpdateToSizeZero_OfARunningPool_IsAccepted()
    {
        var running = Valid() with { Status = PoolStatus.Running };

        var updated = PoolRules.ApplyUpdate(running, new PoolUpdateRequest { Size = 0, MaxSize = 0 });

        Assert.Equal((0, 0, PoolStatus.UpdatePending), (updated.Value!.Size, updated.Value.MaxSize, updated.Value.Status));
    }

    /// <summary>Two-byte characters: a limit in bytes is reached with half as many characters.</summary>
    private static string Bytes(int count) =>
        count % 2 == 0 ? new string('é', count / 2) : new string('é', count / 2) + "x";
}