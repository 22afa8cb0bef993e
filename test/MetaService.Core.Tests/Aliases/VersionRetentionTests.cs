using MetaService.Core.Aliases;
using MetaService.Core.Functions;
using MetaService.Core.Storage;
using MetaService.Core.Tests.Catalog;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Aliases.AliasFixture;

namespace MetaService.Core.Tests.Aliases;

/// <summary>A function's version retention, and what a publish prunes by it: the oldest published versions no alias
/// routes to, never a routed one (4110 when too many are routed), nothing without a retention.</summary>
public sealed class VersionRetentionTests
{
    [Fact]
    public async Task ARetention_IsSetRead_AndRemovedWithZero()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest");
        var service = Service(temp.Store, new ManualClock());

        var unset = await service.GetRetentionAsync(Alice, Name, ct);
        var set = await service.SetRetentionAsync(Alice, Name, new VersionRetention { KeepVersions = 8 }, ct);
        var read = await service.GetRetentionAsync(Alice, Name, ct);
        await service.SetRetentionAsync(Alice, Name, new VersionRetention { KeepVersions = 0 }, ct);

        Assert.Equal(0, unset.Value!.KeepVersions);
        Assert.Equal(8, set.Value!.KeepVersions);
        Assert.Equal(8, read.Value!.KeepVersions);
        Assert.Null(await temp.Store.GetAsync(AliasKeys.Retention(Alice, Name), ct));
        Assert.Equal(0, (await service.GetRetentionAsync(Alice, Name, ct)).Value!.KeepVersions);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(9)]
    public async Task ARetentionOutOfRange_IsRefused(int keep)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest");
        var before = await RevisionAsync(temp.Store);

        var refused = await Service(temp.Store, new ManualClock()).SetRetentionAsync(Alice, Name, new VersionRetention { KeepVersions = keep }, ct);

        Assert.Equal((4104, $"keepVersions is {keep}: give 1 to 8 (Meta:VersionMax), or 0 to remove the retention. check input parameters"), (refused.Error!.Code, refused.Error.Message));
        Assert.Equal(before, await RevisionAsync(temp.Store));
    }

    [Fact]
    public async Task TheRetentionOfNoFunction_IsNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var service = Service(temp.Store, new ManualClock());

        Assert.Equal(4115, (await service.GetRetentionAsync(Alice, Name, ct)).Error!.Code);
        Assert.Equal(4115, (await service.SetRetentionAsync(Alice, Name, new VersionRetention { KeepVersions = 1 }, ct)).Error!.Code);
        Assert.Equal(121046, (await service.GetRetentionAsync(Alice, "", ct)).Error!.Code);
        Assert.Equal(121046, (await service.SetRetentionAsync(Alice, "", new VersionRetention { KeepVersions = 1 }, ct)).Error!.Code);
        Assert.Equal(0, await RevisionAsync(temp.Store));
    }

    [Fact]
    public async Task APublish_WithoutARetention_PrunesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        await StoredRecords.PutAsync(temp.Store, AliasKeys.Retention(Alice, Name), "{"u8.ToArray());

        var pruning = await VersionGuards.ForPublishAsync(temp.Store, Alice, Name, await VersionsAsync(temp.Store), 8, ct);

        Assert.Same(Pruning.None, pruning.Value);
    }

    [Fact]
    public async Task APublish_WithinTheRetention_PrunesNothing_ButChecksTheRetentionStands()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        await Service(temp.Store, new ManualClock()).SetRetentionAsync(Alice, Name, new VersionRetention { KeepVersions = 3 }, ct);
        var setting = await temp.Store.GetAsync(AliasKeys.Retention(Alice, Name), ct);

        var pruning = (await VersionGuards.ForPublishAsync(temp.Store, Alice, Name, await VersionsAsync(temp.Store), 8, ct)).Value!;

        Assert.Empty(pruning.Versions);
        Assert.Equal([new Compare(setting!.Key, setting.ModRevision)], pruning.Compares);
    }

    [Fact]
    public async Task APublish_BeyondTheRetention_PrunesTheOldestVersionsNoAliasRoutesTo()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2", "3", "4");
        var service = Service(temp.Store, new ManualClock());
        await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct);
        await service.SetRetentionAsync(Alice, Name, new VersionRetention { KeepVersions = 3 }, ct);
        var versions = await VersionsAsync(temp.Store);

        var pruning = (await VersionGuards.ForPublishAsync(temp.Store, Alice, Name, versions, 8, ct)).Value!;
        var tighter = (await VersionGuards.ForPublishAsync(temp.Store, Alice, Name, versions, 2, ct)).Value!;

        Assert.Equal(["2", "3"], pruning.Versions.Select(v => v.Version));
        Assert.Equal(["2", "3", "4"], tighter.Versions.Select(v => v.Version));
        var guard = await temp.Store.GetAsync(AliasKeys.Guard(Alice, Name), ct);
        Assert.Contains(new Compare(guard!.Key, guard.ModRevision), pruning.Compares);
        Assert.Contains(new Compare(versions[2].Key, versions[2].ModRevision), pruning.Compares);
        Assert.DoesNotContain(pruning.Compares, c => c.Key == versions[1].Key);
    }

    [Fact]
    public async Task APublish_ThatCouldOnlyPruneRoutedVersions_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var service = Service(temp.Store, new ManualClock());
        await service.CreateAsync(Alice, Name, Weighted("prod", "1", new() { ["1"] = 50, ["2"] = 50 }), null, ct);
        await service.SetRetentionAsync(Alice, Name, new VersionRetention { KeepVersions = 2 }, ct);

        var refused = await VersionGuards.ForPublishAsync(temp.Store, Alice, Name, await VersionsAsync(temp.Store), 8, ct);

        Assert.Equal((4110, ErrorKind.Conflict), (refused.Error!.Code, refused.Error.Kind));
        Assert.Equal("the number of existing function versions is greater than the set value: 2; every older version is routed by an alias, so none could be pruned: move an alias off one first", refused.Error.Message);
    }

    [Fact]
    public async Task ADeleteOfARoutedVersion_IsRefused_OfAnotherItIsGuarded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2", "3");
        var service = Service(temp.Store, new ManualClock());
        await service.CreateAsync(Alice, Name, new AliasRequest { Name = "gray", FunctionVersion = "1", RoutingType = "rule", RoutingRules = Rules("2", "h:=:1") }, null, ct);

        var routed = await VersionGuards.ForDeleteAsync(temp.Store, Alice, Name, ["3", "2"], ct);
        var free = (await VersionGuards.ForDeleteAsync(temp.Store, Alice, Name, ["3"], ct)).Value!;

        Assert.Equal((4105, "this version is occupied by an alias. remove the mapping first: alias [gray] routes to version [2]"), (routed.Error!.Code, routed.Error.Message));
        var guard = await temp.Store.GetAsync(AliasKeys.Guard(Alice, Name), ct);
        var alias = await temp.Store.GetAsync(AliasKeys.Record(Alice, Name, "gray"), ct);
        Assert.Equal([new Compare(guard!.Key, guard.ModRevision), new Compare(alias!.Key, alias.ModRevision)], free);
    }

    /// <summary>The function's versions in the order they were put (oldest first).</summary>
    private static async Task<List<StoredVersion>> VersionsAsync(IMetaStore store)
    {
        var range = await store.RangeAsync(PlatformKeys.FunctionRecords(Alice, Name), cancellationToken: TestContext.Current.CancellationToken);
        return [.. range.Items.Select(kv => new StoredVersion(kv.Key, kv.ModRevision, kv.Key.Split('/')[^2], null)).OrderBy(v => v.ModRevision)];
    }
}