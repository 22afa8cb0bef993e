using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MetaService.Deployment.Tests;

/// <summary>
/// The server as the platform starts it: its own process (<c>dotnet MetaService.Server.dll</c> with the given flags),
/// every line of its standard output and error kept. Killed on dispose.
/// </summary>
public sealed partial class ChildServer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly SemaphoreSlim _changed = new(0);

    private ChildServer(Process process) => _process = process;

    public IReadOnlyCollection<string> Output => _output;

    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>The process's output as one text, for assertions on what it printed.</summary>
    public string OutputText => string.Join('\n', _output);

    /// <summary>Starts the server with <paramref name="arguments"/> and extra environment, in the test's folder (the
    /// program's) unless <paramref name="workingDirectory"/> is given; does not wait.</summary>
    public static ChildServer Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? program = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program ?? "dotnet")
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (program is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MetaService.Server.dll"));
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Each test decides where the server listens and what it logs; nothing leaks in from the test runner.
        start.Environment.Remove("POD_IP");
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var server = new ChildServer(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        server._process.OutputDataReceived += (_, e) => server.Add(server._output, e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Add(server._errors, e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Starts the server with the port <paramref name="start"/> writes into its settings and waits for its start
    /// line. The port is picked free and then bound by the server, so another process may take it in between: a server
    /// that exits saying its address is in use is started again on another port, up to five times.</summary>
    public static async Task<(ChildServer Server, Uri Listening, int Port)> StartOnFreePortAsync(Func<int, ChildServer> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = Tools.FreePort();
            var server = start(port);
            try
            {
                return (server, await server.ListeningAsync(), port);
            }
            catch (InvalidOperationException) when (attempt < 5 && server.Said("address already in use"))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Waits for the start line and answers the first URL it names.</summary>
    public async Task<Uri> ListeningAsync()
    {
        var line = await WaitForAsync(l => l.Contains(", listening on ", StringComparison.Ordinal));
        return new Uri(Listening().Match(line).Groups["url"].Value);
    }

    /// <summary>Waits until a line of standard output satisfies <paramref name="match"/>; fails when the process exits first.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Patience);
        while (true)
        {
            if (_output.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_process.HasExited)
            {
                _process.WaitForExit();
                if (_output.FirstOrDefault(match) is { } last)
                {
                    return last;
                }

                throw new InvalidOperationException($"the server exited with {_process.ExitCode} before the line came:\n{OutputText}\n{string.Join('\n', _errors)}");
            }

            await _changed.WaitAsync(TimeSpan.FromMilliseconds(200), timeout.Token);
        }
    }

    /// <summary>Waits for the process to end and answers its exit code (all output read).</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as Kubernetes and the process deployment's stop do.</summary>
    public void Terminate() => Tools.Signal(_process.Id, "TERM");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _changed.Dispose();
    }

    /// <summary>Whether a line of its output or errors contains <paramref name="text"/> (any case).</summary>
    private bool Said(string text) => _output.Concat(_errors).Any(l => l.Contains(text, StringComparison.OrdinalIgnoreCase));

    private void Add(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
            _changed.Release();
        }
    }

    [GeneratedRegex(@"listening on (?<url>https?://[^,\s]+)")]
    private static partial Regex Listening();
}