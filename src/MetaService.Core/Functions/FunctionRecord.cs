using System.Text.Json;

namespace MetaService.Core.Functions;

/// <summary>
/// One version of a function as the store keeps it (the draft or a published version). Private to
/// MetaService: what the platform reads is derived from it (<see cref="Publishing.PlatformValues"/>).
/// </summary>
public sealed record FunctionRecord
{
    public required string TenantId { get; init; }

    public string ProductId { get; init; } = "";

    public required string Name { get; init; }

    /// <summary><c>latest</c> (faas) or <c>$latest</c> (other kinds) for the draft, else the version number.</summary>
    public required string Version { get; init; }

    public string Kind { get; init; } = "";

    public required string Runtime { get; init; }

    public string Handler { get; init; } = "";

    /// <summary>The function's description (shared by its versions).</summary>
    public string Description { get; init; } = "";

    /// <summary>The version's description: the draft's kind name, or the publisher's text.</summary>
    public string VersionDesc { get; init; } = "";

    public required string RevisionId { get; init; }

    public long Cpu { get; init; }

    public long Memory { get; init; }

    public long Timeout { get; init; }

    public int MinInstance { get; init; }

    public int MaxInstance { get; init; }

    public int ConcurrentNum { get; init; }

    public Dictionary<string, string> Environment { get; init; } = [];

    public Dictionary<string, double>? CustomResources { get; init; }

    public Dictionary<string, string>? ExtendedHandler { get; init; }

    public Dictionary<string, long>? ExtendedTimeout { get; init; }

    public Dictionary<string, string> HookHandler { get; init; } = [];

    public Dictionary<string, string>? Tags { get; init; }

    public string StorageType { get; init; } = "";

    public string CodePath { get; init; } = "";

    public string CodeUploadType { get; init; } = "";

    public S3CodePath S3CodePath { get; init; } = new();

    public string PoolId { get; init; } = "";

    /// <summary>The affinity groups joined with commas.</summary>
    public string PoolLabel { get; init; } = "";

    public string PoolType { get; init; } = "";

    public List<AffinitySelector>? ResourceAffinitySelectors { get; init; }

    public bool EnableAgentSession { get; init; }

    public bool EnableSessionCtx { get; init; }

    public bool EnableMetrics { get; init; }

    public bool IsFuncPublic { get; init; }

    public int CacheInstance { get; init; }

    public long IdleTime { get; init; }

    public string Warmup { get; init; } = "";

    public string PriorityAz { get; init; } = "";

    public string SchedulePolicy { get; init; } = "";

    public string ScalePolicy { get; init; } = "";

    public string SandboxType { get; init; } = "";

    public List<string>? Layers { get; init; }

    public Dictionary<string, JsonElement>? Device { get; init; }

    public Rootfs Rootfs { get; init; } = Rootfs.Empty;

    public AutoScaleConfig AutoScaleConfig { get; init; } = new() { SlaQuota = -1, ScaleDownTime = -1, BurstScaleNum = -1 };

    public CustomContainerConfig? CustomContainerConfig { get; init; }

    public CustomHealthCheck? CustomHealthCheck { get; init; }

    /// <summary>For <c>0@service@func</c> faas names: the parts.</summary>
    public string FuncName { get; init; } = "";

    public string Service { get; init; } = "";

    public required string CreateTime { get; init; }

    public string UpdateTime { get; init; } = "";

    /// <summary>When this version was made: the draft's creation, or the publish.</summary>
    public required string PublishTime { get; init; }

    /// <summary>On the draft: the version number published last.</summary>
    public string LastPublishedVersion { get; init; } = "";

    public string Status { get; init; } = "unavailable";

    public int InstanceNum { get; init; }

    public bool IsDraft => Version is FunctionNames.DraftFaas or FunctionNames.DraftOther;
}