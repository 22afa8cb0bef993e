using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

using MetaService.Server.Tls;
using MetaService.Tests.Pki;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Tests.Tls;

/// <summary>
/// The <c>Tls:</c> settings as <see cref="TlsRegistration.AddTls"/> applies them, on a real Kestrel listener in the
/// test's process (loopback, port 0): which certificate and chain a handshake gets, whether the listener asks for a
/// client certificate, and which settings stop the start, with what message.
/// </summary>
public sealed class TlsListenerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("metaservice-tls-").FullName;
    private readonly TlsCertificates _pki;

    public TlsListenerTests() => _pki = TlsCertificates.Create(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AnHttpsListener_ServesTheFilesCertificate_WithTheChainToTheRoot_OverTls12OrLater_WithoutTakingTheClients()
    {
        var certificate = _pki.WriteServer("CN=listener");
        await using var app = await StartAsync(Files());

        using var client = _pki.Client("CN=client");
        var handshake = await HandshakeAsync(app, client);

        Assert.Equal(certificate.Thumbprint, handshake.Served);
        Assert.True(handshake.Protocol is SslProtocols.Tls12 or SslProtocols.Tls13, handshake.Protocol.ToString());
        Assert.Equal("none", handshake.ClientSeen);
    }

    [Fact]
    public async Task ModeMtls_TakesAnyClientCertificate_InTheHandshake()
    {
        var certificate = _pki.WriteServer("CN=listener");
        await using var app = await StartAsync(Files().Append(new("Auth:Mode", "token,mtls")));

        // A certificate of a CA the server does not know still completes the handshake: the mtls scheme checks it and
        // answers 401 saying why, where a refused handshake would say nothing.
        using var stranger = _pki.Client("CN=stranger", _pki.Foreign);
        var handshake = await HandshakeAsync(app, stranger);

        Assert.Equal(stranger.Thumbprint, handshake.ClientSeen);
        Assert.Equal(certificate.Thumbprint, handshake.Served);
    }

    [Fact]
    public async Task AnHttpsListenerWithoutCertificateFiles_StopsTheStart_NamingTheListenerAndTheSettings()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync([]));

        var problem = Assert.Single(refused.Failures);
        Assert.Equal("the server would listen on https://127.0.0.1:0 but has no certificate: set Tls:CertificateFile and Tls:KeyFile "
            + "(PEM files: the certificate, its intermediates after it, and its key; docs/configuration.md), or listen on http://", problem);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0", "", null)]
    [InlineData("http://127.0.0.1:0 ; HTTPS://127.0.0.1:8443", "", "HTTPS://127.0.0.1:8443")]
    [InlineData("http://127.0.0.1:0;https://[::1]:8443", "", "https://[::1]:8443")]
    [InlineData("https://127.0.0.1:8443;https://127.0.0.1:9443", "", "https://127.0.0.1:8443, https://127.0.0.1:9443")]
    [InlineData("", "8443", "HTTPS_PORTS=8443")]
    [InlineData("http://127.0.0.1:0", "8443", null)]
    public void TheListenersThatNeedACertificate_AreTheHttpsUrls_OrHttpsPortsWhenNoUrlIsSet(string urls, string httpsPorts, string? needs)
    {
        var problems = Check(new() { ["urls"] = urls, ["https_ports"] = httpsPorts });

        if (needs is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.StartsWith($"the server would listen on {needs} but has no certificate:", Assert.Single(problems), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AKestrelEndpoint_OverHttps_NeedsTheFiles_UnlessItHasACertificateOfItsOwn()
    {
        var problems = Check(new()
        {
            ["Kestrel:Endpoints:Plain:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:Secure:Url"] = "https://127.0.0.1:8443",
            ["Kestrel:Endpoints:Own:Url"] = "https://127.0.0.1:9443",
            ["Kestrel:Endpoints:Own:Certificate:Path"] = "own.pfx",
        });

        Assert.StartsWith("the server would listen on https://127.0.0.1:8443 but has no certificate", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void ModeMtls_WithoutAnHttpsListener_IsAProblem_AndWithOne_IsNot()
    {
        Assert.Equal(
            "Auth:Mode includes mtls, which needs an https listener: give an https:// URL in Urls (e.g. --urls https://0.0.0.0:31182) "
            + "with Tls:CertificateFile and Tls:KeyFile (docs/security.md)",
            Assert.Single(Check(new() { ["urls"] = "http://127.0.0.1:0", ["Auth:Mode"] = "mtls" })));
        Assert.Empty(Check(new() { ["urls"] = "http://127.0.0.1:0", ["Auth:Mode"] = "token" }));
        Assert.Empty(Check(new() { ["urls"] = "http://127.0.0.1:0" }));
        _pki.WriteServer("CN=listener");
        Assert.Empty(Check(new() { ["urls"] = "https://127.0.0.1:0", ["Auth:Mode"] = "mtls" }, Files()));
    }

    private IEnumerable<KeyValuePair<string, string?>> Files() =>
        [new("Tls:CertificateFile", _pki.CertificateFile), new("Tls:KeyFile", _pki.KeyFile), new("Tls:ReloadCheckSeconds", "0")];

    /// <summary>What the start would refuse with <paramref name="settings"/> (an empty list: nothing), through the
    /// validators <see cref="TlsRegistration.AddTls"/> registers.</summary>
    private static List<string> Check(Dictionary<string, string?> settings, IEnumerable<KeyValuePair<string, string?>>? more = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(settings.Concat(more ?? []));
        builder.AddTls();
        using var services = builder.Services.BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<TlsOptions>>();
        try
        {
            _ = options.Value;
            return [];
        }
        catch (OptionsValidationException refused)
        {
            return [.. refused.Failures];
        }
    }

    private static async Task<WebApplication> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(settings.Append(new("urls", "https://127.0.0.1:0")));
        builder.Logging.ClearProviders();
        builder.AddTls();
        builder.Services.AddSingleton(TimeProvider.System);
        var app = builder.Build();
        // What the listener took from the client in the handshake: the thumbprint of its certificate, or none.
        app.MapGet("/", (HttpContext context) => "client=" + (context.Connection.ClientCertificate?.Thumbprint ?? "none"));
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private async Task<Handshake> HandshakeAsync(WebApplication app, X509Certificate2 clientCertificate)
    {
        var address = new Uri(app.Urls.Single());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            // Only a server that sends the intermediate after its certificate passes: the client trusts the root alone.
            RemoteCertificateValidationCallback = (_, presented, sent, _) => _pki.ChainsToRoot(presented, sent),
            ClientCertificates = [clientCertificate],
        }, TestContext.Current.CancellationToken);

        await tls.WriteAsync("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(tls);
        var status = await reader.ReadLineAsync(TestContext.Current.CancellationToken);
        Assert.Equal("HTTP/1.1 200 OK", status);
        var body = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        return new Handshake(tls.RemoteCertificate is X509Certificate2 served ? served.Thumbprint : "", body[(body.IndexOf("client=", StringComparison.Ordinal) + "client=".Length)..].Split('\r')[0], tls.SslProtocol);
    }

    private sealed record Handshake(string Served, string ClientSeen, SslProtocols Protocol);
}