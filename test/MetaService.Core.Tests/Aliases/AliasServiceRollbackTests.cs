using MetaService.Core.Aliases;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Aliases.AliasFixture;

namespace MetaService.Core.Tests.Aliases;

/// <summary>Rolling an alias back and deleting it: a rollback restores the routing before the last change (and a second
/// one the routing it left), both honour If-Match, and a delete takes the alias's keys and its routing index entries
/// with it.</summary>
public sealed class AliasServiceRollbackTests
{
    [Fact]
    public async Task ARollback_RestoresTheRoutingBeforeTheLastChange_AndASecondOneTheRoutingItLeft()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var service = Service(temp.Store, new ManualClock());
        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1", description: "kept"), null, ct)).Value!;
        var updated = (await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, RoutingType = "rule", RoutingRules = Rules("2", "h:=:1"), FunctionVersion = "2" }, null, ct)).Value!;

        var back = (await service.RollbackAsync(Alice, Name, "prod", [updated.RevisionId], null, ct)).Value!;
        var forth = (await service.RollbackAsync(Alice, Name, "prod", null, null, ct)).Value!;

        Assert.Equal(("1", null, "kept"), (back.FunctionVersion, back.RoutingType, back.Description));
        Assert.Equal(new Dictionary<string, int> { ["1"] = 100 }, back.RoutingConfig);
        Assert.NotEqual(updated.RevisionId, back.RevisionId);
        Assert.Equal(("2", "rule", "2"), (forth.FunctionVersion, forth.RoutingType, forth.RoutingRules!.GrayVersion));
        Assert.Equal(["2"], (await IndexAsync(temp.Store)).Keys);
    }

    [Fact]
    public async Task ARollbackOfAnAliasNeverRerouted_OrMissing_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var service = Service(temp.Store, new ManualClock());
        await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct);
        var before = await RevisionAsync(temp.Store);

        var never = await service.RollbackAsync(Alice, Name, "prod", null, null, ct);
        var missing = await service.RollbackAsync(Alice, Name, "test", null, null, ct);

        Assert.Equal((4104, ErrorKind.Conflict), (never.Error!.Code, never.Error.Kind));
        Assert.Equal(4117, missing.Error!.Code);
        Assert.Equal(before, await RevisionAsync(temp.Store));
    }

    [Fact]
    public async Task IfMatch_NamingAnotherRevisionId_RefusesARollbackAndADelete()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var service = Service(temp.Store, new ManualClock());
        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct)).Value!;
        await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, FunctionVersion = "2" }, null, ct);
        var before = await RevisionAsync(temp.Store);

        var rollback = await service.RollbackAsync(Alice, Name, "prod", [created.RevisionId], null, ct);
        var delete = await service.DeleteAsync(Alice, Name, "prod", [created.RevisionId, "other"], ct);

        Assert.Equal((4134, ErrorKind.RevisionMismatch), (rollback.Error!.Code, rollback.Error.Kind));
        Assert.Equal((4134, ErrorKind.RevisionMismatch), (delete.Error!.Code, delete.Error.Kind));
        Assert.Equal(before, await RevisionAsync(temp.Store));
    }

    [Fact]
    public async Task ADelete_RemovesTheAliasKeys_AndTheIndexEntriesOnlyItHeld()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2", "3");
        var service = Service(temp.Store, new ManualClock());
        var prod = (await service.CreateAsync(Alice, Name, Weighted("prod", "1", new() { ["1"] = 50, ["2"] = 50 }), null, ct)).Value!;
        await service.CreateAsync(Alice, Name, Weighted("test", "2", new() { ["2"] = 50, ["3"] = 50 }), null, ct);
        await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = prod.RevisionId, RoutingConfig = new() { ["1"] = 40, ["2"] = 60 } }, null, ct);
        var current = (await StoredAsync(temp.Store, "prod"))!.RevisionId;

        var deleted = await service.DeleteAsync(Alice, Name, "prod", [current], ct);

        Assert.True(deleted.Value);
        Assert.Null(await temp.Store.GetAsync(AliasKeys.Record(Alice, Name, "prod"), ct));
        Assert.Null(await temp.Store.GetAsync(AliasKeys.Published(Alice, Name, "prod"), ct));
        Assert.Null(await temp.Store.GetAsync(AliasKeys.PreviousRouting(Alice, Name, "prod"), ct));
        Assert.Equal(new Dictionary<string, string> { ["2"] = """{"Name":"test"}""", ["3"] = """{"Name":"test"}""" }, await IndexAsync(temp.Store));
        Assert.Equal(""u8.ToArray(), (await temp.Store.GetAsync(AliasKeys.Guard(Alice, Name), ct))!.Value);
        Assert.NotNull(await StoredAsync(temp.Store, "test"));
    }

    [Fact]
    public async Task ADeleteOfAnAliasThatIsNot_IsNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var before = await RevisionAsync(temp.Store);

        var deleted = await Service(temp.Store, new ManualClock()).DeleteAsync(Alice, Name, "prod", null, ct);

        Assert.Equal(4117, deleted.Error!.Code);
        Assert.Equal(before, await RevisionAsync(temp.Store));
    }
}