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

        // openYuanrong's meta_service flags, in every form Go's flag package accepts (-x, --x, each with "=value" too).
        ["-config_path"] = "--" + OriginalConfig.OriginalConfigRegistration.ConfigPathKey,
        ["--config_path"] = "--" + OriginalConfig.OriginalConfigRegistration.ConfigPathKey,
        ["-log_config_path"] = "--" + OriginalConfig.OriginalConfigRegistration.LogConfigPathKey,
        ["--log_config_path"] = "--" + OriginalConfig.OriginalConfigRegistration.LogConfigPathKey,
    };

    /// <summary>Takes a comma-separated list and becomes one indexed key per item.</summary>
    private const string EtcdEndpoints = "--etcd-endpoints";

    /// <summary>Every switch expanded here.</summary>
    public static IEnumerable<string> Names => Map.Keys.Append(EtcdEndpoints);

    public static string[] Expand(string[] args)
    {
        var expanded = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var equals = args[i].IndexOf('=', StringComparison.Ordinal);
            if ((equals < 0 ? args[i] : args[i][..equals]) != EtcdEndpoints)
            {
                expanded.Add(Expand(args[i]));
                continue;
            }

            var list = equals >= 0 ? args[i][(equals + 1)..] : i + 1 < args.Length ? args[++i] : "";
            var endpoints = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var n = 0; n < endpoints.Length; n++)
            {
                expanded.Add($"--Store:Etcd:Endpoints:{n}");
                expanded.Add(endpoints[n]);
            }
        }

        // With openYuanrong's config file the listeners come from its server section (OriginalConfigRegistration); the web
        // host reads its URLs once, when it is created, so appsettings.json's default URL is cleared here, not later.
        if (expanded.Any(a => a.StartsWith("--" + OriginalConfig.OriginalConfigRegistration.ConfigPathKey, StringComparison.Ordinal))
            && !expanded.Any(a => a.StartsWith("--urls", StringComparison.OrdinalIgnoreCase)))
        {
            expanded.Add("--urls=");
        }

        return [.. expanded];
    }

    private static string Expand(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? arg : arg[..equals];
        return Map.TryGetValue(name, out var key) ? key + (equals < 0 ? "" : arg[equals..]) : arg;
    }
}