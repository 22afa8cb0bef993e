using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

using MetaService.Core.Functions;

namespace MetaService.Server.Wire;

/// <summary>Every error body: openYuanrong's numeric code and its message.</summary>
public sealed record ErrorBody(int Code, string Message);

/// <summary>E1: create, get and publish answer <c>{"code":0,"message":"SUCCESS","function":{…}}</c>.</summary>
public sealed record FunctionEnvelope(FunctionView Function)
{
    [JsonPropertyOrder(-2)]
    public int Code => 0;

    [JsonPropertyOrder(-1)]
    public string Message => "SUCCESS";
}

/// <summary>
/// Update answers both shapes in one body: <c>function</c> (openYuanrong's update page) and <c>result</c>
/// (its code and yrcli), with message <c>SUCCESS</c>, so clients written from either work.
/// </summary>
public sealed record UpdateEnvelope(FunctionView Function)
{
    [JsonPropertyOrder(-2)]
    public int Code => 0;

    [JsonPropertyOrder(-1)]
    public string Message => "SUCCESS";

    public FunctionView Result => Function;
}

/// <summary>E2 of list: <c>{"code":0,"message":"","result":{"functions":[…],"total":N}}</c>.</summary>
public sealed record ListEnvelope(ListResult Result)
{
    [JsonPropertyOrder(-2)]
    public int Code => 0;

    [JsonPropertyOrder(-1)]
    public string Message => "";
}

public sealed record ListResult(IReadOnlyList<FunctionView>? Functions, int Total);

/// <summary>E3 of list versions: page index and size echoed as strings.</summary>
public sealed record VersionsEnvelope(IReadOnlyList<FunctionView>? Functions, PageInfo PageInfo);

public sealed record PageInfo(string PageIndex, string PageSize, int Total);

/// <summary>Delete answers <c>{}</c>.</summary>
public sealed record EmptyBody;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(FunctionEnvelope))]
[JsonSerializable(typeof(UpdateEnvelope))]
[JsonSerializable(typeof(ListEnvelope))]
[JsonSerializable(typeof(VersionsEnvelope))]
[JsonSerializable(typeof(EmptyBody))]
public sealed partial class WireJson : JsonSerializerContext
{
    /// <summary>Like <see cref="Default"/>, but writes non-ASCII text and quotes as they are (as Go's encoder
    /// does) instead of as <c>\uXXXX</c> escapes.</summary>
    public static WireJson Relaxed => LazyRelaxed.Value;

    // Lazy: the generated Default lives in another part of this class, whose static initialisers may run later.
    private static readonly Lazy<WireJson> LazyRelaxed = new(() =>
        new WireJson(new JsonSerializerOptions(Default!.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
}