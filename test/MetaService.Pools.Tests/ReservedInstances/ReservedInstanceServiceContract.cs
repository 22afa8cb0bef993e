using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Core.ReservedInstances;
using MetaService.Core.Storage;
using MetaService.Pools.Tests.Seam;

using Xunit;

namespace MetaService.Pools.Tests.ReservedInstances;

/// <summary>The reserved-instance service on a store backend.</summary>
public abstract class ReservedInstanceServiceContract : StoreSeamTests
{
    private const string Hello = "0@faaspy@hello";

    private readonly MetaOptions _options = new() { Clusters = ["cluster002"], InstanceLabelMax = 2 };

    private ReservedInstanceService Service => new(Store, _options);

    private FunctionService Functions => new(Store, _options, TimeProvider.System);

    private static ReserveRequest Request(string label, params (string Cluster, long Max, long Min)[] configs) => new()
    {
        FuncName = Hello,
        Version = "latest",
        InstanceLabel = label,
        InstanceConfigInfos = [.. configs.Select(c => new InstanceConfig { ClusterId = c.Cluster, MaxInstance = c.Max, MinInstance = c.Min })],
    };

    private async Task CreateFunctionAsync()
    {
        var created = await Functions.CreateAsync(Tenant.Default, new FunctionRequest { Name = Hello, Runtime = "python3.9", Kind = "faas", Cpu = 300, Memory = 128 }, Cancel);
        Assert.True(created.IsSuccess, created.Error?.Message);
    }

    [Fact]
    public async Task Create_ThenGet_ReturnsTheLabelInEveryCluster()
    {
        await CreateFunctionAsync();

        var created = await Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 3, 1), ("cluster002", 4, 2)), Cancel);
        var found = await Service.GetAsync(Tenant.Default, new ReserveRequest { FuncName = Hello, Version = "latest" }, Cancel);

        Assert.True(created.IsSuccess);
        Assert.Equal(["cluster001", "cluster002"], created.Value!.Configs.Select(c => c.ClusterId));
        var label = Assert.Single(found.Value!);
        Assert.Equal("a", label.InstanceLabel);
        Assert.Equal([(3L, 1L), (4L, 2L)], label.InstanceConfigInfos.OrderBy(c => c.ClusterId).Select(c => (c.MaxInstance, c.MinInstance)));
    }

    [Fact]
    public async Task ConcurrentCreatesOfNewLabels_AtTheLimitMinusOne_OnlyOneCommits()
    {
        await CreateFunctionAsync();
        await Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), Cancel);

        var attempts = await Store.OneWriteAsync(() => Task.WhenAll(Enumerable.Range(0, 16).Select(i => Service.CreateAsync(Tenant.Default, Request($"new{i}", ("cluster001", 1, 0)), Cancel))));
        var labels = await Service.GetAsync(Tenant.Default, new ReserveRequest { FuncName = Hello, Version = "latest" }, Cancel);

        Assert.Single(attempts, a => a.IsSuccess);
        Assert.All(attempts.Where(a => !a.IsSuccess), a => Assert.Equal(ErrorKind.Conflict, a.Error!.Kind));
        Assert.Equal(2, labels.Value!.Count);
    }

    [Fact]
    public async Task DeletingTheFunction_RemovesTheLabelsAndTheirGuard()
    {
        await CreateFunctionAsync();
        await Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), Cancel);

        var deleted = await Functions.DeleteAsync(Tenant.Default, Hello, null, null, Cancel);
        var guards = await Store.RangeAsync(PlatformKeys.ReserveLabelGuards(Tenant.Default, Hello), cancellationToken: Cancel);
        var labels = await Store.RangeAsync(PlatformKeys.InstanceLabels("cluster001", Tenant.Default, Hello, "latest"), cancellationToken: Cancel);

        Assert.True(deleted.IsSuccess);
        Assert.Empty(guards.Items);
        Assert.Empty(labels.Items);
    }

    [Fact]
    public async Task Create_BeyondTheLabelLimit_IsAConflict()
    {
        await CreateFunctionAsync();
        await Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), Cancel);
        await Service.CreateAsync(Tenant.Default, Request("b", ("cluster002", 1, 0)), Cancel);

        var refused = await Store.NothingWrittenAsync(() => Service.CreateAsync(Tenant.Default, Request("c", ("cluster001", 1, 0)), Cancel));

        Assert.Equal(ErrorKind.Conflict, refused.Error!.Kind);
    }

    [Fact]
    public async Task Update_OfAMissingLabel_IsNotFound()
    {
        await CreateFunctionAsync();

        var refused = await Store.NothingWrittenAsync(() => Service.UpdateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), Cancel));

        Assert.Equal(ErrorKind.NotFound, refused.Error!.Kind);
    }

    [Fact]
    public async Task Delete_RemovesTheLabelEverywhere()
    {
        await CreateFunctionAsync();
        await Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0), ("cluster002", 1, 0)), Cancel);

        var deleted = await Service.DeleteAsync(Tenant.Default, new ReserveRequest { FuncName = Hello, Version = "latest", InstanceLabel = "a" }, Cancel);
        var found = await Service.GetAsync(Tenant.Default, new ReserveRequest { FuncName = Hello, Version = "latest" }, Cancel);

        Assert.True(deleted.IsSuccess);
        Assert.Empty(found.Value!);
    }

    [Fact]
    public async Task DeletingTheFunction_RemovesItsLabels()
    {
        await CreateFunctionAsync();
        await Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0), ("cluster002", 1, 0)), Cancel);

        await Functions.DeleteAsync(Tenant.Default, Hello, null, null, Cancel);
        var labels = await Store.RangeAsync("/instances/", cancellationToken: Cancel);

        Assert.Empty(labels.Items);
    }

    [Fact]
    public async Task ConcurrentCreates_OfOneLabel_AllApply_AndLeaveOneValuePerCluster()
    {
        await CreateFunctionAsync();

        var writes = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", i, 0)), Cancel)));
        var found = await Service.GetAsync(Tenant.Default, new ReserveRequest { FuncName = Hello, Version = "latest" }, Cancel);

        Assert.All(writes, w => Assert.True(w.IsSuccess));
        Assert.Single(Assert.Single(found.Value!).InstanceConfigInfos);
    }
}

public sealed class SqliteReservedInstanceServiceTests : ReservedInstanceServiceContract
{
    private readonly SqliteStores _stores = new();

    protected override Task<Core.Storage.IMetaStore> OpenStoreAsync() => _stores.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _stores.Dispose();
    }
}

[Collection(Seam.EtcdSeam.Name)]
public sealed class EtcdReservedInstanceServiceTests(Seam.EtcdStores stores) : ReservedInstanceServiceContract
{
    protected override Task<Core.Storage.IMetaStore> OpenStoreAsync() => stores.OpenAsync();
}