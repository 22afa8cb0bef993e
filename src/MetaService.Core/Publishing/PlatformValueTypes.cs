using System.Text.Json;
using System.Text.Json.Serialization;

using MetaService.Core.Records;

namespace MetaService.Core.Publishing;

// The value shapes the platform parses (§6.3 and Appendix A of the reference): FaaSFuncMeta for faas,
// Function for every other kind. Member names are camelCase unless an attribute says otherwise.

public sealed record FaasFunctionMeta(
    FaasFuncMetaData FuncMetaData,
    CodeMetaData CodeMetaData,
    EnvMetaData EnvMetaData,
    FaasResourceMetaData ResourceMetaData,
    InstanceMetaData InstanceMetaData,
    FaasExtendedMetaData ExtendedMetaData,
    Rootfs Rootfs,
    string SandboxType);

public sealed record YrFunctionMeta(
    YrFuncMetaData FuncMetaData,
    CodeMetaData CodeMetaData,
    EnvMetaData EnvMetaData,
    YrResourceMetaData ResourceMetaData,
    YrExtendedMetaData ExtendedMetaData,
    string Warmup,
    Rootfs Rootfs,
    string SandboxType);

/// <summary>The value of an <c>/instances/…</c> key.</summary>
public sealed record InstanceKeyValue(InstanceMetaData InstanceMetaData);

public sealed record YrFuncMetaData
{
    public List<CodeMetaData> Layers { get; init; } = [];

    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string FunctionUrn { get; init; }

    public int ReversedConcurrency { get; init; }

    public Dictionary<string, string>? Tags { get; init; }

    public required string FunctionUpdateTime { get; init; }

    public required string FunctionVersionUrn { get; init; }

    public long CodeSize { get; init; }

    public string CodeSha256 { get; init; } = "";

    public required string CodeSha512 { get; init; }

    public required string Handler { get; init; }

    public required string Runtime { get; init; }

    public long Timeout { get; init; }

    public required string Version { get; init; }

    public required string VersionDescription { get; init; }

    public string DeadLetterConfig { get; init; } = "";

    public required string LatestVersionUpdateTime { get; init; }

    public required string PublishTime { get; init; }

    public required string BusinessId { get; init; }

    public required string TenantId { get; init; }

    [JsonPropertyName("domain_id")]
    public string DomainId { get; init; } = "";

    [JsonPropertyName("project_name")]
    public string ProjectName { get; init; } = "";

    public required string RevisionId { get; init; }

    [JsonPropertyName("created")]
    public required string Created { get; init; }

    public bool StatefulFlag { get; init; }

    public required Dictionary<string, string> HookHandler { get; init; }

    public long IdleTime { get; init; }

    public bool IsFuncPublic { get; init; }
}

public sealed record CodeMetaData
{
    public string CodeUploadType { get; init; } = "";

    public string Sha512 { get; init; } = "";

    [JsonPropertyName("storage_type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StorageType { get; init; }

    [JsonPropertyName("code_path")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CodePath { get; init; }

    public string AppId { get; init; } = "";

    public string BucketId { get; init; } = "";

    public string ObjectId { get; init; } = "";

    public string BucketUrl { get; init; } = "";

    [JsonPropertyName("code_type")]
    public string CodeType { get; init; } = "";

    [JsonPropertyName("code_url")]
    public string CodeUrl { get; init; } = "";

    [JsonPropertyName("code_filename")]
    public string CodeFilename { get; init; } = "";

    [JsonPropertyName("func_code")]
    public FuncCode FuncCode { get; init; } = new();
}

public sealed record FuncCode
{
    [JsonPropertyName("file")]
    public string File { get; init; } = "";

    [JsonPropertyName("link")]
    public string Link { get; init; } = "";
}

public sealed record EnvMetaData
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EnvKey { get; init; }

    /// <summary>The environment map as JSON text.</summary>
    public required string Environment { get; init; }

    [JsonPropertyName("encrypted_user_data")]
    public string EncryptedUserData { get; init; } = "";

    public required string CryptoAlgorithm { get; init; }
}

public sealed record FaasResourceMetaData
{
    public long Cpu { get; init; }

    public long Memory { get; init; }

    [JsonPropertyName("gpu_memory")]
    public long GpuMemory { get; init; }

    [JsonPropertyName("enable_dynamic_memory")]
    public bool EnableDynamicMemory { get; init; }

    /// <summary>The custom resources as JSON text, empty when there are none.</summary>
    public required string CustomResources { get; init; }

    [JsonPropertyName("enable_tmp_expansion")]
    public bool EnableTmpExpansion { get; init; }

    [JsonPropertyName("ephemeral_storage")]
    public long EphemeralStorage { get; init; }
}

public sealed record YrResourceMetaData(long Cpu, long Memory, string CustomResources);

public sealed record InstanceMetaData
{
    public long MaxInstance { get; init; }

    public long MinInstance { get; init; }

    public int ConcurrentNum { get; init; }

    public string InstanceType { get; init; } = "";

    public bool IdleMode { get; init; }

    public string PoolLabel { get; init; } = "";

    public string PoolId { get; init; } = "";

    public long DiskLimit { get; init; }

    public string SchedulePolicy { get; init; } = "";

    public string ScalePolicy { get; init; } = "";
}

public sealed record YrInstanceMetaData(long MaxInstance, long MinInstance, int ConcurrentNum, int CacheInstance, string PoolLabel, string PoolId);

public sealed record Initializer(
    [property: JsonPropertyName("initializer_handler")] string Handler,
    [property: JsonPropertyName("initializer_timeout")] long Timeout);

public sealed record PreStop(
    [property: JsonPropertyName("pre_stop_handler")] string Handler,
    [property: JsonPropertyName("pre_stop_timeout")] long Timeout);

public sealed record Role(
    [property: JsonPropertyName("xrole")] string XRole = "",
    [property: JsonPropertyName("app_xrole")] string AppXRole = "");

public sealed record StrategyConfig([property: JsonPropertyName("concurrency")] int Concurrency = 0);

public sealed record LogTankService(
    [property: JsonPropertyName("logGroupId")] string GroupId = "",
    [property: JsonPropertyName("logStreamId")] string StreamId = "");

public sealed record TracingConfig(
    [property: JsonPropertyName("tracing_ak")] string TraceAk = "",
    [property: JsonPropertyName("tracing_sk")] string TraceSk = "",
    [property: JsonPropertyName("project_name")] string ProjectName = "");

public sealed record Heartbeat([property: JsonPropertyName("heartbeat_handler")] string Handler = "");

public sealed record NetworkController(
    [property: JsonPropertyName("disable_public_network")] bool DisablePublicNetwork = false,
    [property: JsonPropertyName("trigger_access_vpcs")] List<JsonElement>? TriggerAccessVpcs = null);

public sealed record UserAgency(
    [property: JsonPropertyName("accessKey")] string AccessKey = "",
    [property: JsonPropertyName("secretKey")] string SecretKey = "",
    [property: JsonPropertyName("token")] string Token = "");

public sealed record MountConfig(
    [property: JsonPropertyName("mount_user")] MountUser MountUser,
    [property: JsonPropertyName("func_mounts")] List<JsonElement>? FuncMounts = null);

public sealed record MountUser(
    [property: JsonPropertyName("user_id")] int UserId = 0,
    [property: JsonPropertyName("user_group_id")] int GroupId = 0);