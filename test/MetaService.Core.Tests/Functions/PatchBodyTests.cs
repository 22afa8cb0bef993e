using System.Text.Json.Nodes;

using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>The update body that keeps a draft as it is (what a patch starts from): every member the draft sets, the
/// extended metadata when only one of its parts is set too.</summary>
public sealed class PatchBodyTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task OnePartOfTheExtendedMetadata_IsKeptByAPatch(bool container, bool health)
    {
        await using var h = new ServiceHarness();
        var metadata = new ExtendedMetaData
        {
            CustomContainerConfig = container ? new CustomContainerConfig { Image = "c" } : null,
            CustomHealthCheck = health ? new CustomHealthCheck { PeriodSeconds = 4 } : null,
        };
        await h.CreateAsync(ServiceHarness.Yrlib() with { ExtendedMetaData = metadata });

        await h.Service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["handler"] = "h.x" }, null, ServiceHarness.Token);

        var after = (await h.RecordAsync("0-svc-fn", "$latest"))!;
        Assert.Equal((container, health), (after.CustomContainerConfig?.Image == "c", after.CustomHealthCheck?.PeriodSeconds == 4));
    }

    [Fact]
    public void TheBodyOfADraft_SpellsItsInstanceCountsAndPoolGroups()
    {
        var draft = FunctionRules.BuildDraft(ServiceHarness.Rich(), Tenant, new MetaOptions(), new SetClock()).Value!;

        var body = FunctionPatch.BodyOf(draft);

        Assert.Equal(("1", "7", "3"), (body.MinInstance, body.MaxInstance, body.ConcurrentNum));
        Assert.Equal(["g1", "g2"], body.ResourceAffinitySelectors!.Select(s => s.Group!));
        Assert.Same(draft.Rootfs, body.Rootfs);
        Assert.NotSame(draft.Environment, body.Environment);
        Assert.Equal(draft.Environment, body.Environment);
    }

    [Fact]
    public void TheBodyOfAPlainDraft_LeavesOutWhatItDoesNotSet()
    {
        var draft = FunctionRules.BuildDraft(ServiceHarness.Yrlib(), Tenant, new MetaOptions(), new SetClock()).Value!;

        var body = FunctionPatch.BodyOf(draft);

        Assert.Null(body.ResourceAffinitySelectors);
        Assert.Null(body.Rootfs);
        Assert.Null(body.ExtendedMetaData);
    }
}