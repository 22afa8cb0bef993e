using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaService.Cli.Contexts;

/// <summary>A saved way to reach a server: its URL, the tenant, the token and the CA to trust (kubeconfig's context).</summary>
internal sealed record CliContext
{
    public required string Name { get; init; }

    public required string Server { get; init; }

    /// <summary>Empty: no <c>X-Tenant-Id</c> is sent, so the server takes the credential's own tenant.</summary>
    public string Tenant { get; init; } = "";

    public string Token { get; init; } = "";

    public string CaFile { get; init; } = "";
}

/// <summary>
/// The per-user file of <c>yrmeta login</c>: named contexts and the current one, at <c>$YRMETA_CONFIG</c>, else
/// <c>$XDG_CONFIG_HOME/yrmeta/config.json</c>, else <c>~/.config/yrmeta/config.json</c>. It holds tokens, so it is written
/// mode 0600 in a folder made 0700, replaced whole (a new file renamed over the old, so it is never half-written and
/// never readable by others, whatever mode the old one had).
/// </summary>
internal sealed record CliConfig
{
    public string Current { get; init; } = "";

    public List<CliContext> Contexts { get; init; } = [];

    /// <summary>The current context, or null when there is none (no file, or none made current).</summary>
    public CliContext? CurrentContext => Contexts.FirstOrDefault(c => c.Name == Current);

    public static string PathOf(Func<string, string?> variable)
    {
        if (variable("YRMETA_CONFIG") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        var home = variable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(variable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(home, "yrmeta", "config.json");
    }

    /// <summary>The file's contents; an empty configuration when it does not exist.</summary>
    /// <exception cref="UsageException">The file exists but is not a configuration.</exception>
    public static CliConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            return new CliConfig();
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), ConfigJson.Default.CliConfig) ?? new CliConfig();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"the configuration file {path} cannot be read ({e.Message}): fix it, or delete it and log in again");
        }
    }

    public void Save(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        else
        {
            Directory.CreateDirectory(folder);
        }

        try
        {
            using (var file = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(file, this, ConfigJson.Default.CliConfig);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>This configuration with <paramref name="context"/> added (or replacing the one of its name) and made current.</summary>
    public CliConfig With(CliContext context) => new()
    {
        Current = context.Name,
        Contexts = [.. Contexts.Where(c => c.Name != context.Name), context],
    };
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(CliConfig))]
[JsonSerializable(typeof(List<ContextRow>))]
internal sealed partial class ConfigJson : JsonSerializerContext;

/// <summary>A context as <c>yrmeta context list</c> shows it: never its token.</summary>
internal sealed record ContextRow(string Name, string Server, string Tenant, string CaFile, bool Current);