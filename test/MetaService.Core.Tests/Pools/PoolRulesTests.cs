using System.Text.Json;

using MetaService.Core.Pools;

using Xunit;

namespace MetaService.Core.Tests.Pools;

public sealed class PoolRulesTests
{
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