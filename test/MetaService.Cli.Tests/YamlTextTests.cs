using System.Text.Json.Nodes;

using MetaService.Cli.Output;

namespace MetaService.Cli.Tests;

public sealed class YamlTextTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("1.5e3")]
    [InlineData("yes")]
    [InlineData("$latest")]
    [InlineData("a: b")]
    [InlineData("- x")]
    [InlineData("20261128113909131")]
    public void Strings_RoundTripAsStrings(string text)
    {
        var node = new JsonObject { ["value"] = text };
        using var writer = new StringWriter();

        YamlText.Write(writer, node);

        var read = YamlText.Read(new StringReader(writer.ToString()))!;
        Assert.Equal(text, (string)read["value"]!);
    }

    [Fact]
    public void NumbersBooleansAndNulls_KeepTheirTypes()
    {
        var node = JsonNode.Parse("""{"n":5,"f":1.5,"b":false,"z":null,"e":{},"l":[]}""");
        using var writer = new StringWriter();

        YamlText.Write(writer, node);

        var read = YamlText.Read(new StringReader(writer.ToString()))!;
        Assert.Equal(5L, (long)read["n"]!);
        Assert.Equal(1.5, (double)read["f"]!);
        Assert.False((bool)read["b"]!);
        Assert.Null(read["z"]);
        Assert.Empty(read["e"]!.AsObject());
        Assert.Empty(read["l"]!.AsArray());
    }
}