using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MetaService.Load;

/// <summary>A server under test as its own process (<c>dotnet &lt;dll&gt;</c>, Release) on a free loopback port.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address, TimeSpan started)
    {
        _process = process;
        Address = address;
        StartedAfter = started;
    }

    public Uri Address { get; }

    /// <summary>From the process start to the first answer of the ready probe.</summary>
    public TimeSpan StartedAfter { get; }

    public int Id => _process.Id;

    /// <summary>The MetaService server built beside this tool, on <paramref name="dataDirectory"/>; ready when
    /// <paramref name="readyPath"/> answers 200.</summary>
    public static Task<ServerProcess> StartMetaAsync(string dataDirectory, string readyPath = "/healthz", params string[] extra) =>
        StartAsync(typeof(MetaService.Server.Functions.FunctionsApi).Assembly.Location, readyPath, ["--data-dir", dataDirectory, "--Logging:LogLevel:Default", "Warning", .. extra]);

    /// <summary>This tool's own <c>ceiling</c> command: the minimal app that answers fixed bytes.</summary>
    public static Task<ServerProcess> StartCeilingAsync(string bodyFile) =>
        StartAsync(typeof(ServerProcess).Assembly.Location, "/", ["ceiling", "--body", bodyFile]);

    /// <summary>Starts <c>dotnet <paramref name="dll"/></c>, or <paramref name="wrapper"/> with that command appended (a tracer,
    /// say), on a free loopback port.</summary>
    public static async Task<ServerProcess> StartAsync(string dll, string readyPath, string[] arguments, string[]? wrapper = null)
    {
        // A free port is picked, released, then bound by the server: another process may take it in between. The
        // server then stops at once saying so, and starts again on another port (a few times at most).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortAsync(dll, readyPath, arguments, wrapper);
            }
            catch (PortTakenException) when (attempt < 5)
            {
            }
        }
    }

    private static async Task<ServerProcess> StartOnFreePortAsync(string dll, string readyPath, string[] arguments, string[]? wrapper)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(wrapper is { Length: > 0 } ? wrapper[0] : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var part in wrapper is { Length: > 0 } ? [.. wrapper[1..], "dotnet"] : Array.Empty<string>())
        {
            start.ArgumentList.Add(part);
        }

        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString());
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        DataReceivedEventHandler keep = (_, line) =>
        {
            if (line.Data is { } text && said.Count < 200)
            {
                said.Enqueue(text);
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address, TimeSpan.Zero);
        try
        {
            var ready = await server.WaitUntilAnswersAsync(readyPath, clock);
            return new ServerProcess(process, address, ready);
        }
        catch (InvalidOperationException) when (process.HasExited)
        {
            // The parameterless wait also waits for the last of its output.
            process.WaitForExit();
            server.Dispose();
            if (said.Any(l => l.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))
            {
                throw new PortTakenException();
            }

            throw;
        }
        catch
        {
            // A server that never became ready must not outlive the suite.
            server.Dispose();
            throw;
        }
    }

    public HttpClient Client() => new(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Resident set size, from procfs.</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>Waits (bounded) for the process to end by itself, e.g. after its child was stopped.</summary>
    public bool WaitForExit(TimeSpan limit) => _process.WaitForExit(limit);

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private async Task<TimeSpan> WaitUntilAnswersAsync(string path, Stopwatch clock)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited during start-up with code {_process.ExitCode}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }

        throw new TimeoutException($"{path} did not answer 200 within 120 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The port picked for the server was taken before it bound it.</summary>
    private sealed class PortTakenException : Exception;
}