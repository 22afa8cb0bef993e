namespace MetaService.Server;

/// <summary>The short command-line switches; every other setting is <c>--Section:Key value</c>.</summary>
internal static class CommandLineSwitches
{
    public static Dictionary<string, string> Map { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--data-dir"] = "Store:DataDirectory",
        ["--store"] = "Store:Kind",
    };
}