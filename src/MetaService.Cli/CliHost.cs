using System.Security.Cryptography.X509Certificates;

using MetaService.Cli.Contexts;

namespace MetaService.Cli;

/// <summary>What the CLI talks to: its output streams, the environment, and how it reaches a server (trusting only the
/// given CA certificates for https, when given). The program uses the process's; tests pass their own writers and an
/// in-process server's handler.</summary>
internal sealed record CliHost(TextWriter Out, TextWriter Error, Func<string, string?> Variable, Func<Uri, X509Certificate2Collection?, HttpClient> Http)
{
    public static CliHost Process() => new(
        Console.Out,
        Console.Error,
        Environment.GetEnvironmentVariable,
        (server, authorities) => new HttpClient(PrivateCa.Handler(authorities)) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) });
}

/// <summary>The documented exit codes of <c>yrmeta</c>.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The server refused the request (an error answer with a code).</summary>
    public const int Refused = 1;

    /// <summary>The command line or a spec file is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached (connection refused, DNS, timeout).</summary>
    public const int Unreachable = 3;

    /// <summary>The server answered something that is not the meta_service wire contract.</summary>
    public const int BadAnswer = 4;
}