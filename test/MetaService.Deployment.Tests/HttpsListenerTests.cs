using System.Net;

namespace MetaService.Deployment.Tests;

/// <summary>An https URL in <c>Urls</c> with <c>Tls:CertificateFile</c> and <c>Tls:KeyFile</c>: real TLS handshakes with
/// certificates made here (the server's issued by an intermediate the server must send), the files replaced on disk while
/// the server runs, and the starts the settings refuse.</summary>
public sealed class HttpsListenerTests : IDisposable
{
    /// <summary>Handshakes tried while waiting for the server to serve a rotated certificate.</summary>
    private const int Probes = 300;

    private readonly string _directory = Tools.NewDirectory();
    private readonly TlsCertificates _pki;

    public HttpsListenerTests() => _pki = TlsCertificates.Create(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task HttpsListener_ServesTheCertificateWithItsChain_ToAClientTrustingOnlyTheRoot()
    {
        var certificate = _pki.WriteServer("CN=metaservice-first");
        await using var server = ChildServer.Start(Arguments());
        var listening = await server.ListeningAsync();
        using var http = new Http(listening, _pki.Handler());

        var (health, _) = await http.SendAsync(HttpMethod.Get, "/healthz");
        var (created, _) = await http.SendAsync(HttpMethod.Post, "/serverless/v1/functions", Http.Function(Http.Name()));

        Assert.Equal("https", listening.Scheme);
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Equal(HttpStatusCode.OK, created);
        Assert.Equal(certificate.Thumbprint, await _pki.ServedThumbprintAsync(listening));
        Assert.Contains(server.Output, l => l.Contains($"serving certificate CN=metaservice-first ({certificate.Thumbprint}", StringComparison.Ordinal) && l.Contains("1 intermediate(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CertificateFilesReplaced_AreServedWithoutRestart_AndAPairThatDoesNotLoadKeepsThePrevious()
    {
        var (first, firstKey) = _pki.Server("CN=metaservice-before");
        var (second, secondKey) = _pki.Server("CN=metaservice-after");
        _pki.WriteCertificate(first);
        _pki.WriteKey(firstKey);
        await using var server = ChildServer.Start(Arguments("--Tls:ReloadCheckSeconds", "0"));
        var listening = await server.ListeningAsync();
        Assert.Equal(first.Thumbprint, await _pki.ServedThumbprintAsync(listening));

        // Half a rotation: the new certificate beside the old key. The server keeps the old pair and says so once.
        _pki.WriteCertificate(second);
        var duringRotation = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            duringRotation.Add(await _pki.ServedThumbprintAsync(listening));
        }

        await server.WaitForAsync(l => l.Contains("do not load; still serving " + first.Thumbprint, StringComparison.Ordinal));

        // The rest of it: the new key. A later handshake gets the new certificate.
        _pki.WriteKey(secondKey);
        var served = await ServedAfterAsync(listening, second.Thumbprint);

        Assert.All(duringRotation, t => Assert.Equal(first.Thumbprint, t));
        Assert.Single(server.Output, l => l.Contains("do not load", StringComparison.Ordinal));
        Assert.Equal(second.Thumbprint, served);

        // The console logger writes from a queue of its own: the line can follow the handshake that served the new pair.
        await server.WaitForAsync(l => l.Contains($"now serving CN=metaservice-after ({second.Thumbprint}", StringComparison.Ordinal));
        using var http = new Http(listening, _pki.Handler());
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(HttpMethod.Get, "/healthz")).Status);
    }

    [Fact]
    public async Task HttpsUrlWithoutCertificateFiles_StopsTheStart_NamingTheSettings()
    {
        await using var server = ChildServer.Start(["--data-dir", Path.Combine(_directory, "data"), "--urls", "https://127.0.0.1:0"]);

        var exit = await server.ExitCodeAsync();

        Assert.Equal(1, exit);
        var line = Assert.Single(server.Errors);
        Assert.StartsWith("MetaService cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains("https://127.0.0.1:0 but has no certificate: set Tls:CertificateFile and Tls:KeyFile", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyOfAnotherCertificate_StopsTheStart_NamingTheSettings()
    {
        var (certificate, _) = _pki.Server("CN=metaservice-mismatch");
        var (_, otherKey) = _pki.Server("CN=metaservice-other");
        _pki.WriteCertificate(certificate);
        _pki.WriteKey(otherKey);
        await using var server = ChildServer.Start(Arguments());

        var exit = await server.ExitCodeAsync();

        Assert.Equal(1, exit);
        Assert.Contains($"Tls:CertificateFile '{_pki.CertificateFile}' and Tls:KeyFile '{_pki.KeyFile}' cannot be loaded", Assert.Single(server.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModeNone_OnAnHttpsListenerThatIsNotLoopback_IsRefused()
    {
        _pki.WriteServer("CN=metaservice-open");
        await using var server = ChildServer.Start(Arguments("--urls", "https://0.0.0.0:0"));

        var exit = await server.ExitCodeAsync();

        Assert.Equal(1, exit);
        Assert.Contains("Auth:Mode is none (no credential asked) but the server would listen on https://0.0.0.0:0", Assert.Single(server.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--urls http://127.0.0.1:0 --Auth:Mtls:CaFile {ca}", "Auth:Mode includes mtls, which needs an https listener")]
    [InlineData("", "Auth:Mode mtls needs the CA that signs the callers' certificates: set Auth:Mtls:CaFile")]
    [InlineData("--Auth:Mtls:CaFile {ca} --Auth:Mtls:RoleFrom Subject", "Auth:Mtls:RoleFrom 'Subject' names no certificate field")]
    public async Task ModeMtls_WithoutWhatItNeeds_StopsTheStart_NamingTheSettings(string arguments, string expected)
    {
        _pki.WriteServer("CN=metaservice-mtls");
        var extra = arguments.Replace("{ca}", _pki.CaFile, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await using var server = ChildServer.Start(Arguments(["--Auth:Mode", "mtls", .. extra]));

        var exit = await server.ExitCodeAsync();

        Assert.Equal(1, exit);
        Assert.Contains(expected, Assert.Single(server.Errors), StringComparison.Ordinal);
    }

    /// <summary>An https listener on a port of its choosing and the certificate files; <paramref name="extra"/> after them
    /// (a later <c>--urls</c> takes precedence).</summary>
    private string[] Arguments(params string[] extra) =>
        ["--data-dir", Path.Combine(_directory, "data"), "--urls", "https://127.0.0.1:0", "--Tls:CertificateFile", _pki.CertificateFile, "--Tls:KeyFile", _pki.KeyFile, .. extra];

    /// <summary>Handshakes on new connections until the server presents <paramref name="thumbprint"/>, at most
    /// <see cref="Probes"/> of them, 100 ms apart; answers the last thumbprint seen.</summary>
    private async Task<string> ServedAfterAsync(Uri server, string thumbprint)
    {
        var served = "";
        for (var i = 0; i < Probes && served != thumbprint; i++)
        {
            if (i > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
            }

            served = await _pki.ServedThumbprintAsync(server);
        }

        return served;
    }
}