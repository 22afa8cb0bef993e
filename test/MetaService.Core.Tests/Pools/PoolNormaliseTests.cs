using System.Text.Json;

using MetaService.Core.Pools;

using Xunit;

namespace MetaService.Core.Tests.Pools;

/// <summary>A new pool as it is stored: the defaults of group and max_size, scalable derived from the sizes, and every
/// member the caller gave kept as given.</summary>
public sealed class PoolNormaliseTests
{
    [Theory]
    [InlineData(3, 0, 3, false)]
    [InlineData(3, 3, 3, false)]
    [InlineData(1, 4, 4, true)]
    [InlineData(0, 0, 0, false)]
    [InlineData(0, 2, 2, true)]
    public void MaxSize_DefaultsToSize_AndScalableMeansRoomAboveIt(int size, int maxSize, int storedMax, bool scalable)
    {
        var pool = PoolRules.Normalise(new Pool { Id = "p1", Size = size, MaxSize = maxSize });

        Assert.Equal((size, storedMax, scalable), (pool.Size, pool.MaxSize, pool.Scalable));
    }

    [Fact]
    public void AGivenGroup_IsKept_AndAnEmptyOneIsTheDefault()
    {
        Assert.Equal("gpu", PoolRules.Normalise(new Pool { Id = "p1", Group = "gpu" }).Group);
        Assert.Equal("default", PoolRules.Normalise(new Pool { Id = "p1", Group = "" }).Group);
    }

    [Fact]
    public void EveryGivenMember_IsKeptAsGiven()
    {
        var given = new Pool
        {
            Id = "p1",
            Size = 1,
            Msg = "m",
            Image = "img",
            InitImage = "init",
            Resources = new PoolResources { Requests = new() { ["cpu"] = "1" }, Limits = new() { ["memory"] = "1Gi" } },
            Volumes = "[1]",
            VolumeMounts = "[2]",
            Affinities = "[3]",
            RuntimeClassName = "runc",
            Tolerations = "[4]",
            HorizontalPodAutoscalerSpec = "{}",
            TopologySpreadConstraints = "[5]",
            IdleRecycleTime = new IdleRecycleTime { Reserved = 7, Scaled = 8 },
        };

        var pool = PoolRules.Normalise(given);

        string[] texts = [pool.Id, pool.Msg, pool.Image, pool.InitImage, pool.Volumes, pool.VolumeMounts, pool.Affinities, pool.RuntimeClassName,
            pool.Tolerations, pool.HorizontalPodAutoscalerSpec, pool.TopologySpreadConstraints];
        Assert.Equal(["p1", "m", "img", "init", "[1]", "[2]", "[3]", "runc", "[4]", "{}", "[5]"], texts);
        Assert.Same(given.Resources, pool.Resources);
        Assert.Equal((7, 8), (pool.IdleRecycleTime.Reserved, pool.IdleRecycleTime.Scaled));
    }

    [Fact]
    public void AbsentResourcesAndIdleTimes_AreEmptyObjects()
    {
        var pool = PoolRules.Normalise(JsonSerializer.Deserialize("""{"id":"p1","size":1,"resources":null,"idle_recycle_time":null}""", PoolJson.Default.Pool)!);

        Assert.Null(pool.Resources.Requests);
        Assert.Null(pool.Resources.Limits);
        Assert.Equal((0, 0), (pool.IdleRecycleTime.Reserved, pool.IdleRecycleTime.Scaled));
    }

    [Fact]
    public void ANewPool_HasEmptyTexts_BeforeAnythingIsGiven()
    {
        var pool = new Pool();

        string[] texts = [pool.Id, pool.Group, pool.Msg, pool.Image, pool.InitImage, pool.Volumes, pool.VolumeMounts, pool.Affinities,
            pool.RuntimeClassName, pool.Tolerations, pool.HorizontalPodAutoscalerSpec, pool.TopologySpreadConstraints];
        Assert.All(texts, text => Assert.Equal("", text));
    }
}