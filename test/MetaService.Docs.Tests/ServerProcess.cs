using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MetaService.Docs.Tests;

/// <summary>
/// The built server as its own process, as a reader starts it: <c>dotnet MetaService.Server.dll --urls …
/// --data-dir …</c>, on a free loopback port and a fresh data directory, both gone when it is disposed.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int Attempts = 5;
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
        for (var attempt = 1; ; attempt++)
        {
            // Another process may take the port between the probe and the server's bind: a bind
            // failure is retried on a new port; any other failure is the test's.
            var (server, printed) = await TryStartAsync(FreePort(), dataDirectory, cancellationToken);
            if (server is not null)
            {
                return server;
            }

            if (!printed.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || attempt == Attempts)
            {
                Directory.Delete(dataDirectory, recursive: true);
                throw new InvalidOperationException($"the server did not start (attempt {attempt} of {Attempts}); it printed:\n{printed}");
            }
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

    /// <summary>The server once it listens, or what it printed before it exited.</summary>
    private static async Task<(ServerProcess? Server, string Printed)> TryStartAsync(int port, string dataDirectory, CancellationToken cancellationToken)
    {
        var dll = typeof(Program).Assembly.Location;
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "--urls", address.ToString(), "--data-dir", dataDirectory, "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information" })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
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

            if (line.Contains("Now listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the server exited during start-up"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address, dataDirectory, output);
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            return (server, "");
        }
        catch (InvalidOperationException)
        {
            await process.WaitForExitAsync(cancellationToken);
            var printed = server.Output;
            process.Dispose();
            return (null, printed);
        }
        catch
        {
            // Given up on (a hang, the test cancelled): a server that never answered must not outlive the test.
            await server.DisposeAsync();
            throw;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}