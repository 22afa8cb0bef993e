using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

using MetaService.Cli.Output;

using YamlDotNet.Core;

namespace MetaService.Cli.Specs;

/// <summary>A request body read from a <c>.json</c>, <c>.yaml</c> or <c>.yml</c> file (or <c>-</c>, standard input, as JSON).</summary>
internal static class SpecFile
{
    /// <summary>Members that openYuanrong types as strings of digits; a YAML or JSON number there is taken as its text.</summary>
    private static readonly string[] DigitStrings = ["minInstance", "maxInstance", "concurrentNum"];

    public static T Read<T>(string path, JsonTypeInfo<T> typeInfo, TextReader? stdin = null)
    {
        JsonNode? node;
        try
        {
            using var reader = path == "-" ? null : new StreamReader(path);
            var input = reader ?? stdin ?? Console.In;
            var yaml = path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
            node = yaml ? YamlText.Read(input) : JsonNode.Parse(input.ReadToEnd());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or YamlException)
        {
            throw new SpecException($"cannot read {path}: {e.Message}");
        }

        if (node is JsonObject map)
        {
            foreach (var key in DigitStrings)
            {
                if (map[key] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
                {
                    map[key] = value.ToJsonString();
                }
            }
        }

        try
        {
            return node.Deserialize(typeInfo) ?? throw new SpecException($"{path} holds no object");
        }
        catch (JsonException e)
        {
            throw new SpecException($"{path} is not a valid request: {e.Message}");
        }
    }
}

/// <summary>A spec file that cannot be used: a usage error (exit code 2).</summary>
internal sealed class SpecException(string message) : Exception(message);