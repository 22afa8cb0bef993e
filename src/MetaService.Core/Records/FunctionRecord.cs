namespace MetaService.Core.Records;

/// <summary>
/// One version of a function (the draft or a published version): what the store keeps at
/// <c>/repo/FunctionVersion/…</c>, in openYuanrong's own record format (<see cref="RecordFormat"/>), and what the
/// platform's keys are derived from (<see cref="Publishing.PlatformValues"/>). Members with defaults have setters,
/// not <c>init</c>: System.Text.Json's source generator sets every init-only member it knows, so a member missing
/// from the JSON of a record stored by an earlier MetaService would become null, not its default.
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

    /// <summary>Null only in records the original wrote without one (its zero value).</summary>
    public Dictionary<string, string>? HookHandler { get; set; } = [];

    public Dictionary<string, string>? Tags { get; init; }

    public string StorageType { get; set; } = "";

    public string CodePath { get; set; } = "";

    public string CodeUploadType { get; set; } = "";

    public S3CodePath S3CodePath { get; set; } = new();

    public string PoolId { get; set; } = "";

    /// <summary>The affinity groups joined with commas.</summary>
    public string PoolLabel { get; set; } = "";

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

    /// <summary>The layers of the version (openYuanrong's <c>FunctionLayer</c>): <c>[]</c> on a created draft, null after
    /// an update, as the original writes them. MetaService refuses layers (none can exist), so these come only
    /// from records the original wrote.</summary>
    public List<LayerRef>? Layers { get; init; }

    public FunctionDevice? Device { get; init; }

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

    /// <summary>The status the record itself carries: empty as openYuanrong writes it (the platform's status is a
    /// record of its own, <c>/repo/FunctionStatus/…</c>).</summary>
    public string Status { get; set; } = "";

    public long InstanceNum { get; init; }

    /// <summary>Members openYuanrong stores and MetaService keeps as they are (its served routes never set them).</summary>
    public int ReversedConcurrency { get; init; }

    public int StatefulFlag { get; init; }

    public long CodeSize { get; init; }

    public string FunctionType { get; set; } = "";

    public bool IsBridgeFunction { get; init; }

    public bool EnableAuthInHeader { get; init; }

    public bool IsDraft => Version is FunctionKinds.DraftFaas or FunctionKinds.DraftOther;
}
/// <summary>One layer of a function version: the layer's name, its version and its place in the list.</summary>
public sealed record LayerRef(string Name, int Version, int Order);