using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

using MetaService.Core.Functions;

namespace MetaService.Client;

/// <summary>Success and error answers as the client reads them. One record covers E1 (<c>function</c>) and
/// the update answer (<c>result</c>, and <c>function</c> on MetaService), so the client works against
/// openYuanrong's meta_service too.</summary>
public sealed record FunctionAnswer(int Code, string? Message, FunctionView? Function, FunctionView? Result);

public sealed record ListAnswer(int Code, string? Message, ListPage? Result);

/// <summary>A list page; <see cref="Continue"/> and <see cref="Revision"/> only when paged with <c>limit</c> on MetaService.</summary>
public sealed record ListPage(List<FunctionView>? Functions, int Total, string? Continue = null, long? Revision = null);

public sealed record VersionsAnswer(List<FunctionView>? Functions, VersionsPageInfo? PageInfo, string? Continue = null, long? Revision = null);

public sealed record VersionsPageInfo(string? PageIndex, string? PageSize, int Total);

/// <summary>Every error body, and the <c>{code, message}</c> of answers that carry nothing else.</summary>
public sealed record StatusAnswer(int Code, string? Message);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FunctionRequest))]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(FunctionView))]
[JsonSerializable(typeof(List<FunctionView>))]
[JsonSerializable(typeof(FunctionAnswer))]
[JsonSerializable(typeof(ListAnswer))]
[JsonSerializable(typeof(VersionsAnswer))]
[JsonSerializable(typeof(StatusAnswer))]
[JsonSerializable(typeof(ReserveInstanceRequest))]
[JsonSerializable(typeof(ReserveInstanceQuery))]
[JsonSerializable(typeof(ReserveInstanceAnswer))]
[JsonSerializable(typeof(ReserveInstanceList))]
public sealed partial class ClientJson : JsonSerializerContext
{
    /// <summary>The client's options: members the server leaves out are tolerated (the C# <c>required</c> of the
    /// core's records describes what MetaService writes, not what every meta_service answers).</summary>
    public static JsonSerializerOptions Lenient => LazyLenient.Value;

    /// <summary>Like <see cref="Lenient"/>, indented: for people to read.</summary>
    public static JsonSerializerOptions Indented => LazyIndented.Value;

    // Lazy: the generated Default lives in another part of this class, whose static initialisers may run later.
    private static readonly Lazy<JsonSerializerOptions> LazyLenient = new(() => new(Default!.Options)
    {
        TypeInfoResolver = Default.WithAddedModifier(NothingRequired),
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static readonly Lazy<JsonSerializerOptions> LazyIndented = new(() => new(Lenient) { WriteIndented = true });

    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    private static void NothingRequired(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            property.IsRequired = false;
        }
    }
}

/// <summary>The pool routes speak snake_case (<c>max_size</c>, <c>failed_pools</c>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Pool))]
[JsonSerializable(typeof(List<Pool>))]
[JsonSerializable(typeof(PoolCreateRequest))]
[JsonSerializable(typeof(PoolUpdateRequest))]
[JsonSerializable(typeof(PoolCreateAnswer))]
[JsonSerializable(typeof(PoolPageAnswer))]
public sealed partial class PoolJson : JsonSerializerContext
{
    /// <summary>Indented, for people to read.</summary>
    public static JsonSerializerOptions Indented => LazyIndented.Value;

    private static readonly Lazy<JsonSerializerOptions> LazyIndented = new(() => new(Default!.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}