using System.Text.Json.Serialization;

namespace MetaService.Core.Functions;

/// <summary>
/// The body of create (<c>POST /serverless/v1/functions</c>) and update (<c>PUT …/{name}</c>), as
/// openYuanrong's clients send it: instance counts as strings, everything optional on the wire (the
/// rules decide what is required). Unknown members are ignored, as the original does.
/// </summary>
public sealed record FunctionRequest
{
    public string? Name { get; init; }

    public string? Runtime { get; init; }

    public string? Kind { get; init; }

    public string? RevisionId { get; init; }

    public string? Handler { get; init; }

    public string? Description { get; init; }

    public long? Cpu { get; init; }

    public long? Memory { get; init; }

    public long? Timeout { get; init; }

    public string? MinInstance { get; init; }

    public string? MaxInstance { get; init; }

    public string? ConcurrentNum { get; init; }

    public Dictionary<string, string>? Environment { get; init; }

    public Dictionary<string, double>? CustomResources { get; init; }

    public Dictionary<string, string>? ExtendedHandler { get; init; }

    public Dictionary<string, long>? ExtendedTimeout { get; init; }

    public Dictionary<string, string>? HookHandler { get; init; }

    public Dictionary<string, string>? Tags { get; init; }

    public string? StorageType { get; init; }

    public string? CodePath { get; init; }

    public string? CodeUploadType { get; init; }

    public S3CodePath? S3CodePath { get; init; }

    public string? PoolId { get; init; }

    public string? PoolType { get; init; }

    public List<AffinitySelector>? ResourceAffinitySelectors { get; init; }

    public List<AffinitySelector>? SchedulePolicies { get; init; }

    public bool? EnableAgentSession { get; init; }

    public bool? EnableSessionCtx { get; init; }

    public bool? EnableMetrics { get; init; }

    public bool? IsFuncPublic { get; init; }

    public int? CacheInstance { get; init; }

    public long? IdleTime { get; init; }

    public string? Warmup { get; init; }

    public string? PriorityAz { get; init; }

    public string? SchedulePolicy { get; init; }

    public string? ScalePolicy { get; init; }

    public string? SandboxType { get; init; }

    public List<string>? Layers { get; init; }

    public FunctionDevice? Device { get; init; }

    public Rootfs? Rootfs { get; init; }

    public AutoScaleConfig? AutoScaleConfig { get; init; }

    public ExtendedMetaData? ExtendedMetaData { get; init; }

    /// <summary>Accepted and dropped, as the original does.</summary>
    public long? ReversedConcurrency { get; init; }
}

/// <summary>Where a code package lives in object storage; <c>sha512</c> is the package's digest.</summary>
public sealed record S3CodePath
{
    public string? BucketId { get; init; }

    public string? ObjectId { get; init; }

    public string? BucketUrl { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; init; }

    public string? Sha512 { get; init; }
}

/// <summary>A resource group the function's instances prefer; groups form the pool label.</summary>
public sealed record AffinitySelector
{
    public string? Group { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Priority { get; init; }
}

public sealed record AutoScaleConfig
{
    public long SlaQuota { get; init; }

    public long ScaleDownTime { get; init; }

    public long BurstScaleNum { get; init; }
}

public sealed record ExtendedMetaData
{
    [JsonPropertyName("custom_container_config")]
    public CustomContainerConfig? CustomContainerConfig { get; init; }

    [JsonPropertyName("custom_health_check")]
    public CustomHealthCheck? CustomHealthCheck { get; init; }
}

public sealed record CustomContainerConfig
{
    [JsonPropertyName("control_path")]
    public string ControlPath { get; set; } = "";

    [JsonPropertyName("image")]
    public string Image { get; set; } = "";

    [JsonPropertyName("command")]
    public List<string>? Command { get; init; }

    [JsonPropertyName("args")]
    public List<string>? Args { get; init; }

    [JsonPropertyName("working_dir")]
    public string WorkingDir { get; set; } = "";

    [JsonPropertyName("uid")]
    public long Uid { get; init; }

    [JsonPropertyName("gid")]
    public long Gid { get; init; }
}

public sealed record CustomHealthCheck
{
    [JsonPropertyName("timeoutSeconds")]
    public long TimeoutSeconds { get; init; }

    [JsonPropertyName("periodSeconds")]
    public long PeriodSeconds { get; init; }

    [JsonPropertyName("failureThreshold")]
    public long FailureThreshold { get; init; }
}

/// <summary>A root file system for sandboxed functions (§7.6 of the reference).</summary>
public sealed record Rootfs
{
    [JsonPropertyName("runtime")]
    public string Runtime { get; set; } = "";

    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("imageurl")]
    public string ImageUrl { get; set; } = "";

    [JsonPropertyName("user")]
    public string User { get; set; } = "";

    [JsonPropertyName("ports")]
    public List<string>? Ports { get; init; }

    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    [JsonPropertyName("readonly")]
    public bool ReadOnly { get; init; }

    [JsonPropertyName("storageInfo")]
    public RootfsStorage StorageInfo { get; set; } = new();

    [JsonPropertyName("mountpoint")]
    public string MountPoint { get; set; } = "";

    [JsonPropertyName("mounts")]
    public List<RootfsMount>? Mounts { get; init; }

    [JsonIgnore]
    public bool IsEmpty => Runtime.Length == 0 && Type.Length == 0 && ImageUrl.Length == 0 && User.Length == 0
        && Path.Length == 0 && !ReadOnly && StorageInfo.IsEmpty && MountPoint.Length == 0
        && (Mounts is null || Mounts.Count == 0) && (Ports is null || Ports.Count == 0);

    public static Rootfs Empty { get; } = new();
}

public sealed record RootfsStorage
{
    [JsonPropertyName("endpoint")]
    public string Endpoint { get; set; } = "";

    [JsonPropertyName("bucket")]
    public string Bucket { get; set; } = "";

    [JsonPropertyName("object")]
    public string ObjectName { get; set; } = "";

    [JsonPropertyName("accessKey")]
    public string AccessKey { get; set; } = "";

    [JsonPropertyName("secretKey")]
    public string SecretKey { get; set; } = "";

    [JsonIgnore]
    public bool IsEmpty => Endpoint.Length == 0 && Bucket.Length == 0 && ObjectName.Length == 0 && AccessKey.Length == 0 && SecretKey.Length == 0;
}

public sealed record RootfsMount
{
    [JsonPropertyName("source")]
    public string Source { get; set; } = "";

    [JsonPropertyName("target")]
    public string Target { get; set; } = "";

    [JsonPropertyName("readonly")]
    public bool ReadOnly { get; init; }
}

/// <summary>The body of <c>POST …/{name}/versions</c>.</summary>
public sealed record PublishRequest
{
    public string? RevisionId { get; init; }

    public string? VersionNumber { get; init; }

    public string? VersionDesc { get; init; }

    public string? Kind { get; init; }
}