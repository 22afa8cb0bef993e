using MetaService.Core.Aliases;
using MetaService.Core.Storage;
using MetaService.Core.Tests.Catalog;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Aliases.AliasFixture;

namespace MetaService.Core.Tests.Aliases;

/// <summary>Reading aliases from the store: one by name, a page of a function's aliases (newest change first, with the
/// total), and the version a <c>?qualifier=</c> alias names.</summary>
public sealed class AliasServiceReadTests
{
    [Fact]
    public async Task Get_AnswersTheAlias_OrNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var service = Service(temp.Store, new ManualClock());
        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct)).Value!;
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Record(Alice, Name, "broken"), "{"u8.ToArray());

        var found = await service.GetAsync(Alice, Name, "prod", ct);
        var missing = await service.GetAsync(Alice, Name, "test", ct);
        var broken = await service.GetAsync(Alice, Name, "broken", ct);
        var badPath = await service.GetAsync(Alice, "", "prod", ct);

        Assert.Equal((created.AliasUrn, created.RevisionId, created.FunctionVersion), (found.Value!.AliasUrn, found.Value.RevisionId, found.Value.FunctionVersion));
        Assert.Equal(created.RoutingConfig, found.Value.RoutingConfig);
        Assert.Equal("functionName [fn] and aliasName [test] do not exist. check input parameters", missing.Error!.Message);
        Assert.Equal(4117, broken.Error!.Code);
        Assert.Equal(121046, badPath.Error!.Code);
    }

    [Fact]
    public async Task List_IsNewestChangeFirst_ThenByName_InPages_WithTheTotal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var service = Service(temp.Store, new ManualClock());
        var first = (await service.CreateAsync(Alice, Name, Weighted("aa", "1"), null, ct)).Value!;
        await service.CreateAsync(Alice, Name, Weighted("bb", "1"), null, ct);
        await service.CreateAsync(Alice, Name, Weighted("cc", "1"), null, ct);
        await service.UpdateAsync(Alice, Name, "aa", new AliasUpdateRequest { RevisionId = first.RevisionId, Description = "newest" }, null, ct);
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Record(Alice, Name, "zz"), "{"u8.ToArray());

        var all = (await service.ListAsync(Alice, Name, Paging.Default, ct)).Value!;
        var second = (await service.ListAsync(Alice, Name, new Paging(2, 2), ct)).Value!;
        var beyond = (await service.ListAsync(Alice, Name, new Paging(3, 2), ct)).Value!;

        Assert.Equal(["aa", "cc", "bb"], all.Aliases.Select(a => a.Name));
        Assert.Equal(3, all.Total);
        Assert.Equal(await RevisionAsync(temp.Store), all.Revision);
        Assert.Equal(3, second.Total);
        Assert.Equal(["bb"], second.Aliases.Select(a => a.Name));
        Assert.Empty(beyond.Aliases);
    }

    [Fact]
    public async Task List_OfAliasesWrittenAtOneRevision_OrdersThemByName()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var record = new AliasRecord { Name = "x", FunctionName = Name, FunctionVersion = "1", RevisionId = "1" };
        await temp.Store.TxnAsync([], [
            new WriteOp.Put(AliasKeys.Record(Alice, Name, "bb"), (record with { Name = "bb" }).Encode()),
            new WriteOp.Put(AliasKeys.Record(Alice, Name, "cc"), (record with { Name = "cc" }).Encode()),
            new WriteOp.Put(AliasKeys.Record(Alice, Name, "aa"), (record with { Name = "aa" }).Encode()),
        ], ct);

        var page = (await Service(temp.Store, new ManualClock()).ListAsync(Alice, Name, Paging.Default, ct)).Value!;

        Assert.Equal(["aa", "bb", "cc"], page.Aliases.Select(a => a.Name));
    }

    [Fact]
    public async Task List_OfAFunctionWithoutAliases_IsEmpty_AndOfNoFunction_NotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest");
        var service = Service(temp.Store, new ManualClock());

        var none = await service.ListAsync(Alice, Name, Paging.Default, ct);
        var noFunction = await service.ListAsync(Alice, "0-svc-other", Paging.Default, ct);
        var badPath = await service.ListAsync(Alice, "", Paging.Default, ct);

        Assert.Equal(0, none.Value!.Total);
        Assert.Equal((4115, "function [other] is not found. check input parameters"), (noFunction.Error!.Code, noFunction.Error.Message));
        Assert.Equal(121046, badPath.Error!.Code);
    }

    [Fact]
    public async Task AQualifier_NamingAnAlias_ResolvesToItsVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var service = Service(temp.Store, new ManualClock());
        await service.CreateAsync(Alice, Name, Weighted("prod", "2"), null, ct);
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Record(Alice, Name, "empty"), new AliasRecord { Name = "empty", FunctionName = Name, FunctionVersion = "", RevisionId = "1" }.Encode());
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Record(Alice, Name, "broken"), "{"u8.ToArray());

        Assert.Equal("2", await service.ResolveQualifierAsync(Alice, Name, "prod", ct));
        Assert.Null(await service.ResolveQualifierAsync(Alice, Name, "test", ct));
        Assert.Null(await service.ResolveQualifierAsync(Alice, Name, "empty", ct));
        Assert.Null(await service.ResolveQualifierAsync(Alice, Name, "broken", ct));
        Assert.Null(await service.ResolveQualifierAsync(Alice, Name, null, ct));
        Assert.Null(await service.ResolveQualifierAsync(Alice, Name, "", ct));
        Assert.Null(await service.ResolveQualifierAsync(Alice, Name, "PROD", ct));
        Assert.Null(await service.ResolveQualifierAsync(Alice, "", "prod", ct));
    }

    [Fact]
    public async Task AView_OfARuleAlias_HasNoWeights_AndOfAWeightAlias_ItsEffectiveWeights()
    {
        await using var temp = new TempStore();
        var service = Service(temp.Store, new ManualClock());
        var weights = new AliasRecord { Name = "prod", FunctionName = Name, FunctionVersion = "1", RevisionId = "r", Description = "d" };
        var rule = weights with { RoutingType = "rule", RoutingRules = Rules("2", "h:=:1") };

        var weightView = service.View(Alice, weights);
        var ruleView = service.View(Alice, rule);

        Assert.Equal(($"{FunctionUrn}:prod", "prod", "1", "d", "r"), (weightView.AliasUrn, weightView.Name, weightView.FunctionVersion, weightView.Description, weightView.RevisionId));
        Assert.Equal(new Dictionary<string, int> { ["1"] = 100 }, weightView.RoutingConfig);
        Assert.Empty(ruleView.RoutingConfig);
        Assert.Equal("rule", ruleView.RoutingType);
        Assert.Same(rule.RoutingRules, ruleView.RoutingRules);
    }
}