using MetaService.Core.Functions;
using MetaService.Core.Records;

using Xunit;

namespace MetaService.Core.Tests;

public sealed class FunctionRulesTests
{
    private static readonly MetaOptions Options = new();
    private static readonly TimeProvider Clock = TimeProvider.System;

    private static FunctionRequest Valid(string kind = "faas") => new()
    {
        Name = kind == "faas" ? "0@svc@fn" : "0-svc-fn",
        Runtime = "python3.9",
        Kind = kind,
        Cpu = 600,
        Memory = 512,
        Timeout = 600,
    };

    [Fact]
    public void BuildDraft_ReportsEveryBrokenRuleAtOnce()
    {
        var request = Valid() with { Cpu = 16_001, Memory = 1, MaxInstance = "1001", Handler = new string('h', 65) };

        var outcome = FunctionRules.BuildDraft(request, Tenant.Default, Options, Clock);

        Assert.Equal(4104, outcome.Error!.Code);
        Assert.Contains("CPU not in range [300, 16000]", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Contains("memory not in range [128, 1073741824]", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Contains("maxInstance 1001", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Contains("handler must be at most 64 characters", outcome.Error.Message, StringComparison.Ordinal);
        Assert.EndsWith(". check input parameters", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 900)]
    [InlineData(-5L, 900)]
    [InlineData(8_640_001L, 8_640_000)]
    [InlineData(30L, 30)]
    public void BuildDraft_NormalisesTimeout(long? requested, long expected)
    {
        var outcome = FunctionRules.BuildDraft(Valid() with { Timeout = requested }, Tenant.Default, Options, Clock);

        Assert.Equal(expected, outcome.Value!.Timeout);
    }

    [Fact]
    public void BuildDraft_FillsInstanceDefaultsAndFaasParts()
    {
        var record = FunctionRules.BuildDraft(Valid(), Tenant.Default, Options, Clock).Value!;

        Assert.Equal((0, 100, 100), (record.MinInstance, record.MaxInstance, record.ConcurrentNum));
        Assert.Equal(("svc", "fn"), (record.Service, record.FuncName));
        Assert.Equal("latest", record.Version);
        Assert.Equal("faas_executor.faasCallHandler", record.HookHandler!["call"]);
    }

    [Fact]
    public void BuildDraft_CustomPoolSkipsTheResourceRanges()
    {
        var outcome = FunctionRules.BuildDraft(Valid() with { Cpu = 1, Memory = 1, PoolType = "custom" }, Tenant.Default, Options, Clock);

        Assert.True(outcome.IsSuccess);
    }

    [Fact]
    public void BuildDraft_FaasPreStopTimeoutAbove180_IsRefused()
    {
        var request = Valid() with { ExtendedHandler = new() { ["pre_stop"] = "h.stop" }, ExtendedTimeout = new() { ["pre_stop"] = 181 } };

        var outcome = FunctionRules.BuildDraft(request, Tenant.Default, Options, Clock);

        Assert.Equal("preStop timeOut must between 0 and 180. check input parameters", outcome.Error!.Message);
    }

    [Theory]
    [InlineData("local", "", "/p", "")]
    [InlineData("image", "img", "", "")]
    [InlineData("s3", "", "", "bucket")]
    public void BuildDraft_RootfsFollowsItsType(string type, string image, string path, string bucket)
    {
        var rootfs = new Rootfs { Type = type, ImageUrl = image, Path = path, StorageInfo = new RootfsStorage { Bucket = bucket, Endpoint = bucket, ObjectName = bucket } };

        var outcome = FunctionRules.BuildDraft(Valid() with { Rootfs = rootfs }, Tenant.Default, Options, Clock);

        Assert.Equal("runsc", outcome.Value!.Rootfs.Runtime);
    }

    [Fact]
    public void BuildDraft_RootfsWithPathButTypeImage_IsRefused()
    {
        var outcome = FunctionRules.BuildDraft(Valid() with { Rootfs = new Rootfs { Type = "image", Path = "/p" } }, Tenant.Default, Options, Clock);

        Assert.Equal(4104, outcome.Error!.Code);
    }

    [Fact]
    public void Merge_KeepsEmptyScalars_ResetsInstances_ClearsOverwrittenFields()
    {
        var draft = FunctionRules.BuildDraft(
            Valid() with { Handler = "h.main", MinInstance = "2", StorageType = "local", CodePath = "/code", PoolId = "pool1", Environment = new() { ["A"] = "1" } },
            Tenant.Default,
            Options,
            Clock).Value!;

        var merged = FunctionRules.Merge(draft, new FunctionRequest { RevisionId = draft.RevisionId, Cpu = 700 }, Options, Clock).Value!;

        Assert.Equal("h.main", merged.Handler);
        Assert.Equal(700, merged.Cpu);
        Assert.Equal(512, merged.Memory);
        Assert.Equal(600, merged.Timeout);
        Assert.Equal(0, merged.MinInstance);
        Assert.Equal("1", merged.Environment["A"]);
        Assert.Equal("", merged.StorageType);
        Assert.Equal("", merged.CodePath);
        Assert.Equal("", merged.PoolId);
        Assert.NotEqual(draft.RevisionId, merged.RevisionId);
    }

    [Fact]
    public void Merge_RefusesAnotherKind()
    {
        var draft = FunctionRules.BuildDraft(Valid(), Tenant.Default, Options, Clock).Value!;

        var outcome = FunctionRules.Merge(draft, new FunctionRequest { Kind = "yrlib" }, Options, Clock);

        Assert.Equal(4104, outcome.Error!.Code);
    }

    [Fact]
    public void BuildDraft_YrlibJava8_IsStoredAsJava18WithJavaHooks()
    {
        var record = FunctionRules.BuildDraft(Valid("yrlib") with { Runtime = "java8" }, Tenant.Default, Options, Clock).Value!;

        Assert.Equal("java1.8", record.Runtime);
        Assert.Equal("org.yuanrong.handler.CallHandler", record.HookHandler!["call"]);
        Assert.Equal("$latest", record.Version);
    }
}