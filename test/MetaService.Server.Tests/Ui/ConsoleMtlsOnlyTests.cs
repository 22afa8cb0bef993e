using System.Net;

using MetaService.Server.Ui;
using MetaService.Tests.Pki;

namespace MetaService.Server.Tests.Ui;

/// <summary>The console's sign-in form on a server whose only mode is mtls: no scheme of it reads a token from a
/// header, so a token posted to the form is refused as one this server does not take, and nothing is kept.</summary>
public sealed class ConsoleMtlsOnlyTests : IAsyncDisposable
{
    private readonly MetaServiceFactory _factory = new();

    public ConsoleMtlsOnlyTests()
    {
        var pki = TlsCertificates.Create(Directory.CreateDirectory(Path.Combine(_factory.DataDirectory, "pki")).FullName);
        pki.WriteServer("CN=console");
        _factory.Settings["Auth:Mode"] = "mtls";
        _factory.Settings["Auth:Mtls:CaFile"] = pki.CaFile;
        _factory.Settings["Urls"] = "https://127.0.0.1:0";
        _factory.Settings["Tls:CertificateFile"] = pki.CertificateFile;
        _factory.Settings["Tls:KeyFile"] = pki.KeyFile;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task AToken_PostedToTheSignInForm_IsRefused_AsOneThisServerDoesNotTake()
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await ConsoleClient.SignInAsync(client, "a-token-of-no-scheme");
        var html = await ConsoleClient.TextAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("The token was refused: this server takes no such token</p>", html);
        Assert.Null(ConsoleClient.SetCookie(response, ConsoleGate.SessionCookie));
    }
}