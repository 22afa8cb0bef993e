using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

using MetaService.Cli.Output;

using YamlDotNet.Core;

namespace MetaService.Cli.Specs;

/// <summary>A request body read from a <c>.json</c>, <c>.yaml</c> or <c>.yml</c> file (or <c>-</c>, standard input, as JSON).
/// A problem is reported at its line and column, so that a spec can be fixed without guessing.</summary>
internal static class SpecFile
{
    /// <summary>Members that openYuanrong types as strings of digits; a YAML or JSON number there is taken as its text.</summary>
    private static readonly string[] DigitStrings = ["minInstance", "maxInstance", "concurrentNum"];

    public static T Read<T>(string path, JsonTypeInfo<T> typeInfo, TextReader? stdin = null)
    {
        var yaml = path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        var positions = yaml ? new Dictionary<string, Mark>(StringComparer.Ordinal) : null;
        JsonNode? node;
        try
        {
            using var reader = path == "-" ? null : new StreamReader(path);
            var input = reader ?? stdin ?? Console.In;
            node = yaml ? YamlText.Read(input, positions) : JsonNode.Parse(input.ReadToEnd());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpecException($"cannot read {path}: {e.Message}");
        }
        catch (YamlException e)
        {
            throw new SpecException($"{path}: {At(e.Start.Line, e.Start.Column)}: {Innermost(e)}");
        }
        catch (JsonException e)
        {
            // System.Text.Json counts lines and bytes from 0.
            throw new SpecException($"{path}: {At(e.LineNumber + 1, e.BytePositionInLine + 1)}: {Sentence(e.Message)}");
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
            var member = e.Path is { Length: > 2 } jsonPath ? jsonPath[2..] : "the spec";
            var where = e.Path is not null && positions is not null && positions.TryGetValue(e.Path, out var mark) ? At(mark.Line, mark.Column) + ": " : "";
            throw new SpecException($"{path}: {where}{member} has a value of the wrong type (a text, number, list or map where another is expected)");
        }
    }

    private static string At(long? line, long? column) =>
        string.Create(CultureInfo.InvariantCulture, $"line {line}, column {column}");

    /// <summary>YamlDotNet wraps the scanner's own message, which names the problem, in its parser's.</summary>
    private static string Innermost(YamlException e)
    {
        var message = e.InnerException is YamlException inner ? Innermost(inner) : e.Message;
        var marks = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && marks > 0 ? message[(marks + 3)..] : message;
    }

    /// <summary>System.Text.Json's message without the position it appends (given in our own words instead).</summary>
    private static string Sentence(string message)
    {
        var end = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var sentence = end > 0 ? message[..end] : message;
        var line = sentence.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return (line > 0 ? sentence[..line] : sentence).TrimEnd('.', ' ', '|');
    }
}

/// <summary>A spec file that cannot be used: a usage error (exit code 2).</summary>
internal sealed class SpecException(string message) : Exception(message);