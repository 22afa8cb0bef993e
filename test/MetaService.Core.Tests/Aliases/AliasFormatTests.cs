using System.Text;

using MetaService.Core.Aliases;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Aliases;

/// <summary>The stored shapes of an alias: the record in the original's <c>AliasValue</c> shape (Go field names, read
/// case-blind), the value the platform routes by (lower-case <c>routingconfig</c> in version order), the keys, and the
/// refusals' texts.</summary>
public sealed class AliasFormatTests
{
    private static readonly Tenant Alice = new("alice", "shop");

    [Fact]
    public void ThePublishedValue_OfAWeightAlias_ListsItsWeightsInVersionOrder()
    {
        var alias = new AliasRecord { Name = "prod", FunctionName = "0-svc-fn", FunctionVersion = "1", RevisionId = "r1", Description = "d", RoutingConfig = new() { ["2"] = 30, ["10"] = 70 } };

        var value = Encoding.UTF8.GetString(AliasPublished.Value(alias, Alice, new MetaOptions()));

        const string Function = "sn:cn:yrk:alice@shop:function:0-svc-fn";
        Assert.Equal(
            $$"""{"aliasUrn":"{{Function}}:prod","functionUrn":"{{Function}}","functionVersionUrn":"{{Function}}:1","name":"prod","functionVersion":"1","revisionId":"r1","description":"d","routingconfig":[{"functionVersionUrn":"{{Function}}:10","weight":70},{"functionVersionUrn":"{{Function}}:2","weight":30}]}""",
            value);
    }

    [Fact]
    public void ThePublishedValue_OfARuleAlias_CarriesItsRules_AndAllWeightOnItsVersion()
    {
        var alias = new AliasRecord
        {
            Name = "gray",
            FunctionName = "0-svc-fn",
            FunctionVersion = "1",
            RevisionId = "r1",
            RoutingType = "rule",
            RoutingRules = new RoutingRules { RuleLogic = "or", Rules = ["h:=:1"], GrayVersion = "2" },
        };
        var bare = alias with { RoutingRules = new RoutingRules { GrayVersion = "2" } };

        var value = Encoding.UTF8.GetString(AliasPublished.Value(alias, Alice, new MetaOptions { UrnPrefix = "p", UrnZone = "z" }));
        var bareValue = Encoding.UTF8.GetString(AliasPublished.Value(bare, Alice, new MetaOptions { UrnPrefix = "p", UrnZone = "z" }));

        const string Function = "p:z:yrk:alice@shop:function:0-svc-fn";
        Assert.Equal(
            $$"""{"aliasUrn":"{{Function}}:gray","functionUrn":"{{Function}}","functionVersionUrn":"{{Function}}:1","name":"gray","functionVersion":"1","revisionId":"r1","description":"","routingType":"rule","routingRules":{"ruleLogic":"or","rules":["h:=:1"],"grayVersion":"{{Function}}:2"},"routingconfig":[{"functionVersionUrn":"{{Function}}:1","weight":100}]}""",
            value);
        Assert.Contains("""
            "routingRules":{"ruleLogic":"","rules":[],"grayVersion":
            """, bareValue, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePublishedValue_OfARuleAlias_PutsAllWeightOnItsVersion_EvenIfItsRecordHoldsWeights()
    {
        // A record another writer (or a hand) stored with weights beside its rules: consumers that know no rules still
        // send everything to the alias's version, never to the stored weights.
        var alias = new AliasRecord
        {
            Name = "gray",
            FunctionName = "f",
            FunctionVersion = "1",
            RevisionId = "r",
            RoutingConfig = new() { ["2"] = 60, ["3"] = 40 },
            RoutingType = "rule",
            RoutingRules = new RoutingRules { RuleLogic = "and", Rules = ["h:=:1"], GrayVersion = "2" },
        };

        var value = Encoding.UTF8.GetString(AliasPublished.Value(alias, Alice, new MetaOptions()));

        Assert.EndsWith("""
            "routingconfig":[{"functionVersionUrn":"sn:cn:yrk:alice@shop:function:f:1","weight":100}]}
            """, value, StringComparison.Ordinal);
    }

    [Fact]
    public void AWeightAliasWithoutWeights_PublishesAllWeightOnItsVersion_AndNoRules()
    {
        var alias = new AliasRecord { Name = "prod", FunctionName = "f", FunctionVersion = "3", RevisionId = "r", RoutingRules = new RoutingRules { GrayVersion = "2" } };

        var value = Encoding.UTF8.GetString(AliasPublished.Value(alias, Alice, new MetaOptions()));

        Assert.EndsWith("""
            "routingconfig":[{"functionVersionUrn":"sn:cn:yrk:alice@shop:function:f:3","weight":100}]}
            """, value, StringComparison.Ordinal);
        Assert.DoesNotContain("routingRules", value, StringComparison.Ordinal);
        Assert.DoesNotContain("routingType", value, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRecord_IsStoredWithGoFieldNames_AndReadCaseBlind()
    {
        var record = new AliasRecord { Name = "prod", FunctionName = "f", FunctionVersion = "1", RevisionId = "r", RoutingConfig = new() { ["1"] = 100 } };

        var stored = Encoding.UTF8.GetString(record.Encode());
        var read = AliasRecord.Decode("""{"name":"prod","functionname":"f","functionversion":"1","revisionid":"r","routingconfig":{"1":100}}"""u8.ToArray());

        // Exactly the original's AliasValue members: what MetaService only derives (IsRule, EffectiveWeights) is not stored.
        Assert.Equal("{\"Name\":\"prod\",\"FunctionName\":\"f\",\"FunctionVersion\":\"1\",\"RevisionID\":\"r\",\"Description\":\"\",\"RoutingConfig\":{\"1\":100},\"CreateTime\":\"\",\"UpdateTime\":\"\"}", stored);
        Assert.DoesNotContain("RoutingType", stored, StringComparison.Ordinal);
        Assert.Equal(("prod", "f", "1", "r", 100), (read!.Name, read.FunctionName, read.FunctionVersion, read.RevisionId, read.RoutingConfig["1"]));
        Assert.Null(AliasRecord.Decode("""{"Name":"prod","RoutingConfig":{"1":"100"}}"""u8.ToArray()));
        Assert.Null(AliasRecord.Decode("[]"u8.ToArray()));
        Assert.Null(AliasRecord.DecodeRetention("{"u8.ToArray()));
        Assert.Equal(3, AliasRecord.DecodeRetention("""{"keepVersions":3}"""u8.ToArray())!.KeepVersions);
        Assert.Null(AliasRecord.DecodePrevious("{"u8.ToArray()));
    }

    [Fact]
    public void Targets_AreTheVersion_TheWeightedVersions_AndARuleAliasesGrayVersion()
    {
        var weights = new AliasRecord { Name = "a", FunctionName = "f", FunctionVersion = "1", RevisionId = "r", RoutingConfig = new() { ["2"] = 100 }, RoutingRules = new RoutingRules { GrayVersion = "9" } };
        var rule = weights with { RoutingConfig = [], RoutingType = "rule" };
        var ruleWithoutGray = rule with { RoutingRules = new RoutingRules { GrayVersion = "" } };

        Assert.Equal(["1", "2"], weights.Targets());
        Assert.Equal(["1", "9"], rule.Targets());
        Assert.Equal(["1"], ruleWithoutGray.Targets());
        Assert.Equal(["1"], (rule with { RoutingRules = null }).Targets());
        Assert.Equal(new Dictionary<string, int> { ["2"] = 100 }, weights.EffectiveWeights);
        Assert.Equal(new Dictionary<string, int> { ["1"] = 100 }, rule.EffectiveWeights);
        Assert.True(rule.IsRule);
        Assert.False(weights.IsRule);
    }

    [Fact]
    public void Time_IsRfc3339_WithSevenFractionalDigits_AndTheOffset()
    {
        Assert.Equal("2026-03-04T05:06:07.1234567+00:00", AliasRecord.Time(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234567)));
        Assert.Equal("2026-03-04T05:06:07.0000000+08:00", AliasRecord.Time(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(8))));
    }

    [Fact]
    public void TheKeys_FollowTheOriginalsLayout_AndMetaServicesOwn()
    {
        Assert.Equal("/repo/Alias/yrk/alice/shop/fn/prod/", AliasKeys.Record(Alice, "fn", "prod"));
        Assert.Equal("/repo/AliasRoutingIndex/yrk/alice/shop/fn/1/", AliasKeys.RoutingIndex(Alice, "fn", "1"));
        Assert.Equal("/sn/aliases/business/yrk/tenant/alice@shop/function/fn/prod", AliasKeys.Published(Alice, "fn", "prod"));
        Assert.Equal("/metaservice/AliasGuard/yrk/alice/shop/fn", AliasKeys.Guard(Alice, "fn"));
        Assert.Equal("/metaservice/AliasPrevious/yrk/alice/shop/fn/prod", AliasKeys.PreviousRouting(Alice, "fn", "prod"));
        Assert.Equal("/metaservice/VersionRetention/yrk/alice/shop/fn", AliasKeys.Retention(Alice, "fn"));
        Assert.Equal(
            [new WriteOp.Delete("/metaservice/AliasGuard/yrk/alice/shop/fn"), new WriteOp.DeletePrefix("/metaservice/AliasPrevious/yrk/alice/shop/fn/"), new WriteOp.Delete("/metaservice/VersionRetention/yrk/alice/shop/fn")],
            AliasKeys.DeleteOwn(Alice, "fn"));
    }

    [Theory]
    [InlineData("0-svc-fn", "fn")]
    [InlineData("0-svc-my-fn", "my-fn")]
    [InlineData("plain", "plain")]
    [InlineData("0@svc@fn", "0@svc@fn")]
    public void NotFound_NamesTheFunctionWithoutItsServicePrefix(string name, string shown)
    {
        Assert.Equal($"functionName [{shown}] and aliasName [a] do not exist. check input parameters", AliasErrors.NotFound(name, "a").Message);
    }
}