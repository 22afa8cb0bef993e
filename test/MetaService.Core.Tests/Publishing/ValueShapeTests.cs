using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core.Publishing;

using Xunit;

namespace MetaService.Core.Tests.Publishing;

/// <summary>The members of the platform's value shapes that MetaService never sets: written with Go's zero values (empty
/// text, zero, false), as the platform's decoder expects every member of Appendix A.</summary>
public sealed class ValueShapeTests
{
    private static readonly MetaOptions Options = new();

    private static readonly string[] Shared = ["image_name", "role", "strategy_config", "extend_config", "initializer", "pre_stop", "enterprise_project_id", "log_tank_service", "tracing_config"];

    [Fact]
    public void TheCodeMetaData_WritesItsUnsetMembersEmpty()
    {
        var code = Json(PlatformValues.Yr(PlatformValuesTests.Yr(), Options))["codeMetaData"]!;

        Assert.Equal(
            """{"codeUploadType":"zip","sha512":"digest","storage_type":"local","code_path":"/code","appId":"","bucketId":"","objectId":"","bucketUrl":"","code_type":"","code_url":"","code_filename":"","func_code":{"file":"","link":""}}""",
            code.ToJsonString());
    }

    [Fact]
    public void TheYrExtendedMetaData_WritesItsUnsetMembersEmpty()
    {
        var extended = Json(PlatformValues.Yr(PlatformValuesTests.Yr() with { PriorityAz = "", EnableMetrics = false, EnableAgentSession = false, EnableSessionCtx = false }, Options))["extendedMetaData"]!.AsObject();

        Assert.Equal(
            """{"image_name":"","role":{"xrole":"","app_xrole":""},"strategy_config":{"concurrency":0},"extend_config":"","initializer":{"initializer_handler":"","initializer_timeout":0},"pre_stop":{"pre_stop_handler":"","pre_stop_timeout":0},"enterprise_project_id":"","log_tank_service":{"logGroupId":"","logStreamId":""},"tracing_config":{"tracing_ak":"","tracing_sk":"","project_name":""}}""",
            new JsonObject(Shared.Select(name => KeyValuePair.Create(name, extended[name]?.DeepClone()))).ToJsonString());
        Assert.Equal("", (string)extended["user_type"]!);
    }

    [Fact]
    public void TheFaasExtendedMetaData_WritesItsUnsetMembersEmpty()
    {
        var extended = Json(PlatformValues.Faas(PlatformValuesTests.Faas(), Options))["extendedMetaData"]!;

        Assert.Equal(("", "", ""), ((string)extended["image_name"]!, (string)extended["extend_config"]!, (string)extended["enterprise_project_id"]!));
        Assert.Equal("""{"heartbeat_handler":""}""", extended["heartbeat"]!.ToJsonString());
        Assert.Equal("""{"disable_public_network":false,"trigger_access_vpcs":null}""", extended["network_controller"]!.ToJsonString());
        Assert.Equal("""{"accessKey":"","secretKey":"","token":""}""", extended["user_agency"]!.ToJsonString());
        Assert.Equal((JsonValueKind.Null, false), (extended["func_vpc"]?.GetValueKind() ?? JsonValueKind.Null, (bool)extended["async_config_loaded"]!));
    }

    [Fact]
    public void ValuesBuiltWithoutTheirMembers_WriteThemEmpty()
    {
        Assert.Equal(
            """{"codeUploadType":"","sha512":"","appId":"","bucketId":"","objectId":"","bucketUrl":"","code_type":"","code_url":"","code_filename":"","func_code":{"file":"","link":""}}""",
            JsonSerializer.Serialize(new CodeMetaData(), MetaJson.Default.CodeMetaData));
        Assert.Equal(
            """{"maxInstance":0,"minInstance":0,"concurrentNum":0,"instanceType":"","idleMode":false,"poolLabel":"","poolId":"","diskLimit":0,"schedulePolicy":"","scalePolicy":""}""",
            JsonSerializer.Serialize(new InstanceMetaData(), MetaJson.Default.InstanceMetaData));
    }

    private static JsonNode Json(YrFunctionMeta value) => JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(value, MetaJson.Default.YrFunctionMeta))!;

    private static JsonNode Json(FaasFunctionMeta value) => JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(value, MetaJson.Default.FaasFunctionMeta))!;
}