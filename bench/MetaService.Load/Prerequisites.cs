namespace MetaService.Load;

/// <summary>The programs a suite runs besides .NET, found on <c>PATH</c> before it starts, so that a missing one is
/// one line saying how to install it instead of an exception half way through a run.</summary>
internal static class Prerequisites
{
    private static readonly Dictionary<string, (string Command, string Install)[]> BySuite = new(StringComparer.Ordinal)
    {
        ["reads"] = [("wrk", "apt-get install -y wrk")],
        ["auth"] = [("wrk", "apt-get install -y wrk")],
        ["etcd"] = [("etcd", "apt-get install -y etcd-server")],
    };

    /// <summary>One line per missing program of <paramref name="suite"/>, with how to install it; empty when all are there.</summary>
    public static List<string> Missing(string suite) =>
        [.. BySuite.GetValueOrDefault(suite, [])
            .Where(p => !OnPath(p.Command))
            .Select(p => $"the {suite} suite runs '{p.Command}', which is not on PATH; install it: {p.Install}")];

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, command)));
}