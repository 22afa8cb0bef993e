using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using MetaService.Server.OriginalConfig;
using MetaService.Server.Startup;
using MetaService.Tests.Pki;

using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MetaService.Server.Tests.OriginalConfig;

/// <summary>
/// The https listener of <c>mutualSSLConfig</c> (<see cref="ServerTls"/>) as the original's <c>common/tls/tls.go</c>
/// builds it: the module certificate and key (plain, or PKCS#8-encrypted with <c>pwdFile</c>), TLS 1.2 or later, and
/// client certificates asked for and verified by <c>clientAuthType</c> against <c>rootCAFile</c> alone.
/// </summary>
public sealed class ServerTlsTests : IDisposable
{
    private readonly FilesFolder _files = new();
    private readonly TlsCertificates _pki;
    private readonly X509Certificate2 _served;

    public ServerTlsTests()
    {
        _pki = TlsCertificates.Create(_files.Path);
        _served = _pki.WriteServer("CN=module");
    }

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("", ClientCertificateMode.RequireCertificate, true, true)]
    [InlineData("RequireAndVerifyClientCert", ClientCertificateMode.RequireCertificate, true, true)]
    [InlineData("NoClientCert", ClientCertificateMode.NoCertificate, false, false)]
    [InlineData("RequestClientCert", ClientCertificateMode.AllowCertificate, false, false)]
    [InlineData("RequireAnyClientCert", ClientCertificateMode.RequireCertificate, false, false)]
    [InlineData("VerifyClientCertIfGiven", ClientCertificateMode.AllowCertificate, true, false)]
    public void ClientAuthType_SaysWhetherACertificateIsAskedFor_AndVerified(string type, ClientCertificateMode mode, bool verifies, bool authenticates)
    {
        var tls = Load(Members(type));

        Assert.Equal((mode, verifies, authenticates), (tls.Mode, tls.Verifies, tls.Authenticates));
        Assert.Null(tls.Note);
        Assert.Equal(_served.Thumbprint, tls.Certificate.Thumbprint);
        Assert.True(tls.Certificate.HasPrivateKey);
    }

    [Fact]
    public void AnUnknownClientAuthType_IsTheStrictest_WithANote()
    {
        var file = Write(Members("requireandverifyclientcert"));

        var tls = ServerTls.Load(JsonMembers.Load(file, "-config_path"));

        Assert.Equal((ClientCertificateMode.RequireCertificate, true, true), (tls.Mode, tls.Verifies, tls.Authenticates));
        Assert.Equal($"{file}: mutualSSLConfig.clientAuthType 'requireandverifyclientcert' is unknown; taken as RequireAndVerifyClientCert, as the original does", tls.Note);
    }

    [Theory]
    [InlineData("", "(empty: RequireAndVerifyClientCert)")]
    [InlineData("VerifyClientCertIfGiven", "VerifyClientCertIfGiven")]
    public void AVerifyingClientAuthType_WithoutItsRootFile_StopsTheStart(string type, string named)
    {
        foreach (var root in new[] { "", _files.File("absent-ca.crt") })
        {
            var file = Write(Members(type, root: root));

            Assert.Equal($"{file}: mutualSSLConfig.rootCAFile '{root}' does not exist: clientAuthType {named} verifies client certificates against it",
                Refused(file));
        }
    }

    [Theory]
    [InlineData("NoClientCert")]
    [InlineData("RequireAnyClientCert")]
    public void AClientAuthTypeThatDoesNotVerify_NeedsNoRootFile(string type)
    {
        Assert.False(Load(Members(type, root: "")).Verifies);
    }

    [Theory]
    [InlineData(true, false, "moduleKeyFile")]
    [InlineData(false, true, "moduleCertFile")]
    [InlineData(false, false, "moduleCertFile")]
    public void AModuleFileThatIsMissing_StopsTheStart_NamingIt(bool certificate, bool key, string member)
    {
        var absent = _files.File("absent.pem");
        var file = Write(Members("", certificate: certificate ? _pki.CertificateFile : absent, key: key ? _pki.KeyFile : absent));

        Assert.Equal($"{file}: mutualSSLConfig.{member} '{absent}' does not exist: sslEnable needs the module certificate and key (PEM)",
            Refused(file));
    }

    [Fact]
    public void AnEncryptedKey_IsReadWithThePassphraseOfPwdFile()
    {
        var password = _files.File("pwd");
        File.WriteAllText(password, "s3cret\n");
        File.WriteAllText(_pki.KeyFile, EncryptedKey("s3cret"));

        var tls = Load(Members("", pwd: password));

        Assert.Equal(_served.Thumbprint, tls.Certificate.Thumbprint);
        Assert.True(tls.Certificate.HasPrivateKey);
    }

    [Fact]
    public void AKeyNotEncrypted_IsReadAsItIs_ThoughAPwdFileIsGiven()
    {
        var password = _files.File("pwd");
        File.WriteAllText(password, "s3cret\n");

        var tls = Load(Members("", pwd: password));

        Assert.Equal(_served.Thumbprint, tls.Certificate.Thumbprint);
        Assert.True(tls.Certificate.HasPrivateKey);
    }

    [Fact]
    public void NoClientAuthTypeMember_IsRequireAndVerifyClientCert_WithoutANote()
    {
        var tls = Load(Members("").Replace("\"clientAuthType\": \"\"", "\"comment\": \"\"", StringComparison.Ordinal));

        Assert.Equal((ClientCertificateMode.RequireCertificate, true, true), (tls.Mode, tls.Verifies, tls.Authenticates));
        Assert.Null(tls.Note);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData(null)]
    public void AKeyThatCannotBeRead_StopsTheStart_SayingWhichKeysAreRead(string? passphrase)
    {
        File.WriteAllText(_pki.KeyFile, EncryptedKey("s3cret"));
        var pwd = _files.File("pwd");
        if (passphrase is not null)
        {
            File.WriteAllText(pwd, passphrase);
        }

        var file = Write(Members("", pwd: pwd));

        var refused = Refused(file);
        Assert.StartsWith($"{file}: mutualSSLConfig.moduleCertFile/moduleKeyFile '{_pki.CertificateFile}', '{_pki.KeyFile}' cannot be read (", refused, StringComparison.Ordinal);
        Assert.EndsWith("keys encrypted for openYuanrong's decrypt tool (sslDecryptTool) are not supported: give the decrypted PEM key", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyOfAnotherCertificate_StopsTheStart()
    {
        _pki.WriteKey(_pki.Server("CN=other").KeyPem);
        var file = Write(Members(""));

        Assert.Contains("cannot be read", Refused(file), StringComparison.Ordinal);
    }

    [Fact]
    public void TheMainListener_TakesTls12OrLater_AndClientCertificatesThatChainToTheRootFile_ForClientAuthentication()
    {
        var main = Load(Members("")).Main();

        Assert.Equal(_served.Thumbprint, main.ServerCertificate!.Thumbprint);
        Assert.Equal([_pki.Intermediate.Thumbprint], main.ServerCertificateChain!.Select(c => c.Thumbprint));
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, main.SslProtocols);
        Assert.Equal(ClientCertificateMode.RequireCertificate, main.ClientCertificateMode);
        Assert.False(main.CheckCertificateRevocation);
        using var client = _pki.Client("CN=client");
        using var stranger = _pki.Client("CN=stranger", _pki.Foreign);
        Assert.True(main.ClientCertificateValidation!(client, null, default));
        Assert.False(main.ClientCertificateValidation(stranger, null, default));

        // A certificate for servers, though issued under the root file's CAs, does not authenticate a client.
        Assert.False(main.ClientCertificateValidation(_served, null, default));
    }

    [Fact]
    public void ACertificateFileWithTheLeafAlone_SendsNoChain()
    {
        File.WriteAllText(_pki.CertificateFile, _served.ExportCertificatePem());

        Assert.Empty(Load(Members("")).Main().ServerCertificateChain!);
    }

    [Fact]
    public void ACertificateAfterTheFirstThatCannotBeRead_StopsTheStart()
    {
        File.AppendAllText(_pki.CertificateFile, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        var file = Write(Members(""));

        var refused = Refused(file);

        Assert.StartsWith($"{file}: mutualSSLConfig.moduleCertFile '{_pki.CertificateFile}' holds a certificate after the first that cannot be read (", refused, StringComparison.Ordinal);
        Assert.EndsWith("): give the module certificate, then its intermediates, each as PEM", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void AListenerThatDoesNotVerify_TakesAnyClientCertificate()
    {
        var main = Load(Members("RequestClientCert")).Main();

        using var stranger = _pki.Client("CN=stranger", _pki.Foreign);
        Assert.Equal(ClientCertificateMode.AllowCertificate, main.ClientCertificateMode);
        Assert.True(main.ClientCertificateValidation!(stranger, null, default));
    }

    [Fact]
    public void TheHealthListener_ServesTheSameCertificate_AndAsksForNone()
    {
        var health = Load(Members("")).Health();

        Assert.Equal(_served.Thumbprint, health.ServerCertificate!.Thumbprint);
        Assert.Equal([_pki.Intermediate.Thumbprint], health.ServerCertificateChain!.Select(c => c.Thumbprint));
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, health.SslProtocols);
        Assert.Equal(ClientCertificateMode.NoCertificate, health.ClientCertificateMode);
    }

    private string Members(string type, string? root = null, string? certificate = null, string? key = null, string pwd = "") => $$"""
        {
          "mutualSSLConfig": {
            "sslEnable": true,
            "rootCAFile": "{{root ?? _pki.CaFile}}",
            "moduleCertFile": "{{certificate ?? _pki.CertificateFile}}",
            "moduleKeyFile": "{{key ?? _pki.KeyFile}}",
            "pwdFile": "{{pwd}}",
            "clientAuthType": "{{type}}"
          }
        }
        """;

    private ServerTls Load(string text) => ServerTls.Load(JsonMembers.Load(Write(text), "-config_path"));

    private string Write(string text) => _files.Write("config.json", text);

    private string EncryptedKey(string passphrase)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(_pki.KeyFile));
        return key.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000));
    }

    /// <summary>The message of the start refused for the file <paramref name="file"/>.</summary>
    private static string Refused(string file) => Assert.Throws<SettingsException>(() => ServerTls.Load(JsonMembers.Load(file, "-config_path"))).Message;
}