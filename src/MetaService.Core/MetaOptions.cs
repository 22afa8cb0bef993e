namespace MetaService.Core;

/// <summary>
/// The limits and defaults of the function rules, with the values openYuanrong deploys
/// (meta_service's <c>config.json</c>). Bound from the <c>Meta</c> configuration section.
/// </summary>
public sealed class MetaOptions : ISettings
{
    public const string Section = "Meta";

    public long MinCpu { get; set; } = 300;

    public long MaxCpu { get; set; } = 16_000;

    public long MinMemory { get; set; } = 128;

    public long MaxMemory { get; set; } = 1_073_741_824;

    /// <summary>Seconds a function may run; larger requested values are lowered to it.</summary>
    public long MaxTimeout { get; set; } = 8_640_000;

    /// <summary>The timeout of a function created without one, in seconds.</summary>
    public long DefaultTimeout { get; set; } = 900;

    public int DefaultMinInstance { get; set; }

    public int DefaultMaxInstance { get; set; } = 100;

    public int DefaultConcurrentNum { get; set; } = 100;

    public int MaxInstanceUpperLimit { get; set; } = 1_000;

    public int ConcurrentNumUpperLimit { get; set; } = 1_000;

    /// <summary>How many published versions a function may have (the draft not counted).</summary>
    public int VersionMax { get; set; } = 8;

    public int InstanceLabelMax { get; set; } = 100;

    /// <summary>How many aliases a function may have (the original's <c>function.aliasMax</c>, deployed as 8).</summary>
    public int AliasMax { get; set; } = 8;

    public int LayerMax { get; set; } = 1;

    /// <summary>Functions one tenant may have (0: no limit), counted by the catalog. Writes through several replicas
    /// at once may pass it by the number in flight.</summary>
    public int FunctionMax { get; set; } = 100_000;

    /// <summary>Bytes one stored value of a function may have: its record, or a value the platform reads beside it
    /// (a 1 MiB body of characters JSON escapes became a 6.3 MB record). etcd refuses a request over 1.5 MiB by default.</summary>
    public int RecordBytesMax { get; set; } = 256 * 1024;

    /// <summary>UTF-8 bytes of a function's environment, names and values together.</summary>
    public int EnvironmentBytesMax { get; set; } = 64 * 1024;

    public int HandlerMaxLength { get; set; } = 64;

    public int DescriptionMaxLength { get; set; } = 1024;

    public int PreStopTimeoutMax { get; set; } = 180;

    public int InitializerTimeoutDefault { get; set; } = 30;

    public string UrnPrefix { get; set; } = "sn";

    public string UrnZone { get; set; } = "cn";

    /// <summary>Prefix added to environment keys of non-faas functions in the published values.</summary>
    public string EnvPrefix { get; set; } = "func-";

    public string DecryptAlgorithm { get; set; } = "NO_CRYPTO";

    /// <summary>When true, a DELETE or PATCH of a function without <c>If-Match</c> (or, for PATCH, a <c>revisionId</c> in
    /// the patch) is answered 428, so that no client changes a function it has not read.</summary>
    public bool RequirePreconditions { get; set; }

    /// <summary>How many bytes of decoded function records are kept in memory for the next update or get of the same
    /// version, each counted by its stored size plus a fixed overhead (least recently used out; 0 keeps none).</summary>
    public long RecordCacheBytes { get; set; } = Catalog.FunctionCatalog.DefaultRecordCacheBytes;

    /// <summary>Clusters besides <c>cluster001</c> (which is always known).</summary>
    public string[] Clusters { get; set; } = [];

    /// <summary>The runtimes a function may name.</summary>
    public string[] Runtimes { get; set; } =
    [
        "nodejs10.15.2", "java1.8", "java8", "java11", "java17", "java21",
        "python3.6", "python3.7", "python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14",
        "cpp11", "cpp11-bin", "custom runtime", "custom-runtime", "posix-custom-runtime", "go1.13",
    ];

    public const string DefaultCluster = "cluster001";

    /// <summary>Every cluster id the service knows: <c>cluster001</c> and the configured ones.</summary>
    public IEnumerable<string> AllClusters() => Clusters.Prepend(DefaultCluster).Distinct(StringComparer.Ordinal);

    /// <summary>Every problem with these settings, each saying how to fix it; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (MinCpu <= 0 || MaxCpu < MinCpu)
        {
            yield return $"Meta:MinCpu ({MinCpu}) must be positive and not above Meta:MaxCpu ({MaxCpu})";
        }

        if (MinMemory <= 0 || MaxMemory < MinMemory)
        {
            yield return $"Meta:MinMemory ({MinMemory}) must be positive and not above Meta:MaxMemory ({MaxMemory})";
        }

        if (DefaultTimeout <= 0 || DefaultTimeout > MaxTimeout)
        {
            yield return $"Meta:DefaultTimeout ({DefaultTimeout}) must be between 1 and Meta:MaxTimeout ({MaxTimeout})";
        }

        if (DefaultMinInstance < 0 || DefaultMaxInstance < DefaultMinInstance || DefaultMaxInstance > MaxInstanceUpperLimit)
        {
            yield return "Meta:DefaultMinInstance must be >= 0 and <= Meta:DefaultMaxInstance, which must be <= Meta:MaxInstanceUpperLimit";
        }

        if (DefaultConcurrentNum < 1 || DefaultConcurrentNum > ConcurrentNumUpperLimit)
        {
            yield return "Meta:DefaultConcurrentNum must be between 1 and Meta:ConcurrentNumUpperLimit";
        }

        if (VersionMax < 1)
        {
            yield return $"Meta:VersionMax ({VersionMax}) must be at least 1";
        }

        if (AliasMax is < 1 or > 1000)
        {
            yield return $"Meta:AliasMax ({AliasMax}) must be 1 to 1000 aliases per function (default 8, the original's)";
        }

        if (FunctionMax < 0)
        {
            yield return $"Meta:FunctionMax ({FunctionMax}) must be 0 (no limit) or a number of functions per tenant";
        }

        if (RecordBytesMax < 4096 || EnvironmentBytesMax < 1 || EnvironmentBytesMax > RecordBytesMax)
        {
            yield return $"Meta:RecordBytesMax ({RecordBytesMax}) must be at least 4096, and Meta:EnvironmentBytesMax ({EnvironmentBytesMax}) positive and not above it";
        }

        if (RecordCacheBytes < 0)
        {
            yield return $"Meta:RecordCacheBytes ({RecordCacheBytes}) must not be negative (default 33554432, 32 MiB; 0 keeps no record)";
        }

        if (Runtimes.Length == 0)
        {
            yield return "Meta:Runtimes must list at least one runtime";
        }

        if (string.IsNullOrEmpty(UrnPrefix) || string.IsNullOrEmpty(UrnZone) || UrnPrefix.Contains(':', StringComparison.Ordinal) || UrnZone.Contains(':', StringComparison.Ordinal))
        {
            yield return "Meta:UrnPrefix and Meta:UrnZone must be non-empty and contain no ':'";
        }
    }
}