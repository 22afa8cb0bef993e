using MetaService.Core.ReservedInstances;
using MetaService.Core.Storage;

using Xunit;

using static MetaService.Core.Tests.ReservedInstances.Reserving;

namespace MetaService.Core.Tests.ReservedInstances;

/// <summary>Creating and updating a label's reserved instances: the value the platform reads in each cluster, the answer
/// (the label in every cluster after the write), the guard of new labels, and each refusal with nothing written.</summary>
public sealed class ReservedInstanceWriteTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ACreate_StoresTheCountsInEachCluster_AsTheInstanceMetaDataThePlatformReads()
    {
        await using var reserving = await WithHelloAsync();

        var created = await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("", 3, 1), ("cluster002", 4, 2)), None);

        Assert.True(created.IsSuccess);
        Assert.Equal("""{"instanceMetaData":{"maxInstance":3,"minInstance":1,"concurrentNum":0,"instanceType":"","idleMode":false,"poolLabel":"","poolId":"","diskLimit":0,"schedulePolicy":"","scalePolicy":""}}""", await reserving.ValueAsync(LabelKey("cluster001", "a")));
        Assert.Equal("""{"instanceMetaData":{"maxInstance":4,"minInstance":2,"concurrentNum":0,"instanceType":"","idleMode":false,"poolLabel":"","poolId":"","diskLimit":0,"schedulePolicy":"","scalePolicy":""}}""", await reserving.ValueAsync(LabelKey("cluster002", "a")));
        Assert.Equal("a", await reserving.ValueAsync(PlatformKeys.ReserveLabelGuard(Tenant.Default, Hello, "latest")));
    }

    [Fact]
    public async Task TheAnswer_IsTheLabelInEveryCluster_AfterTheWrite()
    {
        await using var reserving = await WithHelloAsync();
        await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster002", 4, 2)), None);

        var result = (await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 3, 1)), None)).Value!;

        Assert.Equal(new ReserveInsBaseInfo(Hello, "latest", "a"), result.BaseInfo);
        Assert.Equal([("cluster001", 3L, 1L), ("cluster002", 4L, 2L)], result.Configs.Select(c => (c.ClusterId, c.MaxInstance, c.MinInstance)));
    }

    [Fact]
    public async Task AnUpdate_ReplacesTheCounts_OfAnExistingLabel()
    {
        await using var reserving = await WithHelloAsync();
        await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 3, 1), ("cluster002", 4, 2)), None);

        var result = (await reserving.Service.UpdateAsync(Tenant.Default, Request("a", ("cluster002", 9, 5)), None)).Value!;

        Assert.Equal([("cluster001", 3L, 1L), ("cluster002", 9L, 5L)], result.Configs.Select(c => (c.ClusterId, c.MaxInstance, c.MinInstance)));
        var found = Assert.Single((await reserving.Service.GetAsync(Tenant.Default, Version(), None)).Value!);
        Assert.Equal([(9L, 5L), (3L, 1L)], found.InstanceConfigInfos.Select(c => (c.MaxInstance, c.MinInstance)));
    }

    [Fact]
    public async Task AnUpdate_OfALabelMissingInACluster_IsNotFound_AndWritesNothing()
    {
        await using var reserving = await WithHelloAsync();
        await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 3, 1)), None);
        var before = await reserving.RevisionAsync();

        var missing = await reserving.Service.UpdateAsync(Tenant.Default, Request("b", ("cluster001", 1, 0)), None);
        var elsewhere = await reserving.Service.UpdateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0), ("cluster002", 1, 0)), None);

        var expected = (4104, "failed to find reserve instance config for update. check input parameters", ErrorKind.NotFound);
        Assert.Equal(expected, (missing.Error!.Code, missing.Error.Message, missing.Error.Kind));
        Assert.Equal(expected, (elsewhere.Error!.Code, elsewhere.Error.Message, elsewhere.Error.Kind));
        Assert.Equal(before, await reserving.RevisionAsync());
    }

    [Fact]
    public async Task AWriteForAMissingFunction_IsNotFound_AndWritesNothing()
    {
        await using var reserving = await WithHelloAsync();
        var before = await reserving.RevisionAsync();

        var outcome = await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)) with { Version = "7" }, None);

        Assert.Equal((4115, "function [0@faaspy@hello] is not found. check input parameters", ErrorKind.NotFound), (outcome.Error!.Code, outcome.Error.Message, outcome.Error.Kind));
        Assert.Equal(before, await reserving.RevisionAsync());
    }

    [Fact]
    public async Task ARequestThatBreaksARule_IsRefused_AndWritesNothing()
    {
        await using var reserving = await WithHelloAsync();
        var before = await reserving.RevisionAsync();

        var outcome = await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 2)), None);

        Assert.Equal((4104, "maxInstance 1 is less than minInstance 2. check input parameters"), (outcome.Error!.Code, outcome.Error.Message));
        Assert.Equal(before, await reserving.RevisionAsync());
    }

    [Fact]
    public async Task ANewLabel_BeyondTheLimit_IsRefused_CountingALabelOnceAcrossClusters()
    {
        await using var reserving = await WithHelloAsync();
        Assert.True((await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0), ("cluster002", 1, 0)), None)).IsSuccess);
        Assert.True((await reserving.Service.CreateAsync(Tenant.Default, Request("b", ("cluster002", 1, 0)), None)).IsSuccess);
        var before = await reserving.RevisionAsync();

        var refused = await reserving.Service.CreateAsync(Tenant.Default, Request("c", ("cluster001", 1, 0)), None);
        var existing = await reserving.Service.CreateAsync(Tenant.Default, Request("b", ("cluster001", 2, 0)), None);

        Assert.Equal((4104, "label count reached max(2). check input parameters", ErrorKind.Conflict), (refused.Error!.Code, refused.Error.Message, refused.Error.Kind));
        Assert.True(existing.IsSuccess);
        Assert.Equal(before + 1, await reserving.RevisionAsync());
        Assert.Null(await reserving.Store.GetAsync(LabelKey("cluster001", "c"), None));
    }

    [Fact]
    public async Task ACreateWithNoCounts_AddsNoLabel_SoTheLimitDoesNotRefuseIt()
    {
        await using var reserving = await WithHelloAsync();
        Assert.True((await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), None)).IsSuccess);
        Assert.True((await reserving.Service.CreateAsync(Tenant.Default, Request("b", ("cluster002", 1, 0)), None)).IsSuccess);

        var created = await reserving.Service.CreateAsync(Tenant.Default, Request("c"), None);

        Assert.True(created.IsSuccess, created.Error?.Message);
        Assert.Equal(new ReserveInsBaseInfo(Hello, "latest", "c"), created.Value!.BaseInfo);
        Assert.Empty(created.Value.Configs);
        Assert.Equal(["a", "b"], (await reserving.Service.GetAsync(Tenant.Default, Version(), None)).Value!.Select(l => l.InstanceLabel).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnExistingLabel_DoesNotRewriteTheGuard()
    {
        await using var reserving = await WithHelloAsync();
        await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), None);
        var guard = PlatformKeys.ReserveLabelGuard(Tenant.Default, Hello, "latest");
        var at = (await reserving.Store.GetAsync(guard, None))!.ModRevision;

        await reserving.Service.UpdateAsync(Tenant.Default, Request("a", ("cluster001", 2, 0)), None);

        Assert.Equal(at, (await reserving.Store.GetAsync(guard, None))!.ModRevision);
    }

    [Fact]
    public async Task ADryRun_AnswersAsTheWriteWould_AndWritesNothing()
    {
        await using var reserving = await WithHelloAsync();
        var before = await reserving.RevisionAsync();

        var result = await reserving.Service.AsDryRun().CreateAsync(Tenant.Default, Request("a", ("cluster001", 3, 1)), None);

        Assert.Equal([("cluster001", 3L, 1L)], result.Value!.Configs.Select(c => (c.ClusterId, c.MaxInstance, c.MinInstance)));
        Assert.Equal(before, await reserving.RevisionAsync());
    }
}