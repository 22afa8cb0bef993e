using System.Globalization;

namespace MetaService.Load;

/// <summary>The one table a suite prints: each figure beside the baseline measured in the same run.</summary>
internal sealed class Table(string title)
{
    private readonly List<string[]> _rows = [];

    public void Add(string id, string figure, string measured, string baseline, string ratio, string target, string met) =>
        _rows.Add([id, figure, measured, baseline, ratio, target, met]);

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"## {title}");
        output.WriteLine();
        output.WriteLine("| # | figure | measured (median) | baseline (same run) | ratio | target | met |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: | --- | --- |");
        foreach (var row in _rows)
        {
            output.WriteLine("| " + string.Join(" | ", row) + " |");
        }
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture) + "/s";

    public static string Ms(double milliseconds) => milliseconds.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    public static string Runs(IEnumerable<double> values, Func<double, string> format) => string.Join(", ", values.Select(format));

    public static string Met(bool met) => met ? "yes" : "**no**";
}