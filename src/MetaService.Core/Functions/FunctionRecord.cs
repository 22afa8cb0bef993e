using System.Text.Json;

namespace MetaService.Core.Functions;

/// <summary>
/// One version of a function as the store keeps it (the draft or a published version). Private to
/// MetaService: what the platform reads is derived from it (<see cref="Publishing.PlatformValues"/>).
/// Members with defaults have setters, not <c>init</c>: System.Text.Json's source generator sets every
/// init-only member it knows, so a member missing from the JSON would become null, not its default.
/// </summary>
public sealed record FunctionRecord
{
    public required string TenantId { get; init; }

    public string ProductId { get; set; } = "";

    public required string Name { get; init; }

    /// <summary><c>latest</c> (faas) or <c>$latest</c> (other kinds) for the draft, else the version number.</summary>
    public required string Version { get; init; }

    public string Kind { get; set; } = "";

    public required string Runtime { get; init; }

    public string Handler { get; set; } = "";

    /// <summary>The function's description (shared by its versions).</summary>
    public string Description { get; set; } = "";

    /// <summary>The version's description: the draft's kind name, or the publisher's text.</summary>
    public string VersionDesc { get; set; } = "";

    public required string RevisionId { get; init; }

    public long Cpu { get; init; }

    public long Memory { get; init; }

    public long Timeout { get; init; }

    public int MinInstance { get; init; }

    public int MaxInstance { get; init; }

    public int ConcurrentNum { get; init; }

    public Dictionary<string, string> Environment { get; set; } = [];

    public Dictionary<string, double>? CustomResources { get; init; }

    public Dictionary<string, string>? ExtendedHandler { get; init; }

    public Dictionary<string, long>? ExtendedTimeout { get; init; }

    public Dictionary<string, string> HookHandler { get; set; } = [];

    public Dictionary<string, string>? Tags { get; init; }

    public string StorageType { get; set; } = "";

    public string CodePath { get; set; } = "";

    public string CodeUploadType { get; set; } = "";

    public S3CodePath S3CodePath { get; set; } = new();

    public string PoolId { get; set; } = "";

    /// <summary>The affinity groups joined with commas.</summary>
    public string PoolLabel { get; set; } = "";

    public string PoolType { get; set; } = "";

    public List<AffinitySelector>? ResourceAffinitySelectors { get; init; }

    public bool EnableAgentSession { get; init; }

    public bool EnableSessionCtx { get; init; }

    public bool EnableMetrics { get; init; }

    public bool IsFuncPublic { get; init; }

    public int CacheInstance { get; init; }

    public long IdleTime { get; init; }

    public string Warmup { get; set; } = "";

    public string PriorityAz { get; set; } = "";

    public string SchedulePolicy { get; set; } = "";

    public string ScalePolicy { get; set; } = "";

    public string SandboxType { get; set; } = "";

    public List<string>? Layers { get; init; }

    public Dictionary<string, JsonElement>? Device { get; init; }

    public Rootfs Rootfs { get; set; } = Rootfs.Empty;

    public AutoScaleConfig AutoScaleConfig { get; set; } = new() { SlaQuota = -1, ScaleDownTime = -1, BurstScaleNum = -1 };

    public CustomContainerConfig? CustomContainerConfig { get; init; }

    public CustomHealthCheck? CustomHealthCheck { get; init; }

    /// <summary>For <c>0@service@func</c> faas names: the parts.</summary>
    public string FuncName { get; set; } = "";

    public string Service { get; set; } = "";

    public required string CreateTime { get; init; }

    public string UpdateTime { get; set; } = "";

    /// <summary>When this version was made: the draft's creation, or the publish.</summary>
    public required string PublishTime { get; init; }

    /// <summary>On the draft: the version number published last.</summary>
    public string LastPublishedVersion { get; set; } = "";

    /// <summary>On the draft: the revisionId published last; publishing it again is refused, so that of
    /// several publishes carrying one revisionId exactly one succeeds.</summary>
    public string LastPublishedRevisionId { get; set; } = "";

    public string Status { get; set; } = "unavailable";

    public int InstanceNum { get; init; }

    public bool IsDraft => Version is FunctionNames.DraftFaas or FunctionNames.DraftOther;
}