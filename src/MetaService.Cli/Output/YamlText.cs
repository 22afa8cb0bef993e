using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace MetaService.Cli.Output;

/// <summary>
/// YAML through YamlDotNet's emitter and representation model, on JSON trees: the records are turned into
/// JSON by their source-generated contexts, so no reflection-based YAML serializer is needed.
/// </summary>
internal static partial class YamlText
{
    /// <summary>Writes a JSON tree as block-style YAML; strings that YAML would read as another type are quoted.</summary>
    public static void Write(TextWriter writer, JsonNode? node)
    {
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
    }

    /// <summary>Reads one YAML document as a JSON tree: plain scalars become null, booleans and numbers where
    /// YAML 1.2's core schema says so; quoted scalars stay strings.</summary>
    public static JsonNode? Read(TextReader reader) => Read(reader, positions: null);

    /// <summary>As <see cref="Read(TextReader)"/>, and records where each value starts, by its JSON path
    /// (<c>$.environment.KEY</c>, <c>$.pools[0].size</c>), so that a value the request type refuses can be
    /// reported at its line.</summary>
    public static JsonNode? Read(TextReader reader, Dictionary<string, Mark>? positions)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode, "$", positions);
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                emitter.Emit(new MappingStart(null, null, true, map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in map)
                {
                    emitter.Emit(StringScalar(key));
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                emitter.Emit(new SequenceStart(null, null, true, list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
                emitter.Emit(StringScalar(value.GetValue<string>()));
                break;
            case JsonValue value:
                emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, true, false));
                break;
            default:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static Scalar StringScalar(string text) =>
        new(null, null, text, ScalarStyle.Any, isPlainImplicit: !ReadsAsOtherType(text), isQuotedImplicit: true);

    private static bool ReadsAsOtherType(string text) => text.Length == 0 || NonString().IsMatch(text);

    private static JsonNode? ToJson(YamlNode node, string path, Dictionary<string, Mark>? positions)
    {
        positions?.TryAdd(path, node.Start);
        return node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            {
                var key = c.Key is YamlScalarNode scalar ? scalar.Value ?? "" : throw new YamlException(c.Key.Start, c.Key.End, "a key must be a plain value, not a list or a map");
                return KeyValuePair.Create(key, ToJson(c.Value, ChildPath(path, key), positions));
            })),
            YamlSequenceNode list => new JsonArray([.. list.Children.Select((item, i) => ToJson(item, $"{path}[{i}]", positions))]),
            YamlScalarNode scalar => ScalarToJson(scalar),
            _ => throw new YamlException(node.Start, node.End, "aliases and other YAML nodes are not supported in a spec"),
        };
    }

    /// <summary>The path as System.Text.Json writes it in a <see cref="System.Text.Json.JsonException"/>.</summary>
    private static string ChildPath(string parent, string key) =>
        PlainKey().IsMatch(key) ? $"{parent}.{key}" : $"{parent}['{key}']";

    private static JsonValue? ScalarToJson(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when Float().IsMatch(text) => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|0x[0-9a-fA-F]+|0o[0-7]+|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")]
    private static partial Regex NonString();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainKey();
}