namespace MetaService.Server;

/// <summary>
/// The short command-line switches, expanded to configuration keys before the host reads the arguments.
/// Matched exactly (not case-insensitively like configuration switch mappings), so that a generated
/// <c>--Store=…</c> argument is not taken for <c>--store</c>. Every other setting is <c>--Section:Key value</c>.
/// </summary>
internal static class CommandLineSwitches
{
    private static readonly Dictionary<string, string> Map = new(StringComparer.Ordinal)
    {
        ["--data-dir"] = "--Store:DataDirectory",
        ["--store"] = "--Store:Kind",
    };

    public static string[] Expand(string[] args) => [.. args.Select(Expand)];

    private static string Expand(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? arg : arg[..equals];
        return Map.TryGetValue(name, out var key) ? key + (equals < 0 ? "" : arg[equals..]) : arg;
    }
}