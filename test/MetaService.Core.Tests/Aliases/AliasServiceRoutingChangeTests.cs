using MetaService.Core.Aliases;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Aliases.AliasFixture;

namespace MetaService.Core.Tests.Aliases;

/// <summary>Which updates change an alias's routing (and so leave a routing to roll back to): a change of its version,
/// its weights, its routing type, or any part of its rules does; an update that restates the same routing does not.</summary>
public sealed class AliasServiceRoutingChangeTests
{
    public static TheoryData<string> Changes => ["version", "weights", "weight count", "logic", "rules", "gray", "type"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task AnUpdateChangingOnePartOfTheRouting_CanBeRolledBack(string change)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2", "3");
        var service = Service(temp.Store, new ManualClock());
        var rules = new RoutingRules { RuleLogic = "and", Rules = ["h:=:1"], GrayVersion = "2" };
        var isRule = change is "logic" or "rules" or "gray";
        var request = isRule
            ? new AliasRequest { Name = "prod", FunctionVersion = "1", RoutingType = "rule", RoutingRules = rules }
            : Weighted("prod", "1", new() { ["1"] = 50, ["2"] = 50 });
        var created = (await service.CreateAsync(Alice, Name, request, null, ct)).Value!;
        var update = change switch
        {
            "version" => new AliasUpdateRequest { FunctionVersion = "3", RoutingConfig = new() { ["1"] = 50, ["2"] = 50 } },
            "weights" => new AliasUpdateRequest { RoutingConfig = new() { ["1"] = 40, ["2"] = 60 } },
            "weight count" => new AliasUpdateRequest { RoutingConfig = new() { ["1"] = 50, ["2"] = 50, ["3"] = 0 } },
            "logic" => new AliasUpdateRequest { RoutingType = "rule", RoutingRules = rules with { RuleLogic = "or" } },
            "rules" => new AliasUpdateRequest { RoutingType = "rule", RoutingRules = rules with { Rules = ["h:=:2"] } },
            "gray" => new AliasUpdateRequest { RoutingType = "rule", RoutingRules = rules with { GrayVersion = "3" } },
            _ => new AliasUpdateRequest { RoutingType = "rule", RoutingRules = rules },
        };

        var updated = await service.UpdateAsync(Alice, Name, "prod", update with { RevisionId = created.RevisionId }, null, ct);
        var rolledBack = await service.RollbackAsync(Alice, Name, "prod", null, null, ct);

        Assert.Null(updated.Error);
        Assert.Equal(created.RoutingConfig, rolledBack.Value!.RoutingConfig);
        Assert.Equal((created.FunctionVersion, created.RoutingType), (rolledBack.Value.FunctionVersion, rolledBack.Value.RoutingType));
        Assert.Equal(created.RoutingRules?.RuleLogic, rolledBack.Value.RoutingRules?.RuleLogic);
        Assert.Equal(created.RoutingRules?.GrayVersion, rolledBack.Value.RoutingRules?.GrayVersion);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnUpdateRestatingTheSameRouting_LeavesNothingToRollBack(bool rule)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var service = Service(temp.Store, new ManualClock());
        var rules = new RoutingRules { RuleLogic = "and", Rules = ["h:=:1"], GrayVersion = "2" };
        var created = (await service.CreateAsync(Alice, Name, rule
            ? new AliasRequest { Name = "prod", FunctionVersion = "1", RoutingType = "rule", RoutingRules = rules }
            : Weighted("prod", "1", new() { ["1"] = 50, ["2"] = 50 }), null, ct)).Value!;

        var updated = await service.UpdateAsync(Alice, Name, "prod", rule
            ? new AliasUpdateRequest { RevisionId = created.RevisionId, FunctionVersion = "1", RoutingType = "rule", RoutingRules = rules with { Rules = ["h:=:1"] } }
            : new AliasUpdateRequest { RevisionId = created.RevisionId, FunctionVersion = "1", RoutingConfig = new() { ["2"] = 50, ["1"] = 50 } }, null, ct);
        var rollback = await service.RollbackAsync(Alice, Name, "prod", null, null, ct);

        Assert.Null(updated.Error);
        Assert.Equal(4104, rollback.Error!.Code);
    }

    [Fact]
    public async Task AnUpdateWithAnEmptyRoutingConfig_KeepsTheWeights()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var service = Service(temp.Store, new ManualClock());
        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1", new() { ["1"] = 50, ["2"] = 50 }), null, ct)).Value!;

        var updated = (await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, RoutingConfig = [], Description = "d" }, null, ct)).Value!;

        Assert.Equal(new Dictionary<string, int> { ["1"] = 50, ["2"] = 50 }, updated.RoutingConfig);
    }
}