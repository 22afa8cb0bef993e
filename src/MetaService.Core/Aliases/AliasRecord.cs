using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaService.Core.Aliases;

/// <summary>
/// An alias as stored at <c>/repo/Alias/…/&lt;fn&gt;/&lt;alias&gt;/</c>, in the original's <c>AliasValue</c> shape (Go field
/// names), so that the original reads MetaService's aliases and the reverse. <c>RoutingType</c> and <c>RoutingRules</c> are
/// MetaService's additions (Go's decoder ignores them).
/// </summary>
public sealed record AliasRecord
{
    public required string Name { get; init; }

    public required string FunctionName { get; init; }

    public required string FunctionVersion { get; init; }

    [JsonPropertyName("RevisionID")]
    public required string RevisionId { get; init; }

    public string Description { get; init; } = "";

    public Dictionary<string, int> RoutingConfig { get; init; } = [];

    public string CreateTime { get; init; } = "";

    public string UpdateTime { get; init; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RoutingType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RoutingRules? RoutingRules { get; init; }

    /// <summary>Derived, not stored (the record keeps the original's members and MetaService's two additions only).</summary>
    [JsonIgnore]
    public bool IsRule => RoutingType == AliasRules.RuleType;

    /// <summary>Where traffic goes by weight: the stored weights, or 100 % to <see cref="FunctionVersion"/> when there are none.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, int> EffectiveWeights =>
        RoutingConfig.Count > 0 ? RoutingConfig : new Dictionary<string, int>(StringComparer.Ordinal) { [FunctionVersion] = 100 };

    /// <summary>Every version this alias can send traffic to (what a version delete must not remove).</summary>
    public IEnumerable<string> Targets()
    {
        yield return FunctionVersion;
        foreach (var version in RoutingConfig.Keys)
        {
            yield return version;
        }

        if (IsRule && RoutingRules?.GrayVersion is { Length: > 0 } gray)
        {
            yield return gray;
        }
    }

    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this, AliasJson.Default.AliasRecord);

    /// <summary>The record, or null when it cannot be read (it then routes nothing MetaService knows of).</summary>
    public static AliasRecord? Decode(byte[] value)
    {
        try
        {
            return JsonSerializer.Deserialize(value, AliasJson.Default.AliasRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static VersionRetention? DecodeRetention(byte[] value)
    {
        try
        {
            return JsonSerializer.Deserialize(value, AliasJson.Default.VersionRetention);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static PreviousRouting? DecodePrevious(byte[] value)
    {
        try
        {
            return JsonSerializer.Deserialize(value, AliasJson.Default.PreviousRouting);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The original's time format: RFC 3339 with fractional seconds and the offset.</summary>
    public static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffK", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The routing rollback restores: an alias's routing before its last change.</summary>
public sealed record PreviousRouting(string FunctionVersion, Dictionary<string, int> RoutingConfig, string? RoutingType, RoutingRules? RoutingRules, string RevisionId);

/// <summary>Stored records keep the original's Go field names; reads ignore case, as Go's decoder does.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(AliasRecord))]
[JsonSerializable(typeof(PreviousRouting))]
[JsonSerializable(typeof(VersionRetention))]
internal sealed partial class AliasJson : JsonSerializerContext;