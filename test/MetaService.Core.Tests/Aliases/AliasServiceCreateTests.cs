using System.Text;

using MetaService.Core.Aliases;
using MetaService.Core.Records;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Aliases.AliasFixture;

namespace MetaService.Core.Tests.Aliases;

/// <summary>Creating an alias: what it answers, what the store holds after it (the record in the original's shape, the
/// key the platform routes by, the routing index, the guard), and every refusal, which writes nothing.</summary>
public sealed class AliasServiceCreateTests
{
    [Fact]
    public async Task ACreate_AnswersTheAlias_AndStoresItsRecordPublishedKeyIndexAndGuard()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var clock = new ManualClock();
        var service = Service(temp.Store, clock);

        var created = await service.CreateAsync(Alice, Name, Weighted("prod", "1", new() { ["1"] = 80, ["2"] = 20 }, "live"), null, ct);

        var view = created.Value!;
        var revisionId = Timestamps.FormatRevisionId(clock.GetUtcNow());
        Assert.Equal(($"{FunctionUrn}:prod", "prod", "1", "live", revisionId), (view.AliasUrn, view.Name, view.FunctionVersion, view.Description, view.RevisionId));
        Assert.Equal(new Dictionary<string, int> { ["1"] = 80, ["2"] = 20 }, view.RoutingConfig);
        Assert.Null(view.RoutingType);
        var stored = (await StoredAsync(temp.Store, "prod"))!;
        Assert.Equal(("prod", Name, "1", revisionId, "live"), (stored.Name, stored.FunctionName, stored.FunctionVersion, stored.RevisionId, stored.Description));
        Assert.Equal(("2026-01-01T00:00:00.0000000+00:00", "2026-01-01T00:00:00.0000000+00:00"), (stored.CreateTime, stored.UpdateTime));
        var published = await temp.Store.GetAsync(AliasKeys.Published(Alice, Name, "prod"), ct);
        Assert.Equal(AliasPublished.Value(stored, Alice, new MetaOptions()), published!.Value);
        Assert.Equal(new Dictionary<string, string> { ["1"] = """{"Name":"prod"}""", ["2"] = """{"Name":"prod"}""" }, await IndexAsync(temp.Store));
        Assert.Equal(revisionId, Encoding.UTF8.GetString((await temp.Store.GetAsync(AliasKeys.Guard(Alice, Name), ct))!.Value));
        Assert.Null(await temp.Store.GetAsync(AliasKeys.PreviousRouting(Alice, Name, "prod"), ct));
    }

    [Fact]
    public async Task ACreateWithoutWeights_RoutesEverythingToItsVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var service = Service(temp.Store, new ManualClock());

        var view = (await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct)).Value!;

        Assert.Equal(new Dictionary<string, int> { ["1"] = 100 }, view.RoutingConfig);
        Assert.Equal("", view.Description);
        Assert.Empty((await StoredAsync(temp.Store, "prod"))!.RoutingConfig);
    }

    [Fact]
    public async Task ARuleCreate_AnswersItsRules_AndNoWeights()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var service = Service(temp.Store, new ManualClock());

        var created = await service.CreateAsync(Alice, Name, new AliasRequest { Name = "gray", FunctionVersion = "1", RoutingType = "rule", RoutingRules = Rules("2", "x-user:=:1") }, null, ct);

        var view = created.Value!;
        Assert.Empty(view.RoutingConfig);
        Assert.Equal(("rule", "2"), (view.RoutingType, view.RoutingRules!.GrayVersion));
        Assert.Equal(["1", "2"], (await IndexAsync(temp.Store)).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ACreateForAnotherTenant_OrByItsUrn_IsTheSameFunctionsAlias()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var service = Service(temp.Store, new ManualClock());

        var byUrn = await service.CreateAsync(Alice, FunctionUrn, Weighted("prod", "1"), null, ct);
        var elsewhere = await service.CreateAsync(new Tenant("bob"), Name, Weighted("prod", "1"), null, ct);
        var badPath = await service.CreateAsync(Alice, "sn:cn:yrk:bob:function:" + Name, Weighted("prod", "1"), null, ct);

        Assert.Equal("prod", byUrn.Value!.Name);
        Assert.Equal((4115, $"function [fn] is not found. check input parameters"), (elsewhere.Error!.Code, elsewhere.Error.Message));
        Assert.Equal(121046, badPath.Error!.Code);
    }

    private static readonly (AliasRequest Request, int Code, string Message)[] Refusals =
    [
        (Weighted("A", "1"), 4104, "alias name [A] is invalid: use 2 to 16 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen. check input parameters"),
        (Weighted("prod", ""), 4104, "functionVersion is required: the version the alias names (and routes to when it has no routingConfig). check input parameters"),
        (Weighted("prod", "v/1"), 4104, "functionVersion [v/1] is not a version number. check input parameters"),
        (Weighted("prod", "1", description: new string('d', 1025)), 4104, "description has 1025 characters, more than 1024. check input parameters"),
        (Weighted("prod", "1", new() { ["1"] = 50 }), 4103, "total routing weight is not 100. check the routing weight. the sum of the values is 100"),
        (Weighted("prod", "9"), 4116, $"function [{Name}] version [9] is not found. check input parameters"),
        (Weighted("prod", "1", new() { ["1"] = 50, ["9"] = 50 }), 4116, $"function [{Name}] version [9] is not found. check input parameters"),
        (new AliasRequest { Name = "gray", FunctionVersion = "1", RoutingType = "rule", RoutingRules = Rules("9", "h:=:1") }, 4116, $"function [{Name}] version [9] is not found. check input parameters"),
        (Weighted("taken", "1"), 4102, "alias [taken] already exists for this function: choose another name, or update that alias"),
        (Weighted("v2", "1"), 4104, "alias name [v2] is a version number of this function: choose a name no version has. check input parameters"),
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public async Task ARefusedCreate_SaysWhy_AndWritesNothing(int refusal)
    {
        var (request, code, message) = Refusals[refusal];
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "v2");
        var service = Service(temp.Store, new ManualClock());
        await service.CreateAsync(Alice, Name, Weighted("taken", "1"), null, ct);
        var before = await RevisionAsync(temp.Store);

        var refused = await service.CreateAsync(Alice, Name, request, null, ct);

        Assert.Equal((code, message), (refused.Error!.Code, refused.Error.Message));
        Assert.Equal(before, await RevisionAsync(temp.Store));
    }

    [Fact]
    public async Task ADescriptionOf1024Characters_IsAccepted()
    {
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");

        var created = await Service(temp.Store, new ManualClock()).CreateAsync(Alice, Name, Weighted("prod", "1", description: new string('d', 1024)), null, TestContext.Current.CancellationToken);

        Assert.Null(created.Error);
    }

    [Fact]
    public async Task ACreateBeyondTheAliasLimit_IsRefused_TheLastOneWithinItIsNot()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var service = Service(temp.Store, new ManualClock(), new MetaOptions { AliasMax = 2 });
        await service.CreateAsync(Alice, Name, Weighted("one", "1"), null, ct);

        var second = await service.CreateAsync(Alice, Name, Weighted("two", "1"), null, ct);
        var before = await RevisionAsync(temp.Store);
        var third = await service.CreateAsync(Alice, Name, Weighted("three", "1"), null, ct);

        Assert.Null(second.Error);
        Assert.Equal((4111, "the number of existing function alias is greater than the set value [2]. delete or resize the limit"), (third.Error!.Code, third.Error.Message));
        Assert.Equal(ErrorKind.Conflict, third.Error.Kind);
        Assert.Equal(before, await RevisionAsync(temp.Store));
    }

    [Fact]
    public async Task ACreateOfAFunctionWithNoVersions_IsNotFound()
    {
        await using var temp = new TempStore();

        var refused = await Service(temp.Store, new ManualClock()).CreateAsync(Alice, Name, Weighted("prod", "1"), null, TestContext.Current.CancellationToken);

        Assert.Equal((4115, ErrorKind.NotFound), (refused.Error!.Code, refused.Error.Kind));
        Assert.Equal(0, await RevisionAsync(temp.Store));
    }
}