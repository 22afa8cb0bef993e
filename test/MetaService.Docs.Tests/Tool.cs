using System.Diagnostics;

namespace MetaService.Docs.Tests;

/// <summary>What a command-line tool printed and returned.</summary>
public sealed record ToolRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit code {ExitCode}\n--- standard output\n{Out}\n--- standard error\n{Error}";
}

/// <summary>Runs the tools a reader of the docs runs (bash, httpyac), and finds the repository's files.</summary>
public static class Tool
{
    public static string RepositoryRoot { get; } = FindRoot(AppContext.BaseDirectory);

    /// <summary>The path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    public static async Task<ToolRun> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, string? standardInput = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput);
                process.StandardInput.Close();
            }

            // A guard against a hang (a tool waiting for input), not a timed assertion.
            await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
            return new ToolRun(process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string FindRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MetaService.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no MetaService.slnx above {start}");
    }
}