using System.Diagnostics;

namespace MetaService.Server.Tests;

/// <summary>The system tools some tests run (<c>strace</c>, <c>pkill</c>); scripts/test.sh installs them.</summary>
internal static class SystemTools
{
    private static readonly string[] Directories = ["/usr/bin/", "/bin/", "/usr/local/bin/"];

    /// <summary>A system tool's path; a missing one fails the test with how to install it.</summary>
    public static string Path(string name) =>
        Directories.Select(d => d + name).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{name} is not installed: ./scripts/test.sh installs it (apt-get install strace procps)");

    /// <summary>Runs a program to its end (at most <paramref name="limit"/>); its exit code.</summary>
    public static async Task<int> RunAsync(string program, IEnumerable<string> arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        stop.CancelAfter(limit);
        var output = process.StandardOutput.ReadToEndAsync(stop.Token);
        var error = process.StandardError.ReadToEndAsync(stop.Token);
        await process.WaitForExitAsync(stop.Token);
        await Task.WhenAll(output, error);
        return process.ExitCode;
    }
}