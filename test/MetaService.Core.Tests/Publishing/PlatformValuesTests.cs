using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core.Publishing;
using MetaService.Core.Records;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Publishing;

/// <summary>The platform keys a version is published at and their values (§6.3, Appendix A): faas under
/// <c>/sn/functions</c> with its <c>/instances</c> value, agents under <c>/sn/functions</c> and every other kind under
/// <c>/yr/functions</c> in the Function shape, each member taken from the record.</summary>
public sealed class PlatformValuesTests
{
    private static readonly MetaOptions Options = new();
    private static readonly Tenant Tenant = new("t1", "p1");

    [Fact]
    public void AFaasVersion_IsPublishedAtItsSnKey_AndItsInstancesKeyInTheDefaultCluster()
    {
        var record = Faas();

        var puts = PlatformValues.Puts(record, Options).Cast<WriteOp.Put>().ToList();

        Assert.Equal(
            ["/sn/functions/business/yrk/tenant/t1@p1/function/0@svc@fn/version/v2", "/instances/business/yrk/cluster/cluster001/tenant/t1/function/0@svc@fn/version/v2"],
            puts.Select(p => p.Key));
        var instances = JsonNode.Parse(puts[1].Value)!;
        Assert.Equal(
            """{"instanceMetaData":{"maxInstance":9,"minInstance":1,"concurrentNum":4,"instanceType":"","idleMode":false,"poolLabel":"rg1","poolId":"pool1","diskLimit":0,"schedulePolicy":"sp","scalePolicy":"sc"}}""",
            instances.ToJsonString());
        Assert.Equal(JsonNode.Parse(puts[0].Value)!["instanceMetaData"]!.ToJsonString(), instances["instanceMetaData"]!.ToJsonString());
    }

    [Theory]
    [InlineData(FunctionKinds.Yrlib, "/yr/functions/business/yrk/tenant/t1@p1/function/fn/version/v2")]
    [InlineData(FunctionKinds.Agent, "/sn/functions/business/yrk/tenant/t1@p1/function/fn/version/v2")]
    [InlineData("", "/yr/functions/business/yrk/tenant/t1@p1/function/fn/version/v2")]
    public void EveryOtherKind_IsPublishedAtOneKey_InTheFunctionShape(string kind, string key)
    {
        var put = (WriteOp.Put)Assert.Single(PlatformValues.Puts(Yr() with { Kind = kind }, Options));

        Assert.Equal(key, put.Key);
        var value = JsonNode.Parse(put.Value)!.AsObject();
        Assert.Equal(["funcMetaData", "codeMetaData", "envMetaData", "resourceMetaData", "extendedMetaData", "warmup", "rootfs", "sandboxType"], value.Select(m => m.Key));
    }

    [Fact]
    public void AFaasFunctionsMetaData_IsTakenFromItsRecord()
    {
        var meta = Json(PlatformValues.Faas(Faas(), Options), MetaJson.Default.FaasFunctionMeta)["funcMetaData"]!;

        Assert.Equal(
            """
            {"layers":[],"name":"0@svc@fn","description":"the function","functionUrn":"sn:cn:yrk:t1@p1:function:0@svc@fn","reversedConcurrency":0,
            "tenantId":"t1@p1","tags":{"team":"a"},"functionUpdateTime":"updated","functionVersionUrn":"sn:cn:yrk:t1@p1:function:0@svc@fn:v2",
            "revisionId":"rev","codeSize":0,"codeSha512":"digest","handler":"h.handler","runtime":"python3.9","timeout":60,"version":"v2",
            "versionDescription":"the version","deadLetterConfig":"","businessId":"yrk","functionType":"","func_id":"","func_name":"fn",
            "domain_id":"","project_name":"","service":"svc","dependencies":"","enable_cloud_debug":"","isStatefulFunction":false,
            "isBridgeFunction":false,"isStreamEnable":false,"type":"","created":"created","enable_auth_in_header":false,"dns_domain_cfg":null,
            "vpcTriggerImage":"","idleTime":7,"autoScaleConfig":{"slaQuota":1,"scaleDownTime":2,"burstScaleNum":3},"isFuncPublic":true}
            """.ReplaceLineEndings(""),
            meta.ToJsonString());
    }

    [Fact]
    public void AFaasFunctionsExtendedMetaData_NamesItsHandlersAndFlags()
    {
        var extended = Json(PlatformValues.Faas(Faas(), Options), MetaJson.Default.FaasFunctionMeta)["extendedMetaData"]!;

        Assert.Equal("""{"initializer_handler":"h.init","initializer_timeout":12}""", extended["initializer"]!.ToJsonString());
        Assert.Equal("""{"pre_stop_handler":"h.stop","pre_stop_timeout":5}""", extended["pre_stop"]!.ToJsonString());
        Assert.Equal("az1", (string)extended["priority_az"]!);
        Assert.Equal((true, true, true), ((bool)extended["enable_metrics"]!, (bool)extended["enable_agent_session"]!, (bool)extended["enable_session_ctx"]!));
        Assert.Equal("img", (string)extended["custom_container_config"]!["image"]!);
        Assert.Equal(3, (int)extended["custom_health_check"]!["periodSeconds"]!);
    }

    [Fact]
    public void AnInitializerWithoutTimeout_TakesTheDefault_AndNoInitializerHasNone()
    {
        var options = new MetaOptions { InitializerTimeoutDefault = 45 };
        var withoutTimeout = PlatformValues.Faas(Faas() with { ExtendedTimeout = null }, options).ExtendedMetaData;
        var without = PlatformValues.Faas(Faas() with { ExtendedHandler = null, ExtendedTimeout = null }, options).ExtendedMetaData;

        Assert.Equal(new Initializer("h.init", 45), withoutTimeout.Initializer);
        Assert.Equal(new PreStop("h.stop", 0), withoutTimeout.PreStop);
        Assert.Equal(new Initializer("", 0), without.Initializer);
        Assert.Equal(new PreStop("", 0), without.PreStop);
    }

    [Fact]
    public void UnsetFlagsAndZone_AreLeftOut_AndNoContainerIsAnEmptyOne()
    {
        var record = Faas() with { PriorityAz = "", EnableMetrics = false, EnableAgentSession = false, EnableSessionCtx = false, CustomContainerConfig = null, CustomHealthCheck = null };

        var faas = Json(PlatformValues.Faas(record, Options), MetaJson.Default.FaasFunctionMeta)["extendedMetaData"]!.AsObject();
        var yr = Json(PlatformValues.Yr(record with { Kind = FunctionKinds.Yrlib }, Options), MetaJson.Default.YrFunctionMeta)["extendedMetaData"]!.AsObject();

        foreach (var extended in new[] { faas, yr })
        {
            Assert.False(extended.ContainsKey("priority_az"));
            Assert.False(extended.ContainsKey("enable_metrics"));
            Assert.False(extended.ContainsKey("enable_agent_session"));
            Assert.False(extended.ContainsKey("enable_session_ctx"));
            Assert.Equal("""{"control_path":"","image":"","command":null,"args":null,"working_dir":"","uid":0,"gid":0}""", extended["custom_container_config"]!.ToJsonString());
            Assert.Equal("""{"timeoutSeconds":0,"periodSeconds":0,"failureThreshold":0}""", extended["custom_health_check"]!.ToJsonString());
        }
    }

    [Theory]
    [InlineData("local")]
    [InlineData("copy")]
    [InlineData("working_dir")]
    public void CodeOnTheNodesDisk_IsAPath(string storage)
    {
        var code = PlatformValues.Faas(Faas() with { StorageType = storage }, Options).CodeMetaData;

        Assert.Equal((storage, "/code", "", "", ""), (code.StorageType, code.CodePath, code.BucketId, code.ObjectId, code.BucketUrl));
        Assert.Equal(("zip", "digest"), (code.CodeUploadType, code.Sha512));
    }

    [Fact]
    public void CodeInObjectStorage_IsItsLocation_WithoutAPath()
    {
        var code = Json(PlatformValues.Yr(Yr() with { StorageType = "s3" }, Options), MetaJson.Default.YrFunctionMeta)["codeMetaData"]!.AsObject();

        Assert.False(code.ContainsKey("storage_type"));
        Assert.False(code.ContainsKey("code_path"));
        Assert.Equal(("bk", "obj", "http://s3", "digest"), ((string)code["bucketId"]!, (string)code["objectId"]!, (string)code["bucketUrl"]!, (string)code["sha512"]!));
    }

    [Fact]
    public void AnUnsetObjectLocation_IsEmptyText()
    {
        var code = PlatformValues.Yr(Yr() with { StorageType = "s3", S3CodePath = new S3CodePath() }, Options).CodeMetaData;

        Assert.Equal(("", "", "", ""), (code.BucketId, code.ObjectId, code.BucketUrl, code.Sha512));
        Assert.Equal("", PlatformValues.Yr(Yr() with { S3CodePath = new S3CodePath() }, Options).FuncMetaData.CodeSha512);
        Assert.Equal("", PlatformValues.Faas(Faas() with { S3CodePath = new S3CodePath() }, Options).FuncMetaData.CodeSha512);
    }

    [Fact]
    public void TheEnvironment_IsPrefixedForYrKinds_ButNotForFaasOrAgents()
    {
        var record = Yr() with { Environment = new() { ["A"] = "1" } };

        Assert.Equal("""{"func-A":"1"}""", PlatformValues.Yr(record, Options).EnvMetaData.Environment);
        Assert.Equal("""{"A":"1"}""", PlatformValues.Yr(record with { Kind = FunctionKinds.Agent }, Options).EnvMetaData.Environment);
        Assert.Equal("""{"A":"1"}""", PlatformValues.Faas(record with { Kind = FunctionKinds.Faas }, Options).EnvMetaData.Environment);
        Assert.Equal("""{"x_A":"1"}""", PlatformValues.Yr(record, new MetaOptions { EnvPrefix = "x_" }).EnvMetaData.Environment);
    }

    [Theory]
    [InlineData("NO_CRYPTO", "NO_CRYPTO")]
    [InlineData("GCM", "GCM")]
    [InlineData("AES", "GCM")]
    public void TheCryptoAlgorithm_IsNoneOrGcm(string configured, string published)
    {
        var options = new MetaOptions { DecryptAlgorithm = configured };

        Assert.Equal(published, PlatformValues.Yr(Yr(), options).EnvMetaData.CryptoAlgorithm);
        Assert.Equal(published, PlatformValues.Faas(Faas(), options).EnvMetaData.CryptoAlgorithm);
    }

    [Fact]
    public void CustomResources_AreJsonText_OrEmptyWhenNone()
    {
        Assert.Equal("""{"npu":1.5}""", PlatformValues.Faas(Faas() with { CustomResources = new() { ["npu"] = 1.5 } }, Options).ResourceMetaData.CustomResources);
        Assert.Equal("""{"npu":1.5}""", PlatformValues.Yr(Yr() with { CustomResources = new() { ["npu"] = 1.5 } }, Options).ResourceMetaData.CustomResources);
        Assert.Equal("", PlatformValues.Faas(Faas() with { CustomResources = [] }, Options).ResourceMetaData.CustomResources);
        Assert.Equal("", PlatformValues.Yr(Yr() with { CustomResources = null }, Options).ResourceMetaData.CustomResources);
    }

    private static JsonNode Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(value, type))!;

    internal static FunctionRecord Faas() => Yr() with { Name = "0@svc@fn", Kind = FunctionKinds.Faas, FuncName = "fn", Service = "svc" };

    internal static FunctionRecord Yr() => new()
    {
        TenantId = "t1",
        ProductId = "p1",
        Name = "fn",
        Version = "v2",
        Kind = FunctionKinds.Yrlib,
        Runtime = "python3.9",
        Handler = "h.handler",
        Description = "the function",
        VersionDesc = "the version",
        RevisionId = "rev",
        Cpu = 300,
        Memory = 128,
        Timeout = 60,
        MinInstance = 1,
        MaxInstance = 9,
        ConcurrentNum = 4,
        CacheInstance = 2,
        Tags = new() { ["team"] = "a" },
        ExtendedHandler = new() { ["initializer"] = "h.init", ["pre_stop"] = "h.stop" },
        ExtendedTimeout = new() { ["initializer"] = 12, ["pre_stop"] = 5 },
        HookHandler = new() { ["call"] = "h.call" },
        StorageType = "local",
        CodePath = "/code",
        CodeUploadType = "zip",
        S3CodePath = new S3CodePath { BucketId = "bk", ObjectId = "obj", BucketUrl = "http://s3", Sha512 = "digest" },
        PoolId = "pool1",
        PoolLabel = "rg1",
        EnableMetrics = true,
        EnableAgentSession = true,
        EnableSessionCtx = true,
        IsFuncPublic = true,
        IdleTime = 7,
        Warmup = "snapshot",
        PriorityAz = "az1",
        SchedulePolicy = "sp",
        ScalePolicy = "sc",
        SandboxType = "gvisor",
        Device = new FunctionDevice { Model = "ascend", Count = 1 },
        Rootfs = new Rootfs { Runtime = "runc" },
        AutoScaleConfig = new AutoScaleConfig { SlaQuota = 1, ScaleDownTime = 2, BurstScaleNum = 3 },
        CustomContainerConfig = new CustomContainerConfig { Image = "img" },
        CustomHealthCheck = new CustomHealthCheck { PeriodSeconds = 3 },
        CreateTime = "created",
        UpdateTime = "updated",
        PublishTime = "published",
    };
}