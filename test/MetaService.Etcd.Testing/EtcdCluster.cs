using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace MetaService.Etcd.Testing;

/// <summary>
/// Real etcd members for tests: the Debian <c>etcd</c> binary started on free loopback ports with data in
/// a temporary directory, killed and deleted on dispose. One member or a cluster of several.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private const int StartAttempts = 5;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly EtcdMember[] _members;
    private readonly string _directory;
    private readonly HttpClient _http;

    private EtcdCluster(EtcdMember[] members, string directory, EtcdCertificates? certificates)
    {
        _members = members;
        _directory = directory;
        Certificates = certificates;
        _http = certificates is null ? Http : TlsHttp(certificates);
    }

    /// <summary>The test PKI of a TLS cluster (https client URLs, client certificates required); null: plain http.</summary>
    public EtcdCertificates? Certificates { get; }

    /// <summary>The client URLs, one per member.</summary>
    public IReadOnlyList<string> ClientUrls => [.. _members.Select(m => m.ClientUrl)];

    public int Count => _members.Length;

    /// <summary>The process id of each running member.</summary>
    public IReadOnlyList<int> ProcessIds => [.. _members.Select(m => m.ProcessId).OfType<int>()];

    /// <summary>Starts <paramref name="size"/> members and waits until the cluster has a leader.</summary>
    public static Task<EtcdCluster> StartAsync(int size = 1, CancellationToken cancellationToken = default) =>
        StartAsync(size, tls: false, cancellationToken);

    /// <summary>Starts <paramref name="size"/> members; with <paramref name="tls"/>, their client URLs are https
    /// with certificates made by openssl in the cluster's directory (see <see cref="Certificates"/>), and clients
    /// must present a certificate.</summary>
    public static Task<EtcdCluster> StartAsync(int size, bool tls, CancellationToken cancellationToken) =>
        StartAsync(size, tls, [], cancellationToken);

    /// <summary>As above, each member started with <paramref name="extraArguments"/> besides (e.g. <c>--max-txn-ops=4</c>).</summary>
    /// <remarks>etcd cannot listen on port 0 and say where (its peers must know each other's URLs first), so the ports are
    /// picked free and then bound by etcd: another process may take one in between. A member that then exits saying its
    /// address is in use makes the whole cluster start again on other ports, in fresh directories, up to five times.</remarks>
    public static async Task<EtcdCluster> StartAsync(int size, bool tls, IReadOnlyList<string> extraArguments, CancellationToken cancellationToken)
    {
        var binary = FindEtcd();
        var directory = Path.Combine(Path.GetTempPath(), "metaservice-etcd-" + Guid.NewGuid().ToString("N")[..8]);
        EtcdCertificates? certificates = null;
        try
        {
            certificates = tls ? await EtcdCertificates.CreateAsync(Path.Combine(directory, "pki"), cancellationToken) : null;
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }

        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePorts(size * 2);
            var token = "t" + Guid.NewGuid().ToString("N")[..8];
            var members = Enumerable.Range(0, size)
                .Select(i => new EtcdMember(binary, $"m{i}", Path.Combine(directory, $"a{attempt}-m{i}"), ports[i * 2], ports[(i * 2) + 1], certificates, extraArguments))
                .ToArray();
            var initialCluster = string.Join(",", members.Select(m => $"{m.Name}={m.PeerUrl}"));
            var cluster = new EtcdCluster(members, directory, certificates);
            try
            {
                foreach (var member in members)
                {
                    member.Start(initialCluster, token);
                }

                await cluster.WaitHealthyAsync(everyMember: true, cancellationToken);
                return cluster;
            }
            catch (PortTakenException) when (attempt < StartAttempts)
            {
                await cluster.KillMembersAsync();
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>The index of the member that is the raft leader (asked through etcd's JSON gateway).</summary>
    public async Task<int> FindLeaderAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _members.Length; i++)
        {
            if (!_members[i].Running)
            {
                continue;
            }

            using var content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(new Uri(_members[i].ClientUrl + "/v3/maintenance/status"), content, cancellationToken);
            using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var self = status.RootElement.GetProperty("header").GetProperty("member_id").GetString();
            if (self == status.RootElement.GetProperty("leader").GetString())
            {
                return i;
            }
        }

        throw new InvalidOperationException("no running etcd member is the leader");
    }

    /// <summary>Creates the user <c>root</c> with <paramref name="rootPassword"/> and turns etcd authentication on.</summary>
    public async Task EnableAuthAsync(string rootPassword, CancellationToken cancellationToken)
    {
        await EtcdctlAsync(["user", "add", "root:" + rootPassword], cancellationToken);
        await EtcdctlAsync(["auth", "enable"], cancellationToken);
    }

    /// <summary>Runs <c>etcdctl</c> (API v3) against the members, with the client certificate of a TLS cluster;
    /// returns its output.</summary>
    public Task<string> EtcdctlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        string[] connection = ["--endpoints", string.Join(",", ClientUrls), "--dial-timeout", "5s", "--command-timeout", "10s"];
        string[] tls = Certificates is { } pki ? ["--cacert", pki.CaFile, "--cert", pki.ClientCertFile, "--key", pki.ClientKeyFile] : [];
        return Tools.RunAsync(Find("etcdctl", "etcd-client"), [.. connection, .. tls, .. arguments], workingDirectory: null, cancellationToken);
    }

    /// <summary>Kills a member at once (SIGKILL), as a crash would.</summary>
    public Task KillAsync(int member) => _members[member].KillAsync();

    /// <summary>Sends a running member <paramref name="signal"/> (a name <c>kill</c> knows: <c>STOP</c> pauses it with its
    /// connections open, answering nothing, as a hung process; <c>CONT</c> resumes it; <c>TERM</c> stops it as an
    /// operator would).</summary>
    public Task SignalAsync(int member, string signal, CancellationToken cancellationToken) =>
        Tools.RunAsync(
            Find("kill", "procps"),
            ["-" + signal, $"{_members[member].ProcessId ?? throw new InvalidOperationException($"etcd member {member} is not running")}"],
            workingDirectory: null,
            cancellationToken);

    /// <summary>Starts a killed member again on its data directory and waits until the cluster is healthy.</summary>
    public async Task RestartAsync(int member, CancellationToken cancellationToken)
    {
        _members[member].Start(initialCluster: null, token: null);
        await WaitHealthyAsync(everyMember: false, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await KillMembersAsync();
        if (!ReferenceEquals(_http, Http))
        {
            _http.Dispose();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task KillMembersAsync()
    {
        foreach (var member in _members)
        {
            await member.KillAsync();
        }
    }

    /// <summary>Waits until every running member answers healthy; with <paramref name="everyMember"/> (a start), a member
    /// that exited fails the start at once, with <see cref="PortTakenException"/> when its address was in use.</summary>
    private async Task WaitHealthyAsync(bool everyMember, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(StartTimeout);
        while (true)
        {
            if (everyMember && _members.FirstOrDefault(m => m.Exited) is { } exited)
            {
                exited.WaitForExit();
                throw exited.Log.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                    ? new PortTakenException($"etcd member {exited.Name} found a port taken; its log:\n{exited.Log}")
                    : new InvalidOperationException($"etcd member {exited.Name} exited during start; its log:\n{exited.Log}");
            }

            var running = _members.Where(m => m.Running).ToList();
            var healthy = 0;
            foreach (var member in running)
            {
                healthy += await IsHealthyAsync(_http, member, cancellationToken) ? 1 : 0;
            }

            if (healthy == running.Count && healthy > 0)
            {
                return;
            }

            if (patience.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException($"etcd did not become healthy within {StartTimeout.TotalSeconds} s; its log:\n"
                    + string.Join("\n", _members.Select(m => m.Log)));
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task<bool> IsHealthyAsync(HttpClient http, EtcdMember member, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(member.ClientUrl + "/health"), cancellationToken);
            return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(cancellationToken)).Contains("\"true\"", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string FindEtcd() => Find("etcd", "etcd-server");

    private static string Find(string tool, string package)
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, tool))
            .Append("/usr/bin/" + tool);
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"{tool} is not installed ({package}), so the etcd tests cannot run it: run `apt-get install -y etcd-server etcd-client` "
                + "(./scripts/test.sh does this when etcd is missing)");
    }

    /// <summary>An HTTP client that trusts only the test CA and presents the client certificate.</summary>
    private static HttpClient TlsHttp(EtcdCertificates pki)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(pki.CaFile);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(pki.ClientCertFile, pki.ClientKeyFile)];
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(ca);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
    }

    /// <summary>A port picked for a member was taken before the member bound it.</summary>
    private sealed class PortTakenException(string message) : Exception(message);

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}