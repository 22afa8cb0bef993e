using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace MetaService.Cli.Output;

/// <summary>How answers are printed: <c>--output table|json|yaml</c>.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Yaml,
}

/// <summary>Prints one answer in the chosen format: JSON and YAML show the whole object, tables a summary.</summary>
internal sealed class Printer(TextWriter writer, TextWriter error, OutputFormat format)
{
    public void Print<T>(T value, JsonTypeInfo<T> typeInfo, Func<T, TextTable> table)
    {
        switch (format)
        {
            case OutputFormat.Json:
                writer.WriteLine(JsonSerializer.Serialize(value, typeInfo));
                break;
            case OutputFormat.Yaml:
                YamlText.Write(writer, JsonSerializer.SerializeToNode(value, typeInfo));
                break;
            default:
                table(value).Write(writer);
                break;
        }
    }

    /// <summary>What a command did (created, updated, unchanged): the first line of a table; on standard error
    /// with JSON and YAML, whose standard output stays one document a program can read.</summary>
    public void Outcome(string sentence) => (format == OutputFormat.Table ? writer : error).WriteLine(sentence);

    /// <summary>A confirmation with no object to show (delete): a sentence in a table, an object otherwise.</summary>
    public void Done(string what, string sentence)
    {
        var node = new JsonObject { ["result"] = what };
        switch (format)
        {
            case OutputFormat.Json:
                writer.WriteLine(node.ToJsonString());
                break;
            case OutputFormat.Yaml:
                YamlText.Write(writer, node);
                break;
            default:
                writer.WriteLine(sentence);
                break;
        }
    }
}