using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>The view every response shows of a stored record: its URNs, the members filled from the record, the
/// defaults of what the record leaves empty, and the S3 token never shown.</summary>
public sealed class FunctionViewTests
{
    private static readonly MetaOptions Options = new() { UrnPrefix = "p", UrnZone = "z" };

    private static FunctionRecord Record() =>
        FunctionRules.BuildDraft(ServiceHarness.Rich(), new Tenant("alice", "shop"), new MetaOptions(), new SetClock()).Value!;

    [Fact]
    public void AView_ShowsTheRecordsMembers_AndItsUrns()
    {
        var record = Record() with { Version = "v1", VersionDesc = "first", UpdateTime = "u", Tags = new() { ["t"] = "1" }, Status = "ok", InstanceNum = 4 };

        var view = FunctionView.From(record, Options);

        Assert.Equal(("p:z:yrk:alice@shop:function:0-svc-rich:v1", "p:z:yrk:alice@shop:function:0-svc-rich"), (view.Id, view.FunctionUrn));
        Assert.Equal(view.Id, view.FunctionVersionUrn);
        Assert.Equal(("0-svc-rich", "alice", "yrk", "shop", "rich one"), (view.Name, view.TenantId, view.BusinessId, view.ProductId, view.Description));
        Assert.Equal(("v1", "first", "yrlib", "h.main", "python3.9"), (view.VersionNumber, view.VersionDesc, view.Kind, view.Handler, view.Runtime));
        Assert.Equal((600L, 512L, 60L, 1, 7, 3), (view.Cpu, view.Memory, view.Timeout, view.MinInstance, view.MaxInstance, view.ConcurrentNum));
        Assert.Equal(("s3", "/code", "b", "o", "sha"), (view.StorageType, view.CodePath, view.BucketId, view.ObjectId, view.CodeSha256));
        Assert.Equal(new S3CodePath { BucketId = "b", ObjectId = "o", BucketUrl = "u", Token = null, Sha512 = "sha" }, view.S3CodePath);
        Assert.Equal(("ok", 4L, "az1", "gvisor", "pool-1", true, true), (view.Status, view.InstanceNum, view.PriorityAz, view.SandboxType, view.PoolId, view.EnableMetrics, view.EnableAgentSession));
        Assert.Equal(["g1", "g2"], view.ResourceAffinitySelectors!.Select(s => s.Group!));
        Assert.Equal((record.CreateTime, "u", "u", record.PublishTime, record.PublishTime), (view.CreateTime, view.UpdateTime, view.LastModified, view.Published, view.Created));
        Assert.Same(record.Environment, view.Environment);
        Assert.Same(record.Tags, view.Tag);
        Assert.Same(record.CustomResources, view.CustomResources);
        Assert.Same(record.ExtendedHandler, view.ExtendedHandler);
        Assert.Same(record.ExtendedTimeout, view.ExtendedTimeout);
        Assert.Same(record.HookHandler, view.HookHandler);
        Assert.Same(record.Rootfs, view.Rootfs);
        Assert.Equal(record.RevisionId, view.RevisionId);
        Assert.Null(view.Layers);
        Assert.Empty(view.FuncLayer);
    }

    [Fact]
    public void WhatTheRecordLeavesEmpty_ShowsItsDefault()
    {
        var record = Record() with { Kind = "", PriorityAz = "", Status = "", UpdateTime = "", HookHandler = null, PoolLabel = "", Device = null, S3CodePath = new S3CodePath() };

        var view = FunctionView.From(record, Options);

        Assert.Null(view.Kind);
        Assert.Null(view.PriorityAz);
        Assert.Equal("unavailable", view.Status);
        Assert.Equal(record.PublishTime, view.LastModified);
        Assert.Empty(view.HookHandler);
        Assert.Null(view.ResourceAffinitySelectors);
        Assert.Same(FunctionDevice.None, view.Device);
        Assert.Equal(("", "", ""), (view.BucketId, view.ObjectId, view.CodeSha256));
    }

    [Fact]
    public void Layers_AreShownAsUrns_AndAsTheirParts()
    {
        var record = Record() with { Layers = [new LayerRef("base", 3, 1), new LayerRef("extra", 12, 2)] };

        var view = FunctionView.From(record, Options);

        Assert.Equal(["p:z:yrk:alice@shop:layer:base:3", "p:z:yrk:alice@shop:layer:extra:12"], view.Layers!);
        Assert.Equal([new FunctionLayer("base", "3", 1), new FunctionLayer("extra", "12", 2)], view.FuncLayer);
    }

    [Fact]
    public void ADevice_IsShownAsStored()
    {
        var device = new FunctionDevice { Type = "npu", Count = 2 };

        Assert.Same(device, FunctionView.From(Record() with { Device = device }, Options).Device);
    }
}