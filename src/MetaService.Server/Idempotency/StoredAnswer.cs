using System.Text.Json.Serialization;

namespace MetaService.Server.Idempotency;

/// <summary>
/// What a key holds: the request's hash, when the key expires (Unix milliseconds), the answer (status, content type,
/// headers such as <c>ETag</c>, body bytes) and which request stored it (<see cref="Id"/>: that request answers it as its
/// own, every other one as a replay).
/// </summary>
public sealed record StoredAnswer(string Id, string Hash, long ExpiresAt, int Status, string ContentType, Dictionary<string, string> Headers, byte[] Body);

/// <summary>An answer a route renders for its rider to keep.</summary>
public sealed record RenderedAnswer(int Status, string ContentType, byte[] Body, Dictionary<string, string>? Headers = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StoredAnswer))]
internal sealed partial class IdempotencyJson : JsonSerializerContext;

/// <summary>Renders answers as the routes' <c>TypedResults.Json</c> writes them.</summary>
internal static class Rendered
{
    public static RenderedAnswer Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        new(StatusCodes.Status200OK, "application/json; charset=utf-8", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
}