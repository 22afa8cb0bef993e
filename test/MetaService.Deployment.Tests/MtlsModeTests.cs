using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace MetaService.Deployment.Tests;

/// <summary>
/// <c>--Auth:Mode token,mtls</c> over https: client certificates of the CA of <c>Auth:Mtls:CaFile</c> are callers,
/// tenant from <c>O</c> and role from <c>OU</c> (the defaults); a certificate of another CA, an expired one, one that
/// names no role, and none at all answer 401 with a <c>{code, message}</c> body, while <c>/healthz</c> and bearer tokens
/// work without a certificate. Real handshakes with certificates made here.
/// </summary>
public sealed class MtlsModeTests(MtlsModeTests.Server server) : IClassFixture<MtlsModeTests.Server>
{
    private const string Functions = "/serverless/v1/functions";

    [Fact]
    public async Task EditorCertificate_WritesAndReadsItsTenant()
    {
        using var http = server.Http(server.Pki.Client("CN=ci, O=alice, OU=editor"));
        var name = Http.Name();

        var (created, _) = await http.SendAsync(HttpMethod.Post, Functions, Http.Function(name));
        var (read, body) = await http.SendAsync(HttpMethod.Get, $"{Functions}/{name}");

        Assert.Equal(HttpStatusCode.OK, created);
        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal("alice", (string?)body!["function"]!["tenantId"]);
    }

    [Fact]
    public async Task CertificateOfTheIntermediateInTheCaFile_IsACaller()
    {
        using var http = server.Http(server.Pki.Client("CN=ci, O=carol, OU=admin", issuer: server.Pki.Intermediate));

        var (read, _) = await http.SendAsync(HttpMethod.Get, Functions);

        Assert.Equal(HttpStatusCode.OK, read);
    }

    [Fact]
    public async Task ViewerCertificate_Reads_ButAWriteIs403()
    {
        using var http = server.Http(server.Pki.Client("CN=dashboard, O=alice, OU=viewer"));

        var (read, _) = await http.SendAsync(HttpMethod.Get, Functions);
        var (write, body) = await http.SendAsync(HttpMethod.Post, Functions, Http.Function(Http.Name()));

        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal(HttpStatusCode.Forbidden, write);
        Assert.Equal(190403, (int)body!["code"]!);
        Assert.Contains("role editor is required; this credential has role viewer", (string?)body["message"], StringComparison.Ordinal);
    }

    public static TheoryData<string, string> RefusedCertificates => new()
    {
        { "foreign", "the client certificate is not signed by the CA of Auth:Mtls:CaFile" },
        { "expired", "the client certificate is not valid now" },
        { "no role", "the client certificate names no role (viewer, editor or admin) in OU (Auth:Mtls:RoleFrom)" },
        { "none", "a credential is required: Authorization: Bearer <API token> or a client certificate of the CA of Auth:Mtls:CaFile" },
    };

    [Theory]
    [MemberData(nameof(RefusedCertificates))]
    public async Task CertificateThatProvesNothing_Is401_WithABody_AndWritesNothing(string kind, string message)
    {
        var pki = server.Pki;
        var certificate = kind switch
        {
            "foreign" => pki.Client("CN=intruder, O=alice, OU=admin", issuer: pki.Foreign),
            "expired" => pki.Client("CN=old, O=alice, OU=admin", fromDays: -3, toDays: -1),
            "no role" => pki.Client("CN=nobody, O=alice"),
            _ => null,
        };
        using var http = server.Http(certificate);
        var name = Http.Name();

        var (status, body) = await http.SendAsync(HttpMethod.Post, Functions, Http.Function(name));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(190401, (int)body!["code"]!);
        Assert.Contains(message, (string?)body["message"], StringComparison.Ordinal);
        using var admin = server.Http(pki.Client("CN=operator, O=default, OU=admin"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(HttpMethod.Get, $"{Functions}/{name}")).Status);
    }

    [Fact]
    public async Task WithoutACertificate_HealthzAnswers_AndABearerTokenIsACaller()
    {
        using var anonymous = server.Http(null);
        using var bearer = new HttpClient(server.Pki.Handler()) { BaseAddress = server.Listening };
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await File.ReadAllTextAsync(server.TokenFile, TestContext.Current.CancellationToken));

        var (health, _) = await anonymous.SendAsync(HttpMethod.Get, "/healthz");
        using var list = await bearer.GetAsync(new Uri(Functions, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task UriSans_GiveTenantRoleAndProduct_WhereTheSettingsSay()
    {
        var data = Tools.NewDirectory();
        try
        {
            await using var uris = ChildServer.Start(
            [
                "--data-dir", data, "--urls", "https://127.0.0.1:0",
                "--Tls:CertificateFile", server.Pki.CertificateFile, "--Tls:KeyFile", server.Pki.KeyFile,
                "--Auth:Mode", "mtls", "--Auth:Mtls:CaFile", server.Pki.CaFile,
                "--Auth:Mtls:TenantFrom", "SAN:URI:/tenant/", "--Auth:Mtls:RoleFrom", "SAN:URI:/role/", "--Auth:Mtls:ProductFrom", "SAN:URI:/product/",
            ]);
            using var http = new Http(await uris.ListeningAsync(), server.Pki.Handler(server.Pki.Client("CN=deployer", uri: "spiffe://cluster.local/tenant/bob/role/editor/product/shop")));
            var name = Http.Name();

            var (created, _) = await http.SendAsync(HttpMethod.Post, Functions, Http.Function(name));
            var (read, body) = await http.SendAsync(HttpMethod.Get, $"{Functions}/{name}");

            Assert.Equal(HttpStatusCode.OK, created);
            Assert.Equal(HttpStatusCode.OK, read);
            Assert.Equal("bob", (string?)body!["function"]!["tenantId"]);
            Assert.Equal("shop", (string?)body["function"]!["productId"]);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>One server for the class: https on loopback, modes token and mtls, the test CA as the client CA.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private readonly string _directory = Tools.NewDirectory();
        private TlsCertificates? _pki;
        private ChildServer? _process;
        private Uri? _listening;

        public TlsCertificates Pki => _pki ?? throw new InvalidOperationException("not initialised");

        public Uri Listening => _listening ?? throw new InvalidOperationException("not initialised");

        public string TokenFile => Path.Combine(_directory, "admin.token");

        public async ValueTask InitializeAsync()
        {
            _pki = TlsCertificates.Create(_directory);
            _pki.WriteServer("CN=metaservice-mtls");
            _process = ChildServer.Start(
            [
                "--data-dir", Path.Combine(_directory, "data"), "--urls", "https://127.0.0.1:0",
                "--Tls:CertificateFile", _pki.CertificateFile, "--Tls:KeyFile", _pki.KeyFile,
                "--Auth:Mode", "token,mtls", "--Auth:Mtls:CaFile", _pki.CaFile, "--Auth:BootstrapTokenFile", TokenFile,
            ]);
            _listening = await _process.ListeningAsync();
        }

        /// <summary>A client over https that presents <paramref name="certificate"/> (none when null).</summary>
        public Http Http(X509Certificate2? certificate) => new(Listening, Pki.Handler(certificate));

        public async ValueTask DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }

            Directory.Delete(_directory, recursive: true);
        }
    }
}