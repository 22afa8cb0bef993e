using MetaService.Core.ReservedInstances;

using Xunit;

namespace MetaService.Core.Tests.ReservedInstances;

/// <summary>Every rule of a reserve-instance request with its message, all broken rules reported at once as one 4104,
/// and what each action checks.</summary>
public sealed class ReservedInstanceRequestRulesTests
{
    private static readonly MetaOptions Options = new() { Clusters = ["cluster002"] };

    private static ReserveRequest Request(string? name = "0@svc@fn", string? version = "latest", string? label = "lbl", params InstanceConfig[] configs) => new()
    {
        FuncName = name,
        Version = version,
        InstanceLabel = label,
        InstanceConfigInfos = [.. configs],
    };

    private static string Refusal(ReserveRequest request, ReserveAction action = ReserveAction.Create)
    {
        var error = ReservedInstanceRules.Check(request, action, Options).Error!;
        Assert.Equal((4104, ErrorKind.Invalid), (error.Code, error.Kind));
        return error.Message;
    }

    [Theory]
    [InlineData("0@svc@f")]
    [InlineData("0@Svc1@fn-2")]
    [InlineData("0@abcdefghijklmnop@fn")]
    public void AFaasName_IsAccepted(string name)
    {
        Assert.True(ReservedInstanceRules.Check(Request(name), ReserveAction.Create, Options).IsSuccess);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("0@svc@Fn")]
    [InlineData("0@svc@fn-")]
    [InlineData("0@abcdefghijklmnopq@fn")]
    [InlineData("1@svc@fn")]
    public void AnyOtherName_IsRefused_NamingTheFormat(string name)
    {
        Assert.Equal(
            $"funcName {name} is invalid: the format is 0@{{serviceName}}@{{funcName}}, serviceName 1 to 16 letters or digits, funcName lowercase letters, digits and hyphens. check input parameters",
            Refusal(Request(name)));
    }

    [Fact]
    public void MissingNameVersionAndLabel_AreEachReported()
    {
        Assert.Equal(
            "funcName: non zero value required; version: non zero value required; instanceLabel cannot be empty. check input parameters",
            Refusal(Request(null, null, null)));
        Assert.Equal("version: non zero value required. check input parameters", Refusal(Request(version: ""), ReserveAction.Get));
    }

    [Theory]
    [InlineData(ReserveAction.Create)]
    [InlineData(ReserveAction.Update)]
    public void AWrite_NeedsALabel(ReserveAction action)
    {
        Assert.Equal("instanceLabel cannot be empty. check input parameters", Refusal(Request(label: ""), action));
    }

    [Fact]
    public void ADeleteOrGet_NeedsNoLabel()
    {
        Assert.Equal("", ReservedInstanceRules.Check(Request(label: null), ReserveAction.Delete, Options).Value!.Label);
        Assert.True(ReservedInstanceRules.Check(Request(label: "-bad-"), ReserveAction.Get, Options).IsSuccess);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("A.b_c-9")]
    public void ALabelOfLettersDigitsAndSeparators_IsAccepted(string label)
    {
        Assert.Equal(label, ReservedInstanceRules.Check(Request(label: label), ReserveAction.Update, Options).Value!.Label);
    }

    [Theory]
    [InlineData("-a")]
    [InlineData("a_")]
    [InlineData("a b")]
    public void AnyOtherLabel_IsRefused_OnWriteAndDelete(string label)
    {
        var expected = $"instanceLabel {label} is invalid: letters, digits, '-', '_' and '.', starting and ending with a letter or digit. check input parameters";

        Assert.Equal(expected, Refusal(Request(label: label)));
        Assert.Equal(expected, Refusal(Request(label: label), ReserveAction.Delete));
    }

    [Fact]
    public void AnUnknownOrRepeatedCluster_IsRefused()
    {
        Assert.Equal(
            "clusterID cluster009 is not found; clusterID cluster001 is repeated. check input parameters",
            Refusal(Request(configs: [new() { ClusterId = "cluster009", MaxInstance = 1 }, new() { MaxInstance = 1 }, new() { ClusterId = "cluster001", MaxInstance = 1 }])));
    }

    [Fact]
    public void EachCluster_IsCheckedAndKept_InRequestOrder()
    {
        var target = ReservedInstanceRules.Check(
            Request(configs: [new() { ClusterId = "cluster002", MaxInstance = 2, MinInstance = 1 }, new() { MaxInstance = 5 }]), ReserveAction.Create, Options).Value!;

        Assert.Equal([("cluster002", 2L, 1L), ("cluster001", 5L, 0L)], target.Configs.Select(c => (c.ClusterId!, c.MaxInstance, c.MinInstance)));
    }

    [Fact]
    public void CountsOutsideTheRange_OrMaxBelowMin_AreRefused()
    {
        Assert.Equal(
            "minInstance -1 is not between 0 and 1000. check input parameters",
            Refusal(Request(configs: [new InstanceConfig { MaxInstance = 0, MinInstance = -1 }])));
        Assert.Equal(
            "maxInstance -1 is not between 0 and 1000; maxInstance -1 is less than minInstance 0. check input parameters",
            Refusal(Request(configs: [new InstanceConfig { MaxInstance = -1, MinInstance = 0 }])));
        Assert.Equal(
            "minInstance 1001 is not between 0 and 1000; maxInstance 1000 is less than minInstance 1001. check input parameters",
            Refusal(Request(configs: [new InstanceConfig { MaxInstance = 1000, MinInstance = 1001 }])));
        Assert.True(ReservedInstanceRules.Check(Request(configs: [new InstanceConfig { MaxInstance = 0, MinInstance = 0 }]), ReserveAction.Create, Options).IsSuccess);
        Assert.True(ReservedInstanceRules.Check(Request(configs: [new InstanceConfig { MaxInstance = 3, MinInstance = 3 }]), ReserveAction.Create, Options).IsSuccess);
    }

    [Fact]
    public void AWriteWithoutConfigurations_IsAccepted_WithNone()
    {
        var target = ReservedInstanceRules.Check(Request() with { InstanceConfigInfos = null }, ReserveAction.Create, Options).Value!;

        Assert.Empty(target.Configs);
    }
}