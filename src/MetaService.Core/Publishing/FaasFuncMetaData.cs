using System.Text.Json;
using System.Text.Json.Serialization;

using MetaService.Core.Records;

namespace MetaService.Core.Publishing;

public sealed record FaasFuncMetaData
{
    public List<JsonElement> Layers { get; init; } = [];

    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string FunctionUrn { get; init; }

    public int ReversedConcurrency { get; init; }

    public required string TenantId { get; init; }

    public Dictionary<string, string>? Tags { get; init; }

    public required string FunctionUpdateTime { get; init; }

    public required string FunctionVersionUrn { get; init; }

    public required string RevisionId { get; init; }

    public long CodeSize { get; init; }

    public required string CodeSha512 { get; init; }

    public required string Handler { get; init; }

    public required string Runtime { get; init; }

    public long Timeout { get; init; }

    public required string Version { get; init; }

    public required string VersionDescription { get; init; }

    public string DeadLetterConfig { get; init; } = "";

    public required string BusinessId { get; init; }

    public string FunctionType { get; init; } = "";

    [JsonPropertyName("func_id")]
    public string FuncId { get; init; } = "";

    [JsonPropertyName("func_name")]
    public required string FuncName { get; init; }

    [JsonPropertyName("domain_id")]
    public string DomainId { get; init; } = "";

    [JsonPropertyName("project_name")]
    public string ProjectName { get; init; } = "";

    public required string Service { get; init; }

    public string Dependencies { get; init; } = "";

    [JsonPropertyName("enable_cloud_debug")]
    public string EnableCloudDebug { get; init; } = "";

    public bool IsStatefulFunction { get; init; }

    public bool IsBridgeFunction { get; init; }

    public bool IsStreamEnable { get; init; }

    public string Type { get; init; } = "";

    [JsonPropertyName("created")]
    public required string Created { get; init; }

    [JsonPropertyName("enable_auth_in_header")]
    public bool EnableAuthInHeader { get; init; }

    [JsonPropertyName("dns_domain_cfg")]
    public List<JsonElement>? DnsDomainCfg { get; init; }

    public string VpcTriggerImage { get; init; } = "";

    public long IdleTime { get; init; }

    public required AutoScaleConfig AutoScaleConfig { get; init; }

    public bool IsFuncPublic { get; init; }
}