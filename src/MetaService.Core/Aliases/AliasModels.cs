using System.Text.Json.Serialization;

namespace MetaService.Core.Aliases;

/// <summary>The body of an alias create (the original's <c>AliasRequest</c>, plus rule routing).</summary>
public sealed record AliasRequest
{
    public string? Name { get; init; }

    public string? FunctionVersion { get; init; }

    public string? Description { get; init; }

    /// <summary>Version → weight; integers 0 to 100 that sum to 100. Absent: 100 % to <see cref="FunctionVersion"/>.</summary>
    public Dictionary<string, double>? RoutingConfig { get; init; }

    /// <summary><c>rule</c> for header rules; absent or <c>weight</c> for weights.</summary>
    public string? RoutingType { get; init; }

    public RoutingRules? RoutingRules { get; init; }
}

/// <summary>The body of an alias update (the original's <c>AliasUpdateRequest</c>, plus rule routing). Absent members
/// keep what is stored, except <c>functionVersion</c>, which the original always replaces and MetaService keeps when absent.</summary>
public sealed record AliasUpdateRequest
{
    public string? FunctionVersion { get; init; }

    public string? Description { get; init; }

    public string? RevisionId { get; init; }

    public Dictionary<string, double>? RoutingConfig { get; init; }

    public string? RoutingType { get; init; }

    public RoutingRules? RoutingRules { get; init; }
}

/// <summary>Header rules: requests whose headers match go to <see cref="GrayVersion"/>, others to the alias's
/// <c>functionVersion</c>. Each rule is <c>header:op:value</c> with op one of <c>= != &gt; &lt; &gt;= &lt;= in</c>.</summary>
public sealed record RoutingRules
{
    public string? RuleLogic { get; init; }

    public IReadOnlyList<string>? Rules { get; init; }

    public string? GrayVersion { get; init; }
}

/// <summary>An alias as the routes answer it (the original's <c>AliasResponse</c>, plus rule routing).</summary>
public sealed record AliasView
{
    public required string AliasUrn { get; init; }

    public required string Name { get; init; }

    public required string FunctionVersion { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Description { get; init; }

    public required string RevisionId { get; init; }

    public required IReadOnlyDictionary<string, int> RoutingConfig { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RoutingType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RoutingRules? RoutingRules { get; init; }
}

/// <summary>A page of aliases and how many the function has in all.</summary>
public sealed record AliasPage(int Total, IReadOnlyList<AliasView> Aliases)
{
    /// <summary>The store revision the page was read at: a watch from it sees every later change (answered as
    /// <c>X-Meta-Revision</c>, not in the body).</summary>
    [JsonIgnore]
    public long Revision { get; init; }
}

/// <summary>A function's version retention: how many published versions a publish keeps (0: the original's limit only).</summary>
public sealed record VersionRetention
{
    public int KeepVersions { get; init; }
}