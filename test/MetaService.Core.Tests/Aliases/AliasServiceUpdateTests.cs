using MetaService.Core.Aliases;
using MetaService.Core.Records;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Aliases.AliasFixture;

namespace MetaService.Core.Tests.Aliases;

/// <summary>Updating an alias: it names the revisionId it read, keeps what the request leaves out, moves the routing
/// index with its routing, and remembers its routing before a change for rollback (not before a change of its
/// description alone).</summary>
public sealed class AliasServiceUpdateTests
{
    [Fact]
    public async Task AnUpdate_ChangesTheRouting_AndKeepsWhatItLeavesOut()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2", "3");
        var clock = new ManualClock();
        var service = Service(temp.Store, clock);
        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1", new() { ["1"] = 50, ["2"] = 50 }, "live"), null, ct)).Value!;
        clock.Advance(TimeSpan.FromMinutes(1));

        var updated = await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, RoutingConfig = new() { ["3"] = 100 } }, null, ct);

        var view = updated.Value!;
        Assert.Equal(("1", "live", Timestamps.FormatRevisionId(clock.GetUtcNow())), (view.FunctionVersion, view.Description, view.RevisionId));
        Assert.Equal(new Dictionary<string, int> { ["3"] = 100 }, view.RoutingConfig);
        var stored = (await StoredAsync(temp.Store, "prod"))!;
        Assert.Equal(("2026-01-01T00:00:00.0000000+00:00", "2026-01-01T00:01:00.0000000+00:00"), (stored.CreateTime, stored.UpdateTime));
        Assert.Equal(["1", "3"], (await IndexAsync(temp.Store)).Keys.Order(StringComparer.Ordinal));
        var previous = AliasRecord.DecodePrevious((await temp.Store.GetAsync(AliasKeys.PreviousRouting(Alice, Name, "prod"), ct))!.Value)!;
        Assert.Equal(("1", created.RevisionId), (previous.FunctionVersion, previous.RevisionId));
        Assert.Equal(new Dictionary<string, int> { ["1"] = 50, ["2"] = 50 }, previous.RoutingConfig);
    }

    [Fact]
    public async Task AnUpdateOfTheVersionAndDescription_ReplacesThem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var service = Service(temp.Store, new ManualClock());
        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct)).Value!;

        var view = (await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, FunctionVersion = "2", Description = "moved" }, null, ct)).Value!;

        Assert.Equal(("2", "moved"), (view.FunctionVersion, view.Description));
        Assert.Equal(new Dictionary<string, int> { ["2"] = 100 }, view.RoutingConfig);
        Assert.Equal(["2"], (await IndexAsync(temp.Store)).Keys);
        Assert.True(Timestamps.TryParseRevisionId(view.RevisionId, out var next) && Timestamps.TryParseRevisionId(created.RevisionId, out var first) && next > first);
    }

    [Fact]
    public async Task AnUpdateOfTheDescriptionAlone_KeepsNothingToRollBackTo()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var service = Service(temp.Store, new ManualClock());
        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct)).Value!;

        var updated = (await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, Description = "words", FunctionVersion = "1" }, null, ct)).Value!;
        var rollback = await service.RollbackAsync(Alice, Name, "prod", null, null, ct);

        Assert.Equal("words", updated.Description);
        Assert.Equal((4104, "alias [prod] has no earlier routing to roll back to (its routing has not changed since it was created)"), (rollback.Error!.Code, rollback.Error.Message));
        Assert.Null(await temp.Store.GetAsync(AliasKeys.PreviousRouting(Alice, Name, "prod"), ct));
    }

    [Fact]
    public async Task AnUpdateToRules_AndBackToWeights_ChangesTheRoutingType()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var service = Service(temp.Store, new ManualClock());
        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct)).Value!;

        var rule = (await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, RoutingType = "rule", RoutingRules = Rules("2", "h:=:1") }, null, ct)).Value!;
        var ruleIndex = await IndexAsync(temp.Store);
        var weights = (await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = rule.RevisionId, RoutingType = "weight" }, null, ct)).Value!;
        var kept = (await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = weights.RevisionId, Description = "d" }, null, ct)).Value!;

        Assert.Equal(("rule", "2"), (rule.RoutingType, rule.RoutingRules!.GrayVersion));
        Assert.Equal(["1", "2"], ruleIndex.Keys.Order(StringComparer.Ordinal));
        Assert.Null(weights.RoutingType);
        Assert.Null(weights.RoutingRules);
        Assert.Equal(new Dictionary<string, int> { ["1"] = 100 }, weights.RoutingConfig);
        Assert.Equal(["1"], (await IndexAsync(temp.Store)).Keys);
        Assert.Null(kept.RoutingType);
    }

    [Fact]
    public async Task AnUpdateOfARuleAliasesDescriptionAlone_KeepsItARuleAlias_WithItsRules()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var service = Service(temp.Store, new ManualClock());
        var created = (await service.CreateAsync(Alice, Name, new AliasRequest { Name = "gray", FunctionVersion = "1", RoutingType = "rule", RoutingRules = Rules("2", "h:=:1") }, null, ct)).Value!;

        var updated = (await service.UpdateAsync(Alice, Name, "gray", new AliasUpdateRequest { RevisionId = created.RevisionId, Description = "d" }, null, ct)).Value!;

        Assert.Equal(("d", "rule"), (updated.Description, updated.RoutingType));
        Assert.Equal(("and", "2"), (updated.RoutingRules?.RuleLogic, updated.RoutingRules?.GrayVersion));
        Assert.Equal(["h:=:1"], updated.RoutingRules?.Rules ?? []);
        Assert.Empty(updated.RoutingConfig);
        var stored = (await StoredAsync(temp.Store, "gray"))!;
        Assert.Equal(("rule", "2"), (stored.RoutingType, stored.RoutingRules?.GrayVersion));
        Assert.Equal(["1", "2"], (await IndexAsync(temp.Store)).Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("20260101000000000")]
    public async Task AnUpdateNamingAnotherRevisionId_IsRefused_AndWritesNothing(string? revisionId)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var service = Service(temp.Store, new ManualClock());
        await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct);
        var before = await RevisionAsync(temp.Store);

        var refused = await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = revisionId, Description = "x" }, null, ct);

        Assert.Equal((4134, "revisionID is not the same", ErrorKind.RevisionMismatch), (refused.Error!.Code, refused.Error.Message, refused.Error.Kind));
        Assert.Equal(before, await RevisionAsync(temp.Store));
    }

    [Fact]
    public async Task RefusedUpdates_SayWhy_AndWriteNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var service = Service(temp.Store, new ManualClock());
        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct)).Value!;
        var before = await RevisionAsync(temp.Store);

        var missing = await service.UpdateAsync(Alice, Name, "test", new AliasUpdateRequest { RevisionId = created.RevisionId }, null, ct);
        var badVersion = await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, FunctionVersion = "v/1" }, null, ct);
        var absentVersion = await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, FunctionVersion = "7" }, null, ct);
        var badWeights = await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, RoutingConfig = new() { ["1"] = 99 } }, null, ct);
        var longDescription = await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, Description = new string('d', 1025) }, null, ct);

        Assert.Equal((4117, "functionName [fn] and aliasName [test] do not exist. check input parameters", ErrorKind.NotFound), (missing.Error!.Code, missing.Error.Message, missing.Error.Kind));
        Assert.Equal("functionVersion [v/1] is not a version number. check input parameters", badVersion.Error!.Message);
        Assert.Equal(4116, absentVersion.Error!.Code);
        Assert.Equal(4103, badWeights.Error!.Code);
        Assert.Equal(4104, longDescription.Error!.Code);
        Assert.Equal(before, await RevisionAsync(temp.Store));
    }
}