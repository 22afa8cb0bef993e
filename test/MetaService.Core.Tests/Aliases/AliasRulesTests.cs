using MetaService.Core.Aliases;

using Xunit;

namespace MetaService.Core.Tests.Aliases;

/// <summary>The rules an alias's name and routing must keep, each refusal with its code and a message that names what to
/// change: names, weights that are whole numbers summing to 100, and header rules the consumers can evaluate.</summary>
public sealed class AliasRulesTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("a1")]
    [InlineData("a-b")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("prod-2")]
    public void AValidName_IsAccepted(string name)
    {
        Assert.Null(AliasRules.CheckName(name));
        Assert.True(AliasRules.IsAliasName(name));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("1a")]
    [InlineData("ab-")]
    [InlineData("Ab")]
    [InlineData("a_b")]
    [InlineData("abcdefghijklmnopq")]
    [InlineData("ab\n")]
    public void AnInvalidName_IsRefused_SayingWhatANameIs(string name)
    {
        var error = AliasRules.CheckName(name);

        Assert.Equal(4104, error!.Code);
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal($"alias name [{name}] is invalid: use 2 to 16 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen. check input parameters", error.Message);
        Assert.False(AliasRules.IsAliasName(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoName_IsRefused_AsRequired(string? name)
    {
        Assert.Equal("name is required: 2 to 16 lower-case letters, digits or hyphens, starting with a letter. check input parameters", AliasRules.CheckName(name)!.Message);
    }

    [Fact]
    public void TheDraftsName_IsRefused()
    {
        Assert.Equal("alias name [latest] names the draft: choose another name. check input parameters", AliasRules.CheckName("latest")!.Message);
    }

    [Fact]
    public void NoRouting_IsNoWeights()
    {
        var routing = AliasRules.Routing(null, null, null).Value;

        Assert.Empty(routing.Weights);
        Assert.Null(routing.Type);
        Assert.Null(routing.Rules);
        Assert.Empty(AliasRules.Routing([], "weight", null).Value.Weights);
        Assert.Empty(AliasRules.Routing([], "", null).Value.Weights);
    }

    [Fact]
    public void Weights_ThatAreWholeAndSumTo100_AreKept()
    {
        var routing = AliasRules.Routing(new() { ["1"] = 30, ["2"] = 70, ["latest"] = 0 }, "weight", null);

        Assert.Equal(new Dictionary<string, int> { ["1"] = 30, ["2"] = 70, ["latest"] = 0 }, routing.Value.Weights);
        Assert.Null(routing.Value.Type);
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100 }, AliasRules.Routing(new() { ["v1"] = 100 }, null, null).Value.Weights);
    }

    [Theory]
    [InlineData(-1, "the weight of version [1] is -1: weights are whole numbers from 0 to 100")]
    [InlineData(101, "the weight of version [1] is 101: weights are whole numbers from 0 to 100")]
    [InlineData(50.5, "the weight of version [1] is 50.5: weights are whole numbers from 0 to 100")]
    public void AWeightOutOfRangeOrNotWhole_IsRefused(double weight, string message)
    {
        var error = AliasRules.Routing(new() { ["1"] = weight, ["2"] = 100 - weight }, null, null).Error;

        Assert.Equal((4104, message + ". check input parameters"), (error!.Code, error.Message));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void TheEdgeWeights_AreWhole(double weight)
    {
        Assert.Null(AliasRules.Routing(new() { ["1"] = weight, ["2"] = 100 - weight }, null, null).Error);
    }

    [Theory]
    [InlineData(60, 30)]
    [InlineData(60, 50)]
    public void WeightsNotSummingTo100_AreRefusedWith4103(double first, double second)
    {
        var error = AliasRules.Routing(new() { ["1"] = first, ["2"] = second }, null, null).Error;

        Assert.Equal((4103, ErrorKind.Invalid), (error!.Code, error.Kind));
        Assert.Equal("total routing weight is not 100. check the routing weight. the sum of the values is 100", error.Message);
    }

    [Fact]
    public void AWeightOfAnInvalidVersion_IsRefused()
    {
        var error = AliasRules.Routing(new() { ["v/1"] = 100 }, null, null).Error;

        Assert.Equal("routingConfig names [v/1], which is not a version number. check input parameters", error!.Message);
        Assert.Null(AliasRules.Routing(new() { ["$latest"] = 100 }, null, null).Error);
    }

    [Fact]
    public void MoreThan16Weights_AreRefused_16AreNot()
    {
        var sixteen = Enumerable.Range(1, 16).ToDictionary(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture), i => i == 1 ? 85.0 : 1.0);
        var seventeen = new Dictionary<string, double>(sixteen) { ["17"] = 0 };

        Assert.Null(AliasRules.Routing(sixteen, null, null).Error);
        Assert.Equal(
            "routingConfig has 17 entries: an alias routes to at most 16 versions. check input parameters",
            AliasRules.Routing(seventeen, null, null).Error!.Message);
    }

    [Fact]
    public void AnUnknownRoutingType_IsRefused()
    {
        Assert.Equal(
            "routingType [header] is invalid: use \"weight\" (or leave it out) or \"rule\". check input parameters",
            AliasRules.Routing(null, "header", null).Error!.Message);
    }

    [Fact]
    public void RulesWithoutTheRuleType_AreRefused()
    {
        Assert.Equal(
            "routingRules needs routingType \"rule\". check input parameters",
            AliasRules.Routing(null, "weight", Rules("and", ["h:=:1"], "2")).Error!.Message);
        Assert.Equal("routingRules needs routingType \"rule\". check input parameters", AliasRules.Routing(null, null, Rules("and", ["h:=:1"], "2")).Error!.Message);
    }

    private static RoutingRules Rules(string? logic, IReadOnlyList<string>? rules, string? gray) =>
        new() { RuleLogic = logic, Rules = rules, GrayVersion = gray };
}