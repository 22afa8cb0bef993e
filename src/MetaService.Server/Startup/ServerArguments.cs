namespace MetaService.Server.Startup;

/// <summary>
/// The server's command line before the host reads it: <c>--help</c> prints the usage and exits 0; a switch that is
/// neither one of the server's own, nor a host setting, nor a <c>--Section:Key</c> setting, and a stray word, stop the
/// start with one line and exit code 2 (the configuration reader would ignore them, so <c>--prot 8080</c> would start
/// on the default port).
/// </summary>
internal static class ServerArguments
{
    public const string Usage = """
        MetaService.Server [switches] [--Section:Key value ...]
        MetaService.Server backup|restore|copy --help

        The function metadata service (openYuanrong's meta_service API) on the embedded store or etcd.

          --urls URL[;URL]           where to listen (default http://127.0.0.1:31182; https:// needs
                                     --Tls:CertificateFile FILE --Tls:KeyFile FILE, PEM)
          --data-dir DIR             the embedded store's directory (default ./data, from the working directory)
          --store sqlite|etcd        the metadata store (default sqlite)
          --etcd-endpoints A[,B]     etcd client URLs, with --store etcd
          -config_path FILE          start from openYuanrong's meta_service config.json (also --config_path, =FILE)
          -log_config_path FILE      openYuanrong's log.json
          --Section:Key value        any setting, e.g. --Meta:VersionMax 16 (docs/configuration.md lists them)
          --help                     this text

        Settings are also read from appsettings.json beside the program and from environment variables
        (Meta__VersionMax=16). Exit codes: 0 stopped, 1 a setting is wrong (one line says which), 2 a wrong switch.
        """;

    /// <summary>Host settings taken as plain switches (<c>--urls</c>), besides <c>--Section:Key</c> ones.</summary>
    private static readonly HashSet<string> HostKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "urls", "environment", "contentRoot", "applicationName", "AllowedHosts", "http_ports", "https_ports", "webroot",
        "detailedErrors", "shutdownTimeoutSeconds", "preventHostingStartup", "hostingStartupAssemblies", "hostingStartupExcludeAssemblies",
    };

    /// <summary>The exit code when the command line is answered here (help, a wrong switch); null to start the server.</summary>
    public static int? Answer(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Any(a => a is "--help" or "-help" or "-h" or "-?"))
        {
            output.WriteLine(Usage);
            return 0;
        }

        for (var i = 0; i < args.Length; i++)
        {
            var equals = args[i].IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? args[i] : args[i][..equals];
            if (!Known(name))
            {
                error.WriteLine(name.StartsWith('-')
                    ? $"MetaService: unknown switch '{name}'; settings are --Section:Key value, and --help lists the switches"
                    : $"MetaService: unexpected argument '{name}'; --help lists the switches and commands");
                return 2;
            }

            // A switch without '=' takes the next argument as its value.
            i += equals < 0 ? 1 : 0;
        }

        return null;
    }

    private static bool Known(string name) =>
        CommandLineSwitches.Names.Contains(name)
        || (name.StartsWith("--", StringComparison.Ordinal) && name.Length > 2 && (name.Contains(':', StringComparison.Ordinal) || HostKeys.Contains(name[2..])));
}