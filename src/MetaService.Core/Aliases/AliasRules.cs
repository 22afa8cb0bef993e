using System.Globalization;
using System.Text.RegularExpressions;

using MetaService.Core.Functions;

namespace MetaService.Core.Aliases;

/// <summary>The rules an alias must keep (the original's declared rules, enforced, and §2.8 of the reference fixed).
/// Each check names what to change; version existence is checked by the service against the store.</summary>
public static partial class AliasRules
{
    public const string RuleType = "rule";
    public const string WeightType = "weight";
    public const int MaxRoutingEntries = 16;
    public const int MaxRules = 16;
    public const int DescriptionMaxLength = 1024;

    private static readonly string[] Operators = [">=", "<=", "!=", "=", ">", "<", "in"];

    /// <summary>An alias name: <c>^[a-z][0-9a-z-]{0,14}[0-9a-z]$</c>, not a draft's name.</summary>
    public static MetaError? CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return MetaError.InvalidParam("name is required: 2 to 16 lower-case letters, digits or hyphens, starting with a letter");
        }

        if (!AliasName().IsMatch(name))
        {
            return MetaError.InvalidParam($"alias name [{name}] is invalid: use 2 to 16 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen");
        }

        return name == FunctionKinds.DraftFaas
            ? MetaError.InvalidParam("alias name [latest] names the draft: choose another name")
            : null;
    }

    public static bool IsAliasName(string text) => AliasName().IsMatch(text);

    /// <summary>The routing of a create or update, made into the stored shape (the versions it names are checked later).</summary>
    public static Outcome<(Dictionary<string, int> Weights, string? Type, RoutingRules? Rules)> Routing(Dictionary<string, double>? config, string? type, RoutingRules? rules)
    {
        if (type is not (null or "" or WeightType or RuleType))
        {
            return MetaError.InvalidParam($"routingType [{type}] is invalid: use \"weight\" (or leave it out) or \"rule\"");
        }

        if (type == RuleType)
        {
            if (config is { Count: > 0 })
            {
                return MetaError.InvalidParam("a rule alias routes by routingRules: leave routingConfig out");
            }

            return CheckRules(rules) is { } ruleError ? ruleError : ([], RuleType, Normalised(rules!));
        }

        if (rules is not null)
        {
            return MetaError.InvalidParam("routingRules needs routingType \"rule\"");
        }

        return Weights(config).TryGet(out var weights, out var error) ? (weights, null, null) : error;
    }

    private static Outcome<Dictionary<string, int>> Weights(Dictionary<string, double>? config)
    {
        var weights = new Dictionary<string, int>(StringComparer.Ordinal);
        if (config is null || config.Count == 0)
        {
            return weights;
        }

        if (config.Count > MaxRoutingEntries)
        {
            return MetaError.InvalidParam($"routingConfig has {config.Count} entries: an alias routes to at most {MaxRoutingEntries} versions");
        }

        foreach (var (version, weight) in config)
        {
            if (!FunctionNames.IsValidVersionNumber(version) && !FunctionKinds.IsDraftVersion(version))
            {
                return MetaError.InvalidParam($"routingConfig names [{version}], which is not a version number");
            }

            if (weight is < 0 or > 100 || weight != Math.Floor(weight))
            {
                return MetaError.InvalidParam($"the weight of version [{version}] is {weight.ToString(CultureInfo.InvariantCulture)}: weights are whole numbers from 0 to 100");
            }

            weights[version] = (int)weight;
        }

        return weights.Values.Sum() == 100
            ? weights
            : new MetaError(4103, "total routing weight is not 100. check the routing weight. the sum of the values is 100", ErrorKind.Invalid);
    }

    private static MetaError? CheckRules(RoutingRules? rules)
    {
        if (rules is null)
        {
            return MetaError.InvalidParam("routingType \"rule\" needs routingRules {ruleLogic, rules, grayVersion}");
        }

        if (rules.RuleLogic is not ("and" or "or"))
        {
            return MetaError.InvalidParam($"ruleLogic [{rules.RuleLogic}] is invalid: use \"and\" or \"or\"");
        }

        if (rules.Rules is not { Count: > 0 } list || list.Count > MaxRules)
        {
            return MetaError.InvalidParam($"rules must hold 1 to {MaxRules} rules of the form \"header:op:value\"");
        }

        foreach (var rule in list)
        {
            if (CheckRule(rule) is { } error)
            {
                return MetaError.InvalidParam($"rule [{rule}] is invalid: {error}");
            }
        }

        return string.IsNullOrEmpty(rules.GrayVersion) || (!FunctionNames.IsValidVersionNumber(rules.GrayVersion) && !FunctionKinds.IsDraftVersion(rules.GrayVersion))
            ? MetaError.InvalidParam("grayVersion must name the version that requests matching the rules go to")
            : null;
    }

    /// <summary>Why <paramref name="rule"/> cannot be evaluated as the consumers split it (on ':', three parts), or null.</summary>
    private static string? CheckRule(string? rule)
    {
        var parts = (rule ?? "").Split(':');
        if (parts.Length != 3)
        {
            return "write header:op:value, with no ':' in the value";
        }

        var (header, op, value) = (parts[0], parts[1], parts[2]);
        if (!HeaderName().IsMatch(header))
        {
            return "the header name must be lower case letters, digits, '-' or '_' (the platform compares lower-cased header names)";
        }

        if (!Operators.Contains(op))
        {
            return $"operator [{op}] is unknown: use one of = != > < >= <= in";
        }

        if (value.Trim().Length == 0)
        {
            return "the value is empty";
        }

        return op is ">" or "<" or ">=" or "<=" && !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? $"operator {op} compares whole numbers: [{value}] is not one"
            : null;
    }

    private static RoutingRules Normalised(RoutingRules rules) => rules with { Rules = [.. rules.Rules ?? []] };

    [GeneratedRegex(@"^[a-z][0-9a-z-]{0,14}[0-9a-z]\z", RegexOptions.CultureInvariant)]
    private static partial Regex AliasName();

    [GeneratedRegex(@"^[a-z0-9_-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderName();
}