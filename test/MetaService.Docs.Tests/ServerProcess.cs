using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace MetaService.Docs.Tests;

/// <summary>
/// The built server as its own process, as a reader starts it: <c>dotnet MetaService.Server.dll --urls …
/// --data-dir …</c>, on a loopback port the server picks itself (port 0, read back from its "Now listening on" line) and
/// a fresh data directory, both gone when it is disposed.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly StringBuilder _output;

    private ServerProcess(Process process, Uri address, string dataDirectory, StringBuilder output)
    {
        _process = process;
        Address = address;
        _dataDirectory = dataDirectory;
        _output = output;
    }

    /// <summary>The base URL, without a trailing slash (as a shell variable would hold it).</summary>
    public Uri Address { get; }

    public string Url => Address.ToString().TrimEnd('/');

    /// <summary>What the server printed so far, for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("metaservice-docs-").FullName;
        try
        {
            return await StartAsync(dataDirectory, cancellationToken);
        }
        catch
        {
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>The server once it listens; fails with what it printed when it exits first or does not listen within two
    /// minutes.</summary>
    private static async Task<ServerProcess> StartAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "--urls", "http://127.0.0.1:0", "--data-dir", dataDirectory, "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information" })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            if (Listening().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the server exited during start-up"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            return new ServerProcess(process, address, dataDirectory, output);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
            string printed;
            lock (output)
            {
                printed = output.ToString();
            }

            process.Dispose();
            throw new InvalidOperationException($"the server did not start ({e.Message}); it printed:\n{printed}", e);
        }
        catch
        {
            // Given up on (the test cancelled): a server that never answered must not outlive the test.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            throw;
        }
    }

    /// <summary>Kestrel's line naming the address it bound: "Now listening on: http://127.0.0.1:40123".</summary>
    [GeneratedRegex(@"Now listening on: (?<url>http://[^\s]+)")]
    private static partial Regex Listening();
}