using System.Diagnostics;

namespace MetaService.Console.Tests;

/// <summary>The built <c>yrmeta</c> (copied beside the tests) run as its own process, with a home of its own so no saved
/// context of the machine's user is read; its exit code and what it printed.</summary>
public static class Yrmeta
{
    public static async Task<(int Code, string Output)> RunAsync(params string[] arguments)
    {
        var home = Directory.CreateTempSubdirectory("metaservice-yrmeta-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["HOME"] = home;
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "yrmeta.dll"));
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("yrmeta did not finish within a minute");
            }

            return (process.ExitCode, await output + await error);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}