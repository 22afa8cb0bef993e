using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MetaService.Deployment.Tests;

/// <summary><c>mutualSSLConfig</c> with <c>sslEnable</c>: https from the module certificate and key, callers must present a
/// certificate signed by <c>rootCAFile</c> (real TLS handshakes), and the original's TLS health port answers probes
/// without one.</summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private readonly string _directory = Tools.NewDirectory();
    private int _healthPort;
    private TestPki? _pki;
    private ChildServer? _server;
    private Uri? _listening;

    private TestPki Pki => _pki ?? throw new InvalidOperationException("not initialised");

    private Uri Listening => _listening ?? throw new InvalidOperationException("not initialised");

    private ChildServer Server => _server ?? throw new InvalidOperationException("not initialised");

    public async ValueTask InitializeAsync()
    {
        _pki = TestPki.Create(_directory);
        (_server, _listening, _) = await ChildServer.StartOnFreePortAsync(port =>
        {
            _healthPort = Tools.FreePort();
            return ChildServer.Start(["-config_path", Config(port), "--Original:TlsHealthPort", _healthPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        });
    }

    private string Config(int port)
    {
        var etcd = OriginalFiles.HostPort(SharedEtcd.Cluster.ClientUrls[0]);
        var values = OriginalFiles.ProcessValues(etcd, etcd, "az-tls", port);
        values["metaserviceSslEnable"] = "true";
        values["rootCAFile"] = Pki.CaFile;
        values["moduleCertFile"] = Pki.ModuleCertFile;
        values["moduleKeyFile"] = Pki.ModuleKeyFile;
        return OriginalFiles.Render("process-config.json", _directory, values);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task CallerWithACertificateOfTheRootCa_IsServed_OverHttps()
    {
        using var http = new Http(Listening, Handler(Pki.Client));

        var (health, _) = await http.SendAsync(HttpMethod.Get, "/healthz");
        var (created, _) = await http.SendAsync(HttpMethod.Post, "/serverless/v1/functions", Http.Function(Http.Name(), runtime: "python3.10"));

        Assert.Equal("https", Listening.Scheme);
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Equal(HttpStatusCode.OK, created);
        Assert.DoesNotContain(Server.Output, l => l.Contains("authentication is off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallerWithoutACertificate_IsRefusedInTheHandshake()
    {
        using var http = new Http(Listening, Handler(null));

        var refused = await Record.ExceptionAsync(() => http.SendAsync(HttpMethod.Get, "/healthz"));

        Assert.IsType<HttpRequestException>(refused);
    }

    [Fact]
    public async Task CallerWithACertificateOfAnotherCa_IsRefusedInTheHandshake()
    {
        using var http = new Http(Listening, Handler(Pki.Stranger));

        var refused = await Record.ExceptionAsync(() => http.SendAsync(HttpMethod.Get, "/healthz"));

        Assert.IsType<HttpRequestException>(refused);
    }

    [Fact]
    public async Task HealthPort_AnswersProbesWithoutACertificate_AndNothingElse()
    {
        using var http = new Http(new Uri($"https://127.0.0.1:{_healthPort}"), Handler(null));

        var (health, body) = await http.SendAsync(HttpMethod.Get, "/healthz");
        var (functions, refusal) = await http.SendAsync(HttpMethod.Get, "/serverless/v1/functions");

        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Equal("ok", (string?)body!["status"]);
        Assert.Equal(HttpStatusCode.NotFound, functions);
        Assert.Equal(404, (int)refusal!["code"]!);
    }

    /// <summary>A client that trusts only the test CA for the server, and presents <paramref name="certificate"/> when given.</summary>
    private SocketsHttpHandler Handler(X509Certificate2? certificate) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = certificate is null ? null : [certificate],
            RemoteCertificateValidationCallback = (_, server, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(Pki.Ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return server is X509Certificate2 presented && chain.Build(presented);
            },
        },
    };
}