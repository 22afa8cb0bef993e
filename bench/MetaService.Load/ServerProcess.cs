using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace MetaService.Load;

/// <summary>A server under test as its own process (<c>dotnet &lt;dll&gt;</c>, Release) on a loopback port it picks itself
/// (port 0, read back from its "Now listening on" line, so no other process can take the port in between).</summary>
public sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;

    private readonly Stopwatch _sinceStart;

    private ServerProcess(Process process, Uri address, TimeSpan started, Stopwatch sinceStart)
    {
        _process = process;
        Address = address;
        StartedAfter = started;
        _sinceStart = sinceStart;
    }

    public Uri Address { get; }

    /// <summary>From the process start to the first answer of the ready probe.</summary>
    public TimeSpan StartedAfter { get; }

    public int Id => _process.Id;

    /// <summary>From the process start to the first answer of <paramref name="path"/> (now, when it answers at once).</summary>
    public Task<TimeSpan> FirstAnswerAsync(string path) => WaitUntilAnswersAsync(path, _sinceStart);

    /// <summary>The MetaService server built beside this tool, on <paramref name="dataDirectory"/>; ready when
    /// <paramref name="readyPath"/> answers 200. Without the request rate and the function count limits: the suites
    /// measure what the server can do, from one caller and one tenant.</summary>
    public static Task<ServerProcess> StartMetaAsync(string dataDirectory, string readyPath = "/healthz", params string[] extra) =>
        StartAsync(typeof(MetaService.Server.Functions.FunctionsApi).Assembly.Location, readyPath, ["--data-dir", dataDirectory, "--Logging:LogLevel:Default", "Warning", .. Unlimited, .. extra]);

    /// <summary>The same on an https listener with the PEM certificate and key given (<c>Tls:</c> settings).</summary>
    public static Task<ServerProcess> StartMetaHttpsAsync(string dataDirectory, string certificateFile, string keyFile, params string[] extra) =>
        StartAsync(typeof(MetaService.Server.Functions.FunctionsApi).Assembly.Location, "/healthz",
            ["--data-dir", dataDirectory, "--Logging:LogLevel:Default", "Warning", .. Unlimited, "--Tls:CertificateFile", certificateFile, "--Tls:KeyFile", keyFile, .. extra],
            listen: "https://127.0.0.1:0");

    /// <summary>The settings that lift the limits a benchmark would hit (docs/configuration.md, "Limits").</summary>
    public static readonly string[] Unlimited = ["--Limits:RequestsPerSecond", "0", "--Meta:FunctionMax", "0"];

    /// <summary>This tool's own <c>ceiling</c> command: the minimal app that answers fixed bytes.</summary>
    public static Task<ServerProcess> StartCeilingAsync(string bodyFile) =>
        StartAsync(typeof(ServerProcess).Assembly.Location, "/", ["ceiling", "--body", bodyFile]);

    /// <summary>Starts <c>dotnet <paramref name="dll"/></c>, or <paramref name="wrapper"/> with that command appended (a tracer,
    /// say), on a loopback port the server picks (<paramref name="listen"/>: <c>http://127.0.0.1:0</c> unless given).</summary>
    public static async Task<ServerProcess> StartAsync(string dll, string readyPath, string[] arguments, string[]? wrapper = null, string listen = "http://127.0.0.1:0")
    {
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
        foreach (var argument in arguments.Concat(["--urls", listen, "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information"]))
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        DataReceivedEventHandler keep = (_, line) =>
        {
            if (line.Data is not { } text)
            {
                return;
            }

            if (said.Count < 200)
            {
                said.Enqueue(text);
            }

            if (Listening().Match(text) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await ListeningAsync(process, listening.Task, said);
            var server = new ServerProcess(process, address, TimeSpan.Zero, clock);
            var ready = await server.WaitUntilAnswersAsync(readyPath, clock);
            return new ServerProcess(process, address, ready, clock);
        }
        catch
        {
            // A server that never became ready must not outlive the suite.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit();
            process.Dispose();
            throw;
        }
    }

    /// <summary>The address the server bound, from its "Now listening on" line; fails with what it printed when it exits
    /// first or does not listen within two minutes.</summary>
    private static async Task<Uri> ListeningAsync(Process process, Task<Uri> listening, IEnumerable<string> said)
    {
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening, exited, Task.Delay(TimeSpan.FromMinutes(2)));
        if (first == listening)
        {
            return await listening;
        }

        process.WaitForExit();
        var reason = first == exited ? $"exited with code {process.ExitCode}" : "did not listen within 2 minutes";
        throw new InvalidOperationException($"the server {reason}; it printed:\n{string.Join('\n', said)}");
    }

    public HttpClient Client() => new(Handler()) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A handler for this server; over https it takes the server's certificate unchecked (a loopback server of
    /// the suite's own, serving the certificate the suite made).</summary>
    private SocketsHttpHandler Handler() => new()
    {
        MaxConnectionsPerServer = 1024,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => Address.IsLoopback },
    };

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
        using var client = new HttpClient(Handler()) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
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

    /// <summary>Kestrel's line naming the address it bound: "Now listening on: http://127.0.0.1:40123".</summary>
    [GeneratedRegex(@"Now listening on: (?<url>https?://[^\s]+)")]
    private static partial Regex Listening();
}