using System.Text.Json;
using System.Text.Json.Serialization;

using MetaService.Core.Records;

namespace MetaService.Core.Aliases;

/// <summary>
/// The value at <c>/sn/aliases/…/&lt;alias&gt;</c> the frontend, the FaaS scheduler and the runtimes read (the original's
/// <c>AliasEtcd</c>): URNs, the alias's fields, and <c>routingconfig</c> (lower case, as they parse it) in version order,
/// so the same routing is always the same bytes. Rule aliases also carry <c>routingType</c> and <c>routingRules</c>, with
/// <c>grayVersion</c> as the version's URN (the consumers route to it as it is) and 100 % to <c>functionVersion</c> in
/// <c>routingconfig</c> for a consumer that knows no rules.
/// </summary>
public static class AliasPublished
{
    public static byte[] Value(AliasRecord alias, Tenant tenant, MetaOptions options)
    {
        var function = Urns.Function(options, tenant, alias.FunctionName);
        var weights = alias.IsRule ? new Dictionary<string, int>(StringComparer.Ordinal) { [alias.FunctionVersion] = 100 } : alias.EffectiveWeights;
        var value = new PublishedAlias
        {
            AliasUrn = $"{function}:{alias.Name}",
            FunctionUrn = function,
            FunctionVersionUrn = $"{function}:{alias.FunctionVersion}",
            Name = alias.Name,
            FunctionVersion = alias.FunctionVersion,
            RevisionId = alias.RevisionId,
            Description = alias.Description,
            RoutingType = alias.IsRule ? AliasRules.RuleType : null,
            RoutingRules = alias.IsRule && alias.RoutingRules is { } rules
                ? new PublishedRules(rules.RuleLogic ?? "", rules.Rules ?? [], $"{function}:{rules.GrayVersion}")
                : null,
            RoutingConfig = [.. weights.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => new PublishedWeight($"{function}:{w.Key}", w.Value))],
        };
        return JsonSerializer.SerializeToUtf8Bytes(value, PublishedJson.Default.PublishedAlias);
    }
}

internal sealed record PublishedAlias
{
    [JsonPropertyName("aliasUrn")]
    public required string AliasUrn { get; init; }

    [JsonPropertyName("functionUrn")]
    public required string FunctionUrn { get; init; }

    [JsonPropertyName("functionVersionUrn")]
    public required string FunctionVersionUrn { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("functionVersion")]
    public required string FunctionVersion { get; init; }

    [JsonPropertyName("revisionId")]
    public required string RevisionId { get; init; }

    [JsonPropertyName("description")]
    public required string Description { get; init; }

    [JsonPropertyName("routingType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RoutingType { get; init; }

    [JsonPropertyName("routingRules")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PublishedRules? RoutingRules { get; init; }

    [JsonPropertyName("routingconfig")]
    public required IReadOnlyList<PublishedWeight> RoutingConfig { get; init; }
}

internal sealed record PublishedRules(
    [property: JsonPropertyName("ruleLogic")] string RuleLogic,
    [property: JsonPropertyName("rules")] IReadOnlyList<string> Rules,
    [property: JsonPropertyName("grayVersion")] string GrayVersion);

internal sealed record PublishedWeight(
    [property: JsonPropertyName("functionVersionUrn")] string FunctionVersionUrn,
    [property: JsonPropertyName("weight")] int Weight);

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(PublishedAlias))]
internal sealed partial class PublishedJson : JsonSerializerContext;