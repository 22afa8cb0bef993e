using System.Text.Json.Serialization;

namespace MetaService.Core.ReservedInstances;

/// <summary>
/// The body of every reserve-instance route (§3.8): which faas function version, which label, and how
/// many instances to keep in which cluster. GET and DELETE use only some members.
/// </summary>
public sealed record ReserveRequest
{
    public string? FuncName { get; init; }

    public string? Version { get; init; }

    public string? InstanceLabel { get; init; }

    public List<InstanceConfig>? InstanceConfigInfos { get; init; }
}

/// <summary>The reserved instances of one label in one cluster. <c>maxInstance</c> and <c>minInstance</c> are
/// JSON numbers (the original's documentation calls them strings; its code decodes int64).</summary>
public sealed record InstanceConfig
{
    /// <summary>Empty means <c>cluster001</c>.</summary>
    public string? ClusterId { get; init; }

    public long MaxInstance { get; init; }

    public long MinInstance { get; init; }
}

/// <summary>Which function version and label a write was about.</summary>
public sealed record ReserveInsBaseInfo(string FuncName, string Version, string InstanceLabel);

/// <summary>What create and update answer: the label's configuration in every cluster after the write.</summary>
public sealed record ReserveResult(ReserveInsBaseInfo BaseInfo, IReadOnlyList<InstanceConfig> Configs);

/// <summary>One label of a function version with its configuration in every cluster that has it.</summary>
public sealed record LabelConfigs(string InstanceLabel, IReadOnlyList<InstanceConfig> InstanceConfigInfos);

/// <summary>The labels of a function version and the store revision they were read at.</summary>
public sealed record LabelsAt(IReadOnlyList<LabelConfigs> Labels, long Revision);

/// <summary>A request that passed the rules: names checked, clusters defaulted and distinct.</summary>
public sealed record ReserveTarget(string FuncName, string Version, string Label, IReadOnlyList<InstanceConfig> Configs);

/// <summary>Source-generated JSON of the reserve-instance request, read as Go's decoder reads it:
/// member names case-insensitive, unknown members ignored, numbers only as JSON numbers.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ReserveRequest))]
public sealed partial class ReservedInstanceJson : JsonSerializerContext;