using MetaService.Server.Startup;

namespace MetaService.Server.OriginalConfig;

/// <summary>
/// openYuanrong's <c>log.json</c> (<c>-log_config_path</c>): its <c>level</c> becomes the default log level. The rest
/// (file path, rolling, sampling) has no MetaService equivalent: MetaService logs to standard output, which the
/// process deployment already redirects to a file and Kubernetes collects.
/// </summary>
internal sealed class LogFile
{
    private readonly JsonMembers? _json;

    private LogFile(JsonMembers? json, string? note)
    {
        _json = json;
        Note = note;
    }

    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Unused => _json?.Unread() ?? [];

    /// <summary>Said at start, e.g. that the file was missing and the defaults were kept.</summary>
    public string? Note { get; }

    public static LogFile Read(string file)
    {
        // The original starts with its default logger when the file is missing, and so does MetaService.
        if (!File.Exists(file))
        {
            return new LogFile(null, $"{file} (-log_config_path) does not exist; the default log settings are kept, as the original does");
        }

        var json = JsonMembers.Load(file, "-log_config_path");
        var log = new LogFile(json, null);
        if (json.Text("level") is { Length: > 0 } level)
        {
            var mapped = Level(level) ?? throw new SettingsException($"{file}: level '{level}' is unknown: give DEBUG, INFO, WARN, ERROR or FATAL");
            log.Settings["Logging:LogLevel:Default"] = mapped;

            // The start-up lines name the store and the listen address: kept whatever the level, as the original prints them.
            log.Settings["Logging:LogLevel:" + StartupLog.Category] = mapped is "Trace" or "Debug" ? mapped : "Information";
        }

        return log;
    }

    /// <summary>zap's level names, as openYuanrong writes them.</summary>
    private static string? Level(string level) => level.ToUpperInvariant() switch
    {
        "DEBUG" => "Debug",
        "INFO" => "Information",
        "WARN" or "WARNING" => "Warning",
        "ERROR" => "Error",
        "DPANIC" or "PANIC" or "FATAL" => "Critical",
        _ => null,
    };
}