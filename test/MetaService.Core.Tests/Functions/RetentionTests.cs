using MetaService.Core.Aliases;
using MetaService.Core.Functions;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>A publish under a version retention: the oldest versions no alias routes to go in the same transaction, and
/// when every older version is routed the publish is refused.</summary>
public sealed class RetentionTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Fact]
    public async Task APublishPastTheRetention_PrunesTheOldestVersion_WithItsKeys()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Faas());
        Assert.Null((await new AliasService(h.Store, h.Options, h.Clock).SetRetentionAsync(Tenant, "0@svc@fn", new VersionRetention { KeepVersions = 2 }, ServiceHarness.Token)).Error);
        await h.PublishAsync("0@svc@fn", "v1");
        await h.PublishAsync("0@svc@fn", "v2");

        await h.PublishAsync("0@svc@fn", "v3");

        Assert.Null(await h.RecordAsync("0@svc@fn", "v1"));
        Assert.Null(await h.GetAsync(PlatformKeys.Published(FunctionKinds.Faas, Tenant, "0@svc@fn", "v1")));
        Assert.Null(await h.GetAsync(PlatformKeys.Status(Tenant, "0@svc@fn", "v1")));
        Assert.NotNull(await h.RecordAsync("0@svc@fn", "v2"));
        Assert.NotNull(await h.RecordAsync("0@svc@fn", "v3"));
    }

    [Fact]
    public async Task APrunedVersion_IsOneNoAliasRoutesTo()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Faas());
        var aliases = new AliasService(h.Store, h.Options, h.Clock);
        await aliases.SetRetentionAsync(Tenant, "0@svc@fn", new VersionRetention { KeepVersions = 2 }, ServiceHarness.Token);
        await h.PublishAsync("0@svc@fn", "v1");
        await h.PublishAsync("0@svc@fn", "v2");
        Assert.Null((await aliases.CreateAsync(Tenant, "0@svc@fn", new AliasRequest { Name = "prod", FunctionVersion = "v1" }, null, ServiceHarness.Token)).Error);

        await h.PublishAsync("0@svc@fn", "v3");

        Assert.NotNull(await h.RecordAsync("0@svc@fn", "v1"));
        Assert.Null(await h.RecordAsync("0@svc@fn", "v2"));
    }

    [Fact]
    public async Task WhenEveryOlderVersionIsRouted_APublishIsRefused_AndWritesNothing()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Faas());
        var aliases = new AliasService(h.Store, h.Options, h.Clock);
        await aliases.SetRetentionAsync(Tenant, "0@svc@fn", new VersionRetention { KeepVersions = 1 }, ServiceHarness.Token);
        await h.PublishAsync("0@svc@fn", "v1");
        await aliases.CreateAsync(Tenant, "0@svc@fn", new AliasRequest { Name = "prod", FunctionVersion = "v1" }, null, ServiceHarness.Token);
        var before = await h.RevisionAsync();

        var published = await h.Service.PublishAsync(Tenant, "0@svc@fn", new PublishRequest { RevisionId = draft.RevisionId, VersionNumber = "v2" }, ServiceHarness.Token);

        Assert.Equal(4110, published.Error!.Code);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task ARetentionAtTheLimit_KeepsPublishingPastIt()
    {
        await using var h = new ServiceHarness(new MetaOptions { VersionMax = 2 });
        await h.CreateAsync(ServiceHarness.Yrlib());
        await new AliasService(h.Store, h.Options, h.Clock).SetRetentionAsync(Tenant, "0-svc-fn", new VersionRetention { KeepVersions = 2 }, ServiceHarness.Token);

        foreach (var version in new[] { "v1", "v2", "v3", "v4" })
        {
            await h.PublishAsync("0-svc-fn", version);
        }

        Assert.Equal(["$latest", "v3", "v4"], (await h.Service.ListVersionsAsync(Tenant, "0-svc-fn", Paging.Default, ServiceHarness.Token)).Value!.Functions!.Select(f => f.Version).Order(StringComparer.Ordinal));
    }
}