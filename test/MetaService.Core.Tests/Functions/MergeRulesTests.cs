using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>How an update merges into the stored draft (§3.2): empty scalars and absent maps keep the stored value, the
/// overwritten members are cleared when omitted, and every update is a new, later revision.</summary>
public sealed class MergeRulesTests
{
    private static readonly MetaOptions Options = new();

    private static readonly SetClock Clock = new();

    private static readonly FunctionRecord Draft = FunctionRules.BuildDraft(ServiceHarness.Rich(), Tenant.Default, Options, Clock).Value!;

    private static FunctionRecord Merge(FunctionRequest request, FunctionRecord? draft = null) =>
        FunctionRules.Merge(draft ?? Draft, request, Options, Clock).Value!;

    [Fact]
    public void EmptyScalarsAndAbsentMaps_KeepTheStoredValues()
    {
        var merged = Merge(new FunctionRequest { Handler = "", Description = "" });

        Assert.Equal(("h.main", "rich one", 600L, 512L, 60L), (merged.Handler, merged.Description, merged.Cpu, merged.Memory, merged.Timeout));
        Assert.Same(Draft.Environment, merged.Environment);
        Assert.Same(Draft.CustomResources, merged.CustomResources);
        Assert.Same(Draft.ExtendedHandler, merged.ExtendedHandler);
        Assert.Same(Draft.ExtendedTimeout, merged.ExtendedTimeout);
        Assert.Equal("gvisor", merged.SandboxType);
        Assert.Equal(("$latest", "yrlib", "python3.9", Draft.CreateTime), (merged.Version, merged.Kind, merged.Runtime, merged.CreateTime));
    }

    [Fact]
    public void GivenValues_ReplaceTheStoredOnes()
    {
        var merged = Merge(new FunctionRequest
        {
            Handler = "h.new",
            Description = "new",
            Cpu = 700,
            Memory = 1024,
            Timeout = 120,
            Environment = new() { ["B"] = "2" },
            CustomResources = new() { ["gpu"] = 1 },
            ExtendedHandler = new() { ["pre_stop"] = "h.stop" },
            ExtendedTimeout = new() { ["pre_stop"] = 5 },
            HookHandler = new() { ["call"] = "my.call" },
            SandboxType = "kata",
        });

        Assert.Equal(("h.new", "new", 700L, 1024L, 120L, "kata"), (merged.Handler, merged.Description, merged.Cpu, merged.Memory, merged.Timeout, merged.SandboxType));
        Assert.Equal(["B"], merged.Environment.Keys);
        Assert.Equal(["gpu"], merged.CustomResources!.Keys);
        Assert.Equal(["pre_stop"], merged.ExtendedHandler!.Keys);
        Assert.Equal(5, merged.ExtendedTimeout!["pre_stop"]);
        Assert.Equal(("my.call", "yrlib_handler.init"), (merged.HookHandler!["call"], merged.HookHandler["init"]));
    }

    [Fact]
    public void ZeroResourcesOfACustomPool_KeepTheStoredOnes()
    {
        var merged = Merge(new FunctionRequest { Cpu = 0, Memory = 0, PoolType = "custom" });

        Assert.Equal((600L, 512L), (merged.Cpu, merged.Memory));
    }

    [Theory]
    [InlineData(0L, 60L)]
    [InlineData(1L, 1L)]
    [InlineData(8_640_000L, 8_640_000L)]
    [InlineData(8_640_001L, 8_640_000L)]
    public void ATimeout_IsKeptAtZero_AndLoweredToTheMaximum(long requested, long expected)
    {
        Assert.Equal(expected, Merge(new FunctionRequest { Timeout = requested }).Timeout);
    }

    [Fact]
    public void TheOverwrittenMembers_AreClearedWhenOmitted()
    {
        var merged = Merge(new FunctionRequest());

        Assert.Equal(("", "", "", "", "", 0, 0L), (merged.StorageType, merged.CodePath, merged.CodeUploadType, merged.PoolId, merged.PoolLabel, merged.CacheInstance, merged.IdleTime));
        Assert.Equal((false, false, false, false), (merged.EnableMetrics, merged.EnableAgentSession, merged.EnableSessionCtx, merged.IsFuncPublic));
        Assert.Equal(("", "", "", ""), (merged.Warmup, merged.PriorityAz, merged.ScalePolicy, merged.SchedulePolicy));
        Assert.Equal("", merged.S3CodePath.BucketId);
        Assert.Same(Rootfs.Empty, merged.Rootfs);
        Assert.Null(merged.CustomContainerConfig);
        Assert.Null(merged.CustomHealthCheck);
        Assert.Equal(new AutoScaleConfig { SlaQuota = -1, ScaleDownTime = -1, BurstScaleNum = -1 }, merged.AutoScaleConfig);
        Assert.Equal((100, 100, 0), (merged.MaxInstance, merged.ConcurrentNum, merged.MinInstance));
        Assert.Null(merged.Layers);
    }

    [Fact]
    public void AnUpdate_IsALaterRevision_EvenOnAClockThatHasNotMoved()
    {
        var first = Merge(new FunctionRequest());
        var second = Merge(new FunctionRequest(), first);

        Assert.Equal(("20240509022549478", "20240509022549479"), (first.RevisionId, second.RevisionId));
        Assert.Equal("2024-05-09 02:25:49.477 UTC", first.UpdateTime);
    }

    [Fact]
    public void TheHooksOfAnUpdate_FollowTheStoredKindAndRuntime()
    {
        var faas = FunctionRules.BuildDraft(ServiceHarness.Faas() with { Runtime = "java8" }, Tenant.Default, Options, Clock).Value!;

        var merged = Merge(new FunctionRequest { HookHandler = new() { ["call"] = "ignored" } }, faas);

        Assert.Equal("org.yuanrong.services.handler.FaaSExecutor.faasCallHandler", merged.HookHandler!["call"]);
    }

    [Fact]
    public void AnUpdatesPreStopHandler_IsCheckedAgainstTheTimeout_AlthoughTheDraftHasOtherHandlers()
    {
        var faas = FunctionRules.BuildDraft(ServiceHarness.Faas() with { ExtendedHandler = new() { ["initializer"] = "h.init" } }, Tenant.Default, Options, Clock).Value!;

        var refused = FunctionRules.Merge(faas, new FunctionRequest { ExtendedHandler = new() { ["pre_stop"] = "h.stop" }, ExtendedTimeout = new() { ["pre_stop"] = 181 } }, Options, Clock);

        Assert.Equal(MetaError.InvalidParam("preStop timeOut must between 0 and 180"), refused.Error);
    }

    [Fact]
    public void AnUpdatesPreStopTimeout_IsChecked_NotTheDraftsValidOne()
    {
        var faas = FunctionRules.BuildDraft(
            ServiceHarness.Faas() with { ExtendedHandler = new() { ["pre_stop"] = "h.stop" }, ExtendedTimeout = new() { ["pre_stop"] = 10 } }, Tenant.Default, Options, Clock).Value!;

        var refused = FunctionRules.Merge(faas, new FunctionRequest { ExtendedTimeout = new() { ["pre_stop"] = 181 } }, Options, Clock);

        Assert.Equal(MetaError.InvalidParam("preStop timeOut must between 0 and 180"), refused.Error);
    }
}