using MetaService.Core.Aliases;

using Xunit;

namespace MetaService.Core.Tests.Aliases;

/// <summary>Rule routing (<c>routingType: rule</c>): a logic of <c>and</c> or <c>or</c>, 1 to 16 rules the consumers split
/// as <c>header:op:value</c>, and the gray version requests matching them go to; each refusal says what to change.</summary>
public sealed class AliasRuleRoutingTests
{
    [Fact]
    public void ValidRules_AreKept_AsARuleAlias_WithNoWeights()
    {
        var rules = Rules("or", ["x-user:=:42", "region:in:a,b", "age:>=:-3", "age:<:7", "tier:!=:gold", "n:>:0", "n:<=:9"], "2");

        var routing = AliasRules.Routing(null, "rule", rules).Value;

        Assert.Empty(routing.Weights);
        Assert.Equal("rule", routing.Type);
        Assert.Equal(rules.Rules, routing.Rules!.Rules);
        Assert.Equal(("or", "2"), (routing.Rules.RuleLogic, routing.Rules.GrayVersion));
        Assert.Null(AliasRules.Routing([], "rule", Rules("and", ["h:=:1"], "latest")).Error);
    }

    [Fact]
    public void TheRulesKept_AreACopy_OfTheListGiven()
    {
        var list = new List<string> { "h:=:1" };

        var kept = AliasRules.Routing(null, "rule", Rules("and", list, "2")).Value.Rules!;
        list.Add("h:=:2");

        Assert.Equal(["h:=:1"], kept.Rules);
    }

    [Fact]
    public void ARuleAliasWithWeights_IsRefused()
    {
        Assert.Equal(
            "a rule alias routes by routingRules: leave routingConfig out. check input parameters",
            AliasRules.Routing(new() { ["1"] = 100 }, "rule", Rules("and", ["h:=:1"], "2")).Error!.Message);
    }

    [Fact]
    public void ARuleAliasWithoutRules_IsRefused()
    {
        Assert.Equal(
            "routingType \"rule\" needs routingRules {ruleLogic, rules, grayVersion}. check input parameters",
            AliasRules.Routing(null, "rule", null).Error!.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("xor")]
    [InlineData("AND")]
    public void AnUnknownLogic_IsRefused(string? logic)
    {
        Assert.Equal(
            $"ruleLogic [{logic}] is invalid: use \"and\" or \"or\". check input parameters",
            AliasRules.Routing(null, "rule", Rules(logic, ["h:=:1"], "2")).Error!.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(-1)]
    public void NoRulesOrMoreThan16_AreRefused(int count)
    {
        var list = count < 0 ? null : Enumerable.Repeat("h:=:1", count).ToList();

        Assert.Equal(
            "rules must hold 1 to 16 rules of the form \"header:op:value\". check input parameters",
            AliasRules.Routing(null, "rule", Rules("and", list, "2")).Error!.Message);
    }

    [Fact]
    public void SixteenRules_AreAccepted()
    {
        Assert.Null(AliasRules.Routing(null, "rule", Rules("and", Enumerable.Repeat("h:=:1", 16).ToList(), "2")).Error);
    }

    [Theory]
    [InlineData("h:=", "write header:op:value, with no ':' in the value")]
    [InlineData("h:=:a:b", "write header:op:value, with no ':' in the value")]
    [InlineData("X-User:=:1", "the header name must be lower case letters, digits, '-' or '_' (the platform compares lower-cased header names)")]
    [InlineData(":=:1", "the header name must be lower case letters, digits, '-' or '_' (the platform compares lower-cased header names)")]
    [InlineData("h:==:1", "operator [==] is unknown: use one of = != > < >= <= in")]
    [InlineData("h:=: ", "the value is empty")]
    [InlineData("h:in:", "the value is empty")]
    [InlineData("h:>:abc", "operator > compares whole numbers: [abc] is not one")]
    [InlineData("h:<:1.5", "operator < compares whole numbers: [1.5] is not one")]
    [InlineData("h:>=:x", "operator >= compares whole numbers: [x] is not one")]
    [InlineData("h:<=:x", "operator <= compares whole numbers: [x] is not one")]
    public void ARuleTheConsumersCannotEvaluate_IsRefused_SayingWhy(string rule, string why)
    {
        var error = AliasRules.Routing(null, "rule", Rules("and", ["ok:=:1", rule], "2")).Error;

        Assert.Equal((4104, $"rule [{rule}] is invalid: {why}. check input parameters"), (error!.Code, error.Message));
    }

    [Theory]
    [InlineData(">=")]
    [InlineData("<=")]
    [InlineData("!=")]
    [InlineData("=")]
    [InlineData(">")]
    [InlineData("<")]
    [InlineData("in")]
    public void ARuleAlias_AcceptsEveryOperator(string op)
    {
        Assert.Null(AliasRules.Routing(null, "rule", Rules("and", [$"h:{op}:7"], "2")).Error);
    }

    [Fact]
    public void ANullRule_IsRefused_AsNotHeaderOpValue()
    {
        var error = AliasRules.Routing(null, "rule", Rules("and", ["ok:=:1", null!], "2")).Error;

        Assert.Equal("rule [] is invalid: write header:op:value, with no ':' in the value. check input parameters", error!.Message);
    }

    [Fact]
    public void AHeaderNameOf128Characters_IsAccepted_129AreNot()
    {
        var longest = new string('h', 128);

        Assert.Null(AliasRules.Routing(null, "rule", Rules("and", [$"{longest}:=:1"], "2")).Error);
        Assert.NotNull(AliasRules.Routing(null, "rule", Rules("and", [$"{longest}h:=:1"], "2")).Error);
        Assert.NotNull(AliasRules.Routing(null, "rule", Rules("and", ["h\n:=:1"], "2")).Error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v/2")]
    public void NoGrayVersionOrAnInvalidOne_IsRefused(string? gray)
    {
        Assert.Equal(
            "grayVersion must name the version that requests matching the rules go to. check input parameters",
            AliasRules.Routing(null, "rule", Rules("and", ["h:=:1"], gray)).Error!.Message);
    }

    [Fact]
    public void TheDraft_CanBeTheGrayVersion()
    {
        Assert.Null(AliasRules.Routing(null, "rule", Rules("or", ["h:=:1"], "$latest")).Error);
    }

    private static RoutingRules Rules(string? logic, IReadOnlyList<string>? rules, string? gray) =>
        new() { RuleLogic = logic, Rules = rules, GrayVersion = gray };
}