using MetaService.Core.Aliases;
using MetaService.Core.Storage;
using MetaService.Core.Tests.Catalog;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Aliases.AliasFixture;

namespace MetaService.Core.Tests.Aliases;

/// <summary>The one transaction of an alias write, built from the aliases and versions as read: it fails when anything it
/// read changed before it commits (another alias write, the alias itself, a version it routes to), so a write decided on
/// a stale read never lands.</summary>
public sealed class AliasWriteTests
{
    private static readonly MetaOptions Options = new();

    [Fact]
    public async Task AWriteReadBeforeAnotherAliasWrite_FailsItsCompare()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var stale = await FunctionAliases.ReadAsync(temp.Store, Alice, Name, ct);
        await Service(temp.Store, new ManualClock()).CreateAsync(Alice, Name, Weighted("other", "1"), null, ct);

        var write = AliasWrite.Build(Alice, Name, stale, "prod", Record("prod", "1"), null, Options);

        Assert.False((await temp.Store.TxnAsync(write.Compares, write.Writes, ct)).Succeeded);
    }

    [Fact]
    public async Task ACreateRacingACreateOfTheSameName_FailsItsCompare()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var stale = await FunctionAliases.ReadAsync(temp.Store, Alice, Name, ct);
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Record(Alice, Name, "prod"), Record("prod", "1").Encode());

        var write = AliasWrite.Build(Alice, Name, stale, "prod", Record("prod", "1"), null, Options);

        Assert.False((await temp.Store.TxnAsync(write.Compares, write.Writes, ct)).Succeeded);
    }

    [Fact]
    public async Task AWriteWhoseRoutedVersionChanged_FailsItsCompare()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var stale = await FunctionAliases.ReadAsync(temp.Store, Alice, Name, ct);
        await StoredRecords.PutAsync(temp.Store, Alice, Name, "2");

        var routesTo2 = AliasWrite.Build(Alice, Name, stale, "prod", Record("prod", "1", "2"), null, Options);
        var routesTo1 = AliasWrite.Build(Alice, Name, stale, "prod", Record("prod", "1"), null, Options);

        Assert.False((await temp.Store.TxnAsync(routesTo2.Compares, routesTo2.Writes, ct)).Succeeded);
        Assert.True((await temp.Store.TxnAsync(routesTo1.Compares, routesTo1.Writes, ct)).Succeeded);
    }

    [Fact]
    public async Task AWriteOfAnAliasChangedMeanwhile_FailsItsCompare()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Record(Alice, Name, "prod"), Record("prod", "1").Encode());
        var stale = await FunctionAliases.ReadAsync(temp.Store, Alice, Name, ct);
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Record(Alice, Name, "prod"), (Record("prod", "1") with { Description = "x" }).Encode());

        var delete = AliasWrite.Build(Alice, Name, stale, "prod", null, null, Options);

        Assert.False((await temp.Store.TxnAsync(delete.Compares, delete.Writes, ct)).Succeeded);
    }

    [Fact]
    public async Task KeepPrevious_LeavesTheRollbackRouting_NullDeletesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var previous = new PreviousRouting("1", [], null, null, "r0");
        var state = await FunctionAliases.ReadAsync(temp.Store, Alice, Name, ct);
        var first = AliasWrite.Build(Alice, Name, state, "prod", Record("prod", "1"), previous, Options);
        await temp.Store.TxnAsync(first.Compares, first.Writes, ct);

        state = await FunctionAliases.ReadAsync(temp.Store, Alice, Name, ct);
        var kept = AliasWrite.Build(Alice, Name, state, "prod", Record("prod", "1") with { Description = "d" }, AliasWrite.KeepPrevious, Options);
        await temp.Store.TxnAsync(kept.Compares, kept.Writes, ct);
        var afterKeep = (await FunctionAliases.ReadAsync(temp.Store, Alice, Name, ct)).Find("prod")!.Previous;

        state = await FunctionAliases.ReadAsync(temp.Store, Alice, Name, ct);
        var dropped = AliasWrite.Build(Alice, Name, state, "prod", Record("prod", "1"), null, Options);
        await temp.Store.TxnAsync(dropped.Compares, dropped.Writes, ct);

        Assert.Equal(("1", "r0"), (afterKeep!.FunctionVersion, afterKeep.RevisionId));
        Assert.Null((await FunctionAliases.ReadAsync(temp.Store, Alice, Name, ct)).Find("prod")!.Previous);
    }

    [Fact]
    public async Task ReadingAliases_SkipsKeysThatAreNoAlias_AndKeepsUnreadableRecordsAsRoutingNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Records(Alice, Name), Record("root", "1").Encode());
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Records(Alice, Name) + "a/b/", Record("deep", "1").Encode());
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Record(Alice, Name, "broken"), "{"u8.ToArray());
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Record(Alice, Name, "prod"), Record("prod", "1").Encode());
        await StoredRecords.PutAsync(temp.Store, AliasKeys.PreviousRouting(Alice, Name, "broken"), "{"u8.ToArray());
        await StoredRecords.PutAsync(temp.Store, PlatformKeys.FunctionRecords(Alice, Name) + "odd", [1]);

        var state = await FunctionAliases.ReadAsync(temp.Store, Alice, Name, ct);

        Assert.Equal(["broken", "prod"], state.Aliases.Select(a => a.Name));
        Assert.Null(state.Find("broken")!.Record);
        Assert.Null(state.Find("broken")!.Previous);
        Assert.Equal("prod", state.RoutedBy("1"));
        Assert.Null(state.RoutedBy("latest"));
        Assert.Equal(["1", "latest"], state.Versions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, state.GuardRevision);
    }

    private static AliasRecord Record(string alias, string version, params string[] weighted) => new()
    {
        Name = alias,
        FunctionName = Name,
        FunctionVersion = version,
        RevisionId = "r1",
        RoutingConfig = weighted.Length == 0 ? [] : weighted.Append(version).Distinct().ToDictionary(v => v, v => v == version ? 50 : 50),
    };
}