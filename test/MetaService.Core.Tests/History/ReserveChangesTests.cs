using MetaService.Core.History;
using MetaService.Core.ReservedInstances;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>What history keeps of a reserved-instance write: per cluster the write names, the counts before (a replace) or
/// none (an add) and after; a delete names the label, or every label.</summary>
public sealed class ReserveChangesTests
{
    [Fact]
    public void AWrite_ReplacesTheCountsOfAKnownCluster_AndAddsANewOnes()
    {
        var before = new Dictionary<string, InstanceConfig> { ["c1"] = new() { ClusterId = "c1", MaxInstance = 2, MinInstance = 1 } };
        InstanceConfig[] after = [new() { ClusterId = "c1", MaxInstance = 5, MinInstance = 0 }, new() { ClusterId = "c2", MaxInstance = 3, MinInstance = 3 }];

        var changes = ReserveChanges.Written("gpu", before, after);

        Assert.Equal(
            [
                ("reservedInstances.gpu.c1", "replace", """{"maxInstance":2,"minInstance":1}""", """{"maxInstance":5,"minInstance":0}"""),
                ("reservedInstances.gpu.c2", "add", null, """{"maxInstance":3,"minInstance":3}"""),
            ],
            changes.Select(c => (c.Path, c.Op, c.From?.ToJsonString(), c.To!.ToJsonString())));
    }

    [Fact]
    public void AConfigWithoutCluster_IsTheEmptyClustersOne()
    {
        var before = new Dictionary<string, InstanceConfig> { [""] = new() { MaxInstance = 1 } };

        var change = Assert.Single(ReserveChanges.Written("l", before, [new InstanceConfig { MaxInstance = 4 }]));

        Assert.Equal(("reservedInstances.l.", "replace"), (change.Path, change.Op));
    }

    [Fact]
    public void ADelete_NamesTheLabel_OrEveryLabel()
    {
        var one = Assert.Single(ReserveChanges.Deleted("gpu"));
        var all = Assert.Single(ReserveChanges.Deleted(""));

        Assert.Equal(("reservedInstances.gpu", "remove", true, true), (one.Path, one.Op, one.From is null, one.To is null));
        Assert.Equal(("reservedInstances", "remove"), (all.Path, all.Op));
    }
}