using MetaService.Core.Records;

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


/// <summary>The body of <c>POST …/{name}/versions</c>.</summary>
public sealed record PublishRequest
{
    public string? RevisionId { get; init; }

    public string? VersionNumber { get; init; }

    public string? VersionDesc { get; init; }

    public string? Kind { get; init; }

    /// <summary><c>?ifChanged=true</c>: when the draft's revisionId is published already, answer that version instead.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IfChanged { get; init; }
}