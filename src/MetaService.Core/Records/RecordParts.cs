using System.Text.Json.Serialization;

namespace MetaService.Core.Records;

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