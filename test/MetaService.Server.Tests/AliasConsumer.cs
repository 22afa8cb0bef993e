using System.Globalization;
using System.Text.Json;

namespace MetaService.Server.Tests;

/// <summary>
/// openYuanrong's consumers' alias resolution, written from §2.6 of the reference (the frontend's and the scheduler's
/// <c>AliasElement.GetFuncVersionURNWithParams</c>, the runtimes' <c>AliasRouting</c>): built from a published
/// <c>/sn/aliases</c> value as they parse it, and holding the round-robin state one process keeps (reset on each PUT).
/// </summary>
public sealed class AliasConsumer
{
    private readonly string _functionVersionUrn;
    private readonly string _routingType;
    private readonly string _ruleLogic;
    private readonly string[] _rules;
    private readonly string _grayVersion;
    private readonly List<Node> _nodes = [];

    public AliasConsumer(JsonElement value)
    {
        _functionVersionUrn = Text(value, "functionVersionUrn");
        _routingType = Text(value, "routingType");
        var rules = value.TryGetProperty("routingRules", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        _ruleLogic = rules.ValueKind == JsonValueKind.Object ? Text(rules, "ruleLogic") : "";
        _grayVersion = rules.ValueKind == JsonValueKind.Object ? Text(rules, "grayVersion") : "";
        _rules = rules.ValueKind == JsonValueKind.Object && rules.TryGetProperty("rules", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(e => e.GetString() ?? "")]
            : [];

        // Go's decoder matches "routingconfig" case-insensitively; the weights are float64, the balancer takes int(weight*100).
        if (value.TryGetProperty("routingconfig", out var config) && config.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in config.EnumerateArray())
            {
                _nodes.Add(new Node(Text(entry, "functionVersionUrn"), (int)(entry.GetProperty("weight").GetDouble() * 100)));
            }
        }
    }

    /// <summary>The version URN one invocation goes to; <paramref name="headers"/> by lower-cased name.</summary>
    public string Resolve(IReadOnlyDictionary<string, string> headers) =>
        _routingType == "rule" ? ByRule(headers) : ByWeight();

    private string ByRule(IReadOnlyDictionary<string, string> headers)
    {
        if (headers.Count == 0 || _rules.Length == 0)
        {
            return _functionVersionUrn;
        }

        var expressions = _rules.Select(rule => rule.Split(':')).ToList();
        if (expressions.Any(parts => parts.Length != 3))
        {
            return _functionVersionUrn;
        }

        var results = expressions.Select(parts => Execute(headers, parts[0], parts[1], parts[2])).ToList();
        var matched = results.Count == 1 ? results[0]
            : _ruleLogic == "and" ? results.All(x => x)
            : _ruleLogic == "or" && results.Any(x => x);
        return matched ? _grayVersion : _functionVersionUrn;
    }

    private static bool Execute(IReadOnlyDictionary<string, string> headers, string left, string op, string right)
    {
        if (!headers.TryGetValue(left, out var value))
        {
            return false;
        }

        int? Compare() => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a)
            && int.TryParse(right, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b) ? a.CompareTo(b) : null;
        return op switch
        {
            "=" => value.Trim() == right.Trim(),
            "!=" => value.Trim() != right.Trim(),
            ">" => Compare() is > 0,
            "<" => Compare() is < 0,
            ">=" => Compare() is >= 0,
            "<=" => Compare() is <= 0,
            "in" => right.Split(',').Any(t => t.Length > 0 && value.Trim() == t.Trim()),
            _ => false,
        };
    }

    /// <summary>nginx's smooth weighted round robin over the nodes in array order.</summary>
    private string ByWeight()
    {
        if (_nodes.Count == 0)
        {
            return "";
        }

        if (_nodes.Count == 1)
        {
            return _nodes[0].Urn;
        }

        Node? best = null;
        var total = 0;
        foreach (var node in _nodes)
        {
            node.Current += node.Weight;
            total += node.Weight;
            if (best is null || node.Current > best.Current)
            {
                best = node;
            }
        }

        best!.Current -= total;
        return best.Urn;
    }

    private static string Text(JsonElement element, string member) =>
        element.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private sealed class Node(string urn, int weight)
    {
        public string Urn => urn;

        public int Weight => weight;

        public int Current { get; set; }
    }

    /// <summary>How many of <paramref name="picks"/> invocations (no headers) go to each version URN.</summary>
    public static Dictionary<string, int> Count(JsonElement value, int picks)
    {
        var consumer = new AliasConsumer(value);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var none = new Dictionary<string, string>();
        for (var i = 0; i < picks; i++)
        {
            var urn = consumer.Resolve(none);
            counts[urn] = counts.GetValueOrDefault(urn) + 1;
        }

        return counts;
    }
}