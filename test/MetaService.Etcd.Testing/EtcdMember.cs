using System.Collections.Concurrent;
using System.Diagnostics;

namespace MetaService.Etcd.Testing;

/// <summary>One etcd process: its name, ports, data directory and the tail of its log.</summary>
/// <remarks>With <paramref name="tls"/>, the client URL is https and clients must present a certificate of its CA.</remarks>
internal sealed class EtcdMember(string binary, string name, string dataDirectory, int clientPort, int peerPort, EtcdCertificates? tls = null, IReadOnlyList<string>? extra = null)
{
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    public string Name => name;

    public string ClientUrl => $"{(tls is null ? "http" : "https")}://127.0.0.1:{clientPort}";

    public string PeerUrl => $"http://127.0.0.1:{peerPort}";

    public bool Running => _process is { HasExited: false };

    /// <summary>Whether the process was started and has ended (not by <see cref="KillAsync"/>, which forgets it).</summary>
    public bool Exited => _process is { HasExited: true };

    /// <summary>The process id while it runs (for CPU accounting by a benchmark).</summary>
    public int? ProcessId => _process?.Id;

    public string Log => $"[{name}]\n" + string.Join("\n", _log);

    /// <summary>Starts the process; <paramref name="initialCluster"/> is null when the data directory already
    /// holds the member (a restart).</summary>
    public void Start(string? initialCluster, string? token)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(initialCluster, token))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    /// <summary>Waits until the exited process's output is read to its end, so that <see cref="Log"/> holds its last lines.</summary>
    public void WaitForExit() => _process?.WaitForExit();

    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    private string[] Arguments(string? initialCluster, string? token)
    {
        string[] common =
        [
            "--name", name, "--data-dir", dataDirectory,
            "--listen-client-urls", ClientUrl, "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", PeerUrl, "--initial-advertise-peer-urls", PeerUrl,
            "--auto-compaction-mode=revision", "--auto-compaction-retention=10000",
            "--logger=zap", "--log-level=warn",
        ];
        string[] security = tls is null
            ? []
            : ["--cert-file", tls.ServerCertFile, "--key-file", tls.ServerKeyFile, "--trusted-ca-file", tls.CaFile, "--client-cert-auth"];
        string[] joining = initialCluster is null
            ? []
            : ["--initial-cluster", initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", token!];
        return [.. common, .. security, .. extra ?? [], .. joining];
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 40 && _log.TryDequeue(out _))
        {
        }
    }
}