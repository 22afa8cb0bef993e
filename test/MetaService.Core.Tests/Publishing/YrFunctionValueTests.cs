using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core.Publishing;
using MetaService.Core.Records;

using Xunit;

namespace MetaService.Core.Tests.Publishing;

/// <summary>The Function shape of every kind but faas (<c>/yr/functions</c>, agents' <c>/sn/functions</c>): its function
/// metadata, instance counts, handlers, device and the members it passes through as the record holds them.</summary>
public sealed class YrFunctionValueTests
{
    private static readonly MetaOptions Options = new();

    [Fact]
    public void TheFunctionMetaData_IsTakenFromTheRecord()
    {
        var meta = Json(PlatformValuesTests.Yr())["funcMetaData"]!;

        Assert.Equal(
            """
            {"layers":[],"name":"fn","description":"the function","functionUrn":"sn:cn:yrk:t1@p1:function:fn","reversedConcurrency":0,
            "tags":{"team":"a"},"functionUpdateTime":"updated","functionVersionUrn":"sn:cn:yrk:t1@p1:function:fn:v2","codeSize":0,
            "codeSha256":"","codeSha512":"digest","handler":"h.handler","runtime":"python3.9","timeout":60,"version":"v2",
            "versionDescription":"the version","deadLetterConfig":"","latestVersionUpdateTime":"updated","publishTime":"published",
            "businessId":"yrk","tenantId":"t1@p1","domain_id":"","project_name":"","revisionId":"rev","created":"created",
            "statefulFlag":false,"hookHandler":{"call":"h.call"},"idleTime":7,"isFuncPublic":true}
            """.ReplaceLineEndings(""),
            meta.ToJsonString());
    }

    [Fact]
    public void TheExtendedMetaData_CarriesInstancesHandlersAndDevice()
    {
        var extended = Json(PlatformValuesTests.Yr())["extendedMetaData"]!;

        Assert.Equal("""{"maxInstance":9,"minInstance":1,"concurrentNum":4,"cacheInstance":2,"poolLabel":"","poolId":""}""", extended["instance_meta_data"]!.ToJsonString());
        Assert.Equal("""{"initializer":"h.init","pre_stop":"h.stop"}""", extended["extended_handler"]!.ToJsonString());
        Assert.Equal("""{"initializer":12,"pre_stop":5}""", extended["extended_timeout"]!.ToJsonString());
        Assert.Equal("""{"model":"ascend","count":1}""", extended["device"]!.ToJsonString());
        Assert.Equal("az1", (string)extended["priority_az"]!);
        Assert.Equal((true, true, true), ((bool)extended["enable_metrics"]!, (bool)extended["enable_agent_session"]!, (bool)extended["enable_session_ctx"]!));
        Assert.Equal("img", (string)extended["custom_container_config"]!["image"]!);
        Assert.Equal(3, (int)extended["custom_health_check"]!["periodSeconds"]!);
        Assert.Equal("""{"mount_user":{"user_id":0,"user_group_id":0},"func_mounts":null}""", extended["mount_config"]!.ToJsonString());
    }

    [Fact]
    public void NoDeviceAndNoHookHandler_AreEmptyObjects()
    {
        var value = Json(PlatformValuesTests.Yr() with { Device = null, HookHandler = null });

        Assert.Equal("{}", value["extendedMetaData"]!["device"]!.ToJsonString());
        Assert.Equal("{}", value["funcMetaData"]!["hookHandler"]!.ToJsonString());
    }

    [Fact]
    public void TheResourcesWarmupRootfsAndSandbox_AreTheRecords()
    {
        var value = Json(PlatformValuesTests.Yr());

        Assert.Equal("""{"cpu":300,"memory":128,"customResources":""}""", value["resourceMetaData"]!.ToJsonString());
        Assert.Equal("snapshot", (string)value["warmup"]!);
        Assert.Equal("runc", (string)value["rootfs"]!["runtime"]!);
        Assert.Equal("gvisor", (string)value["sandboxType"]!);
        var env = Json(PlatformValuesTests.Yr() with { Environment = new() { ["TOKEN"] = "x" } })["envMetaData"]!.AsObject();
        Assert.Equal(["environment", "encrypted_user_data", "cryptoAlgorithm"], env.Select(m => m.Key));
        Assert.Equal(("""{"func-TOKEN":"x"}""", "", "NO_CRYPTO"), ((string)env["environment"]!, (string)env["encrypted_user_data"]!, (string)env["cryptoAlgorithm"]!));
    }

    [Fact]
    public void AFaasValue_CarriesTheResourcesRootfsAndSandbox()
    {
        var value = JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(PlatformValues.Faas(PlatformValuesTests.Faas(), Options), MetaJson.Default.FaasFunctionMeta))!;

        Assert.Equal(
            """{"cpu":300,"memory":128,"gpu_memory":0,"enable_dynamic_memory":false,"customResources":"","enable_tmp_expansion":false,"ephemeral_storage":0}""",
            value["resourceMetaData"]!.ToJsonString());
        Assert.Equal("runc", (string)value["rootfs"]!["runtime"]!);
        Assert.Equal("gvisor", (string)value["sandboxType"]!);
        Assert.Equal(
            ["funcMetaData", "codeMetaData", "envMetaData", "resourceMetaData", "instanceMetaData", "extendedMetaData", "rootfs", "sandboxType"],
            value.AsObject().Select(m => m.Key));
    }

    private static JsonNode Json(FunctionRecord record) =>
        JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(PlatformValues.Yr(record, Options), MetaJson.Default.YrFunctionMeta))!;
}