using System.Text.Json.Serialization;

using MetaService.Core.ReservedInstances;

namespace MetaService.Server.ReservedInstances;

/// <summary>Create and update answer the label in every cluster that has it, beside the model fields:
/// <c>{"code":0,"message":"","instanceConfigInfos":[…],"reserveInsBaseInfo":{…}}</c>.</summary>
public sealed record ReserveEnvelope(IReadOnlyList<InstanceConfig> InstanceConfigInfos, ReserveInsBaseInfo ReserveInsBaseInfo)
{
    [JsonPropertyOrder(-2)]
    public int Code => 0;

    [JsonPropertyOrder(-1)]
    public string Message => "";

    public static ReserveEnvelope From(ReserveResult result) => new(result.Configs, result.BaseInfo);
}

/// <summary>GET answers <c>{"total":N,"results":[{"instanceLabel","instanceConfigInfos":[…]}]}</c>, without code.</summary>
public sealed record ReserveListBody(int Total, IReadOnlyList<LabelConfigs> Results);

/// <summary>DELETE answers <c>{"code":0,"message":""}</c>.</summary>
public sealed record CodeMessageBody
{
    public int Code => 0;

    public string Message => "";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReserveEnvelope))]
[JsonSerializable(typeof(ReserveListBody))]
[JsonSerializable(typeof(CodeMessageBody))]
public sealed partial class ReserveWireJson : JsonSerializerContext;