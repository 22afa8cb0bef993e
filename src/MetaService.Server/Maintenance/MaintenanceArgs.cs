namespace MetaService.Server.Maintenance;

/// <summary>The options of one maintenance command: <c>--name value</c>, <c>--name=value</c>, and flags. Parsed by hand:
/// three commands of a few options each do not earn the server a command-line library.</summary>
internal sealed class MaintenanceArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private MaintenanceArgs()
    {
    }

    public bool Help => _flags.Contains("--help");

    /// <summary>Parses <paramref name="args"/> (the command's, after its name) against the options it knows; null and
    /// <paramref name="problem"/> on an unknown option or a missing value.</summary>
    public static MaintenanceArgs? Parse(IReadOnlyList<string> args, IReadOnlySet<string> options, IReadOnlySet<string> flags, out string? problem)
    {
        var parsed = new MaintenanceArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                parsed._flags.Add("--help");
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            if (flags.Contains(name) && equals < 0)
            {
                parsed._flags.Add(name);
            }
            else if (options.Contains(name))
            {
                if (equals < 0 && i + 1 >= args.Count)
                {
                    problem = $"{name} needs a value";
                    return null;
                }

                parsed._values[name] = equals >= 0 ? arg[(equals + 1)..] : args[++i];
            }
            else
            {
                problem = $"unknown option '{arg}'";
                return null;
            }
        }

        problem = null;
        return parsed;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Value(string name) => _values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}