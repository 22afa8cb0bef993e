namespace MetaService.Cli.Output;

/// <summary>Rows under headers, in columns as wide as their widest cell; with no rows, the sentence that says so.</summary>
internal sealed record TextTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>Printed instead of a lone header line, which a reader could take for a failed command.</summary>
    public string? None { get; init; }

    public void Write(TextWriter writer)
    {
        if (Rows.Count == 0 && None is not null)
        {
            writer.WriteLine(None);
            return;
        }

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