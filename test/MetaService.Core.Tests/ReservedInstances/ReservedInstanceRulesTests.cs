using MetaService.Core.ReservedInstances;

using Xunit;

namespace MetaService.Core.Tests.ReservedInstances;

public sealed class ReservedInstanceRulesTests
{
    private static readonly MetaOptions Options = new() { Clusters = ["cluster002"] };

    private static ReserveRequest Request(string label = "lbl", params InstanceConfig[] configs) => new()
    {
        FuncName = "0@svc@fn",
        Version = "latest",
        InstanceLabel = label,
        InstanceConfigInfos = configs.Length == 0 ? [new InstanceConfig { MaxInstance = 1, MinInstance = 0 }] : [.. configs],
    };

    [Fact]
    public void ALabelOf63Characters_IsAccepted_And64AreNot()
    {
        var longest = ReservedInstanceRules.Check(Request(new string('a', 63)), ReserveAction.Create, Options);
        var tooLong = ReservedInstanceRules.Check(Request(new string('a', 64)), ReserveAction.Create, Options);

        Assert.True(longest.IsSuccess);
        Assert.Equal("instanceLabel: must not be longer than 63 characters. check input parameters", tooLong.Error!.Message);
    }

    [Fact]
    public void AClusterIdOver64Characters_IsRefusedForItsLength_AndOf64ForBeingUnknown()
    {
        var config64 = new InstanceConfig { ClusterId = new string('c', 64), MaxInstance = 1 };
        var config65 = new InstanceConfig { ClusterId = new string('c', 65), MaxInstance = 1 };

        var at = ReservedInstanceRules.Check(Request("lbl", config64), ReserveAction.Create, Options);
        var over = ReservedInstanceRules.Check(Request("lbl", config65), ReserveAction.Create, Options);

        Assert.Equal($"clusterID {new string('c', 64)} is not found. check input parameters", at.Error!.Message);
        Assert.Equal("clusterId: must not be longer than 64 characters. check input parameters", over.Error!.Message);
    }

    [Fact]
    public void InstanceCountsUpTo1000_AreAccepted_AndAbove()
    {
        var most = ReservedInstanceRules.Check(Request("lbl", new InstanceConfig { MaxInstance = 1000, MinInstance = 1000 }), ReserveAction.Update, Options);
        var over = ReservedInstanceRules.Check(Request("lbl", new InstanceConfig { MaxInstance = 1001, MinInstance = 0 }), ReserveAction.Update, Options);

        Assert.True(most.IsSuccess);
        Assert.Equal("maxInstance 1001 is not between 0 and 1000. check input parameters", over.Error!.Message);
    }

    [Fact]
    public void AGet_IsForEveryLabel_AndChecksNoConfiguration()
    {
        var request = Request("lbl", new InstanceConfig { ClusterId = "nowhere", MaxInstance = 5000 });

        var target = ReservedInstanceRules.Check(request, ReserveAction.Get, Options).Value!;

        Assert.Equal(("0@svc@fn", "latest", ""), (target.FuncName, target.Version, target.Label));
        Assert.Empty(target.Configs);
    }

    [Fact]
    public void ADelete_IsForItsLabel_AndChecksNoConfiguration()
    {
        var request = Request("lbl", new InstanceConfig { ClusterId = "nowhere", MaxInstance = 5000 });

        var target = ReservedInstanceRules.Check(request, ReserveAction.Delete, Options).Value!;

        Assert.Equal("lbl", target.Label);
        Assert.Empty(target.Configs);
    }

    [Fact]
    public void AnEmptyClusterId_IsTheDefaultCluster()
    {
        var target = ReservedInstanceRules.Check(Request("lbl", new InstanceConfig { MaxInstance = 2 }), ReserveAction.Create, Options).Value!;

        Assert.Equal("cluster001", Assert.Single(target.Configs).ClusterId);
    }
}