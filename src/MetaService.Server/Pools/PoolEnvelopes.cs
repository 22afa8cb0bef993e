using System.Text.Json.Serialization;

using MetaService.Core.Pools;

namespace MetaService.Server.Pools;

/// <summary>E2: <c>{"code":0,"message":"","result":…}</c>.</summary>
public sealed record PoolResultEnvelope<T>(T Result)
{
    [JsonPropertyOrder(-2)]
    public int Code => 0;

    [JsonPropertyOrder(-1)]
    public string Message => "";
}

/// <summary>Update and delete answer E2 with <c>"result":null</c>.</summary>
public sealed record NullResultEnvelope
{
    public int Code => 0;

    public string Message => "";

    public string? Result => null;
}

/// <summary>What create answers on success: <c>{"failed_pools":null}</c> (failures answer an error instead).</summary>
public sealed record PoolCreateResult(IReadOnlyList<string>? FailedPools);

/// <summary>The pool envelopes, with the pool's snake_case names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PoolResultEnvelope<PoolCreateResult>))]
[JsonSerializable(typeof(PoolResultEnvelope<PoolPage>))]
[JsonSerializable(typeof(NullResultEnvelope))]
public sealed partial class PoolWireJson : JsonSerializerContext;