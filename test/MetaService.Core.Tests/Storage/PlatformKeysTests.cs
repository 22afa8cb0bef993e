using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Storage;

/// <summary>Every key MetaService writes, spelled exactly as openYuanrong's components and the original's tables spell
/// it (the reference's §6): a key that differs by one character is a key nobody watches.</summary>
public sealed class PlatformKeysTests
{
    private static readonly Tenant Shop = new("alice", "shop");
    private static readonly Tenant NoProduct = new("bob");

    [Fact]
    public void TheOriginalsTables_AreKeyedByBusinessTenantProductNameAndVersion()
    {
        Assert.Equal("/repo/FunctionVersion/yrk/alice/", PlatformKeys.TenantRecords(Shop));
        Assert.Equal("/repo/FunctionVersion/yrk/alice/shop/0-app-f/", PlatformKeys.FunctionRecords(Shop, "0-app-f"));
        Assert.Equal("/repo/FunctionVersion/yrk/alice/shop/0-app-f/$latest/", PlatformKeys.Record(Shop, "0-app-f", "$latest"));
        Assert.Equal("/repo/FunctionVersion/yrk/bob//0-app-f/1/", PlatformKeys.Record(NoProduct, "0-app-f", "1"));
        Assert.Equal("/repo/FunctionStatus/yrk/alice/shop/0-app-f/", PlatformKeys.FunctionStatuses(Shop, "0-app-f"));
        Assert.Equal("/repo/FunctionStatus/yrk/alice/shop/0-app-f/2/", PlatformKeys.Status(Shop, "0-app-f", "2"));
        Assert.Equal("/repo/ObjectRefIndex/yrk/alice/shop/bucket-1/code.zip/", PlatformKeys.ObjectRef(Shop, "bucket-1", "code.zip"));
    }

    [Fact]
    public void TheTablesADeleteClears_AreTheOriginalsFourPerFunction_AndTwoPerVersion()
    {
        Assert.Equal(
            [
                "/repo/Alias/yrk/alice/shop/f/",
                "/repo/AliasRoutingIndex/yrk/alice/shop/f/",
                "/repo/Trigger/yrk/alice/shop/f/",
                "/repo/FunctionResourceIDIndex/yrk/alice/shop/f/",
            ],
            PlatformKeys.FunctionTables(Shop, "f"));
        Assert.Equal(["/repo/Trigger/yrk/alice/shop/f/3/", "/repo/FunctionResourceIDIndex/yrk/alice/shop/f/3/"], PlatformKeys.VersionTables(Shop, "f", "3"));
    }

    [Theory]
    [InlineData("faas", "/sn/functions")]
    [InlineData("agent", "/sn/functions")]
    [InlineData("yrlib", "/yr/functions")]
    [InlineData("custom", "/yr/functions")]
    [InlineData("", "/yr/functions")]
    public void PublishedRecords_OfFaasAndAgent_AreUnderSn_AndEveryOtherKindUnderYr(string kind, string root)
    {
        Assert.Equal(root, PlatformKeys.PublishedRoot(kind));
        Assert.Equal($"{root}/business/yrk/tenant/alice@shop/function/0-app-f/version/3", PlatformKeys.Published(kind, Shop, "0-app-f", "3"));
        Assert.Equal($"{root}/business/yrk/tenant/bob/function/f/version/", PlatformKeys.PublishedVersions(root, NoProduct, "f"));
    }

    [Fact]
    public void InstanceKeys_NameTheClusterAndTheBareTenant()
    {
        Assert.Equal("/instances/business/yrk/cluster/c1/tenant/alice/function/f/version/", PlatformKeys.InstanceVersions("c1", Shop, "f"));
        Assert.Equal("/instances/business/yrk/cluster/c1/tenant/alice/function/f/version/2", PlatformKeys.Instance("c1", Shop, "f", "2"));
        Assert.Equal("/instances/business/yrk/cluster/c1/tenant/alice/function/f/version/2/label/", PlatformKeys.InstanceLabels("c1", Shop, "f", "2"));
        Assert.Equal("/instances/business/yrk/cluster/c1/tenant/alice/function/f/version/2/label/gpu", PlatformKeys.InstanceLabel("c1", Shop, "f", "2", "gpu"));
    }

    [Fact]
    public void PoolsAliasesTriggersAndChains_AreWhereThePlatformWatches()
    {
        Assert.Equal("/yr/podpools/info/", PlatformKeys.PoolRoot);
        Assert.Equal("/yr/podpools/info/pool-1", PlatformKeys.Pool("pool-1"));
        Assert.Equal("/sn/aliases/business/yrk/tenant/alice@shop/function/f/", PlatformKeys.Aliases(Shop, "f"));
        Assert.Equal("/sn/triggers/triggerType/HTTP/business/yrk/tenant/bob/function/f/", PlatformKeys.Triggers(NoProduct, "f"));
        Assert.Equal("/sn/functionchains/business/yrk/tenant/alice@shop/function/f", PlatformKeys.FunctionChain(Shop, "f"));
    }

    [Fact]
    public void MetaServicesOwnKeys_AreUnderItsOwnRoot_ApartFromTheLegacyGuards()
    {
        Assert.Equal("/metaservice/", PlatformKeys.OwnRoot);
        Assert.Equal("/metaservice/ReservedInstanceLabels/yrk/alice/shop/f/", PlatformKeys.ReserveLabelGuards(Shop, "f"));
        Assert.Equal("/metaservice/ReservedInstanceLabels/yrk/alice/shop/f/4", PlatformKeys.ReserveLabelGuard(Shop, "f", "4"));
        Assert.Equal("/repo/ReservedInstanceLabels/yrk/alice/shop/f/", PlatformKeys.LegacyReserveLabelGuards(Shop, "f"));
    }
}