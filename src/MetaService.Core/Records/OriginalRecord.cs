using System.Text.Json.Serialization;

namespace MetaService.Core.Records;

/// <summary>
/// openYuanrong's stored function version (its Go <c>FunctionVersionValue</c>, written with Go's field names
/// because the structs carry no JSON tags), member for member and type for type, so that MetaService and the
/// original read and write one another's records. <see cref="RecordFormat"/> maps it to and from
/// <see cref="FunctionRecord"/>. Every member is written, as Go's encoder writes them: zero values included, nil
/// maps and lists as <c>null</c>.
/// </summary>
internal sealed class OriginalRecord
{
    public OriginalFunction Function { get; set; } = new();

    public OriginalVersion FunctionVersion { get; set; } = new();

    public List<OriginalLayer>? FunctionLayer { get; set; }
}

/// <summary>Go's <c>Function</c>: what the versions of a function share (the draft's <c>Version</c> is the number
/// published last).</summary>
internal sealed class OriginalFunction
{
    public string Name { get; set; } = "";

    public int ReversedConcurrency { get; set; }

    public string Version { get; set; } = "";

    public string Description { get; set; } = "";

    public Dictionary<string, string>? Tag { get; set; }

    public string CreateTime { get; set; } = "";

    public string UpdateTime { get; set; } = "";
}

/// <summary>Go's <c>Package</c>, with its embedded <c>S3Package</c> and <c>LocalPackage</c> flattened as Go's
/// encoder flattens embedded structs.</summary>
internal sealed class OriginalPackage
{
    public string StorageType { get; set; } = "";

    public string CodeUploadType { get; set; } = "";

    public string Signature { get; set; } = "";

    public long Size { get; set; }

    public string BucketID { get; set; } = "";

    public string ObjectID { get; set; } = "";

    public string BucketUrl { get; set; } = "";

    public string Token { get; set; } = "";

    public string CodePath { get; set; } = "";
}

/// <summary>Go's <c>FunctionVersion</c>. <c>Environment</c> and <c>CustomResources</c> are JSON text, as the
/// original stores them.</summary>
internal sealed class OriginalVersion
{
    public OriginalPackage Package { get; set; } = new();

    public string RevisionID { get; set; } = "";

    public string Handler { get; set; } = "";

    public long CPU { get; set; }

    public long Memory { get; set; }

    public string Runtime { get; set; } = "";

    public long Timeout { get; set; }

    public string Version { get; set; } = "";

    public string Environment { get; set; } = "";

    public string CustomResources { get; set; } = "";

    public string Description { get; set; } = "";

    public int StatefulFlag { get; set; }

    public string PublishTime { get; set; } = "";

    public long MinInstance { get; set; }

    public long MaxInstance { get; set; }

    public int ConcurrentNum { get; set; }

    public string Status { get; set; } = "";

    public string Kind { get; set; } = "";

    public string FunctionType { get; set; } = "";

    public string FuncName { get; set; } = "";

    public string Service { get; set; } = "";

    public bool IsBridgeFunction { get; set; }

    public bool EnableAuthInHeader { get; set; }

    public long InstanceNum { get; set; }

    public Dictionary<string, string>? HookHandler { get; set; }

    public Dictionary<string, string>? ExtendedHandler { get; set; }

    public Dictionary<string, long>? ExtendedTimeout { get; set; }

    public int CacheInstance { get; set; }

    public FunctionDevice Device { get; set; } = FunctionDevice.None;

    public string PoolLabel { get; set; } = "";

    public string PoolID { get; set; } = "";

    public bool EnableMetrics { get; set; }

    public bool EnableAgentSession { get; set; }

    public bool EnableSessionCtx { get; set; }

    public string ScalePolicy { get; set; } = "";

    public string SchedulePolicy { get; set; } = "";

    public string PriorityAZ { get; set; } = "";

    public long IdleTime { get; set; }

    public OriginalAutoScale AutoScaleConfig { get; set; } = new();

    public string WarmupType { get; set; } = "";

    /// <summary><c>types.RootfsSpecMeta</c>: the same members and JSON tags as the API's <see cref="Rootfs"/>.</summary>
    public Rootfs RootfsSpecMeta { get; set; } = Rootfs.Empty;

    public OriginalContainer CustomContainerConfig { get; set; } = new();

    public OriginalHealthCheck CustomHealthCheck { get; set; } = new();

    public bool IsFuncPublic { get; set; }

    public string SandboxType { get; set; } = "";
}

internal sealed class OriginalLayer
{
    public string Name { get; set; } = "";

    public int Version { get; set; }

    public int Order { get; set; }
}

/// <summary>The storage package's <c>AutoScaleConfig</c> (no JSON tags, so Go's field names).</summary>
internal sealed class OriginalAutoScale
{
    public long SLAQuota { get; set; }

    public long ScaleDownTime { get; set; }

    public long BurstScaleNum { get; set; }
}

/// <summary><c>types.CustomContainerConfig</c>, always written whole (Go's value struct).</summary>
internal sealed class OriginalContainer
{
    [JsonPropertyName("control_path")]
    public string ControlPath { get; set; } = "";

    [JsonPropertyName("image")]
    public string Image { get; set; } = "";

    [JsonPropertyName("command")]
    public List<string>? Command { get; set; }

    [JsonPropertyName("args")]
    public List<string>? Args { get; set; }

    [JsonPropertyName("working_dir")]
    public string WorkingDir { get; set; } = "";

    [JsonPropertyName("uid")]
    public long Uid { get; set; }

    [JsonPropertyName("gid")]
    public long Gid { get; set; }
}

/// <summary><c>types.CustomHealthCheck</c>, always written whole.</summary>
internal sealed class OriginalHealthCheck
{
    [JsonPropertyName("timeoutSeconds")]
    public long TimeoutSeconds { get; set; }

    [JsonPropertyName("periodSeconds")]
    public long PeriodSeconds { get; set; }

    [JsonPropertyName("failureThreshold")]
    public long FailureThreshold { get; set; }
}

/// <summary>The original's <c>FunctionStatusValue</c> (<c>/repo/FunctionStatus/…</c>).</summary>
internal sealed record OriginalStatus(string Status, long InstanceNum);

/// <summary>The original's <c>ObjectRefIndexValue</c> (<c>/repo/ObjectRefIndex/…</c>): how many versions refer to a
/// code package the repository manages.</summary>
internal sealed record OriginalObjectRef(ulong RefCnt);

/// <summary>JSON of the original's records: Go's member names as declared, reads case-insensitive and tolerant of
/// unknown members (as Go's decoder is), numbers strict.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(OriginalRecord))]
[JsonSerializable(typeof(OriginalStatus))]
[JsonSerializable(typeof(OriginalObjectRef))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(SortedDictionary<string, double>))]
internal sealed partial class OriginalJson : JsonSerializerContext;