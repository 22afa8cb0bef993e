using System.Text.Json;
using System.Text.Json.Serialization;

using MetaService.Core.Aliases;
using MetaService.Server.Editing;
using MetaService.Server.Idempotency;

namespace MetaService.Server.Aliases;

/// <summary>E2, as the original's alias routes answer: <c>{"code":0,"message":"","result":…}</c>.</summary>
public sealed record AliasEnvelope<T>(T Result)
{
    [JsonPropertyOrder(-2)]
    public int Code => 0;

    [JsonPropertyOrder(-1)]
    public string Message => "";
}

/// <summary>Delete answers E2 with <c>"result":null</c>.</summary>
public sealed record AliasDeletedEnvelope
{
    public int Code => 0;

    public string Message => "";

    public string? Result => null;
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(AliasRequest))]
[JsonSerializable(typeof(AliasUpdateRequest))]
[JsonSerializable(typeof(VersionRetention))]
[JsonSerializable(typeof(AliasEnvelope<AliasView>))]
[JsonSerializable(typeof(AliasEnvelope<AliasPage>))]
[JsonSerializable(typeof(AliasEnvelope<VersionRetention>))]
[JsonSerializable(typeof(AliasDeletedEnvelope))]
public sealed partial class AliasWireJson : JsonSerializerContext;

/// <summary>How an alias answer is written: E2 with the alias, and its revisionId as the ETag.</summary>
internal static class AliasAnswers
{
    public static IResult One(HttpContext context, AliasView view)
    {
        context.Response.Headers.ETag = EntityTags.Of(view.RevisionId);
        return TypedResults.Json(new AliasEnvelope<AliasView>(view), AliasWireJson.Default.AliasEnvelopeAliasView);
    }

    /// <summary>The same answer as bytes, for an Idempotency-Key to keep.</summary>
    public static RenderedAnswer Rendered(AliasView view) =>
        new(StatusCodes.Status200OK, "application/json; charset=utf-8",
            JsonSerializer.SerializeToUtf8Bytes(new AliasEnvelope<AliasView>(view), AliasWireJson.Default.AliasEnvelopeAliasView),
            new Dictionary<string, string> { ["ETag"] = EntityTags.Of(view.RevisionId) });
}