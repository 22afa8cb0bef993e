using System.Text.Json.Serialization;

namespace MetaService.Core.Records;

/// <summary>An accelerator a function asks for, as openYuanrong stores it: six members, each left out when zero or
/// empty (so no device is <c>{}</c>). Other members of a request's <c>device</c> are ignored, as the original's
/// typed decoder ignores them; a member of the wrong type is refused like any other type error.</summary>
public sealed record FunctionDevice
{
    [JsonPropertyName("model")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Model { get; init; }

    [JsonPropertyName("hbm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Hbm { get; init; }

    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Type { get; init; }

    [JsonPropertyName("count")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Count { get; init; }

    [JsonPropertyName("latency")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Latency { get; init; }

    [JsonPropertyName("stream")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Stream { get; init; }

    /// <summary>Whether any member is set: a device disables the cpu and memory range checks.</summary>
    [JsonIgnore]
    public bool IsSet => !string.IsNullOrEmpty(Model) || !string.IsNullOrEmpty(Type) || Hbm != 0 || Count != 0 || Latency != 0 || Stream != 0;

    public static FunctionDevice None { get; } = new();

    /// <summary>The same device with empty strings as absent, so that they are left out when written (Go's
    /// <c>omitempty</c>).</summary>
    public FunctionDevice Normalised() => this with
    {
        Model = string.IsNullOrEmpty(Model) ? null : Model,
        Type = string.IsNullOrEmpty(Type) ? null : Type,
    };
}