namespace MetaService.Cli.Output;

/// <summary>Rows under headers, in columns as wide as their widest cell.</summary>
internal sealed record TextTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public void Write(TextWriter writer)
    {
        var widths = Headers.Select((h, i) => Rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        WriteRow(writer, Headers, widths);
        foreach (var row in Rows)
        {
            WriteRow(writer, row, widths);
        }
    }

    private static void WriteRow(TextWriter writer, IReadOnlyList<string> cells, int[] widths)
    {
        var padded = cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]));
        writer.WriteLine(string.Join("  ", padded).TrimEnd());
    }
}