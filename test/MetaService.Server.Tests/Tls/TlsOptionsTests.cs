using MetaService.Server.Tls;
using MetaService.Tests.Pki;

namespace MetaService.Server.Tests.Tls;

/// <summary>The <c>Tls:</c> settings' own checks (<see cref="TlsOptions.Problems"/>), each with its message.</summary>
public sealed class TlsOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("metaservice-tls-").FullName;
    private readonly TlsCertificates _pki;

    public TlsOptionsTests()
    {
        _pki = TlsCertificates.Create(_directory);
        _pki.WriteServer("CN=options");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void NoFiles_OrBothThatLoad_AreNoProblem_AndOnlyBothAreConfigured()
    {
        Assert.Empty(new TlsOptions().Problems());
        Assert.False(new TlsOptions().Configured);

        var both = new TlsOptions { CertificateFile = _pki.CertificateFile, KeyFile = _pki.KeyFile };
        Assert.Empty(both.Problems());
        Assert.True(both.Configured);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void OneFileWithoutTheOther_IsAProblem(bool certificate, bool key)
    {
        var options = new TlsOptions { CertificateFile = certificate ? _pki.CertificateFile : "", KeyFile = key ? _pki.KeyFile : "" };

        Assert.False(options.Configured);
        Assert.Equal(
            "Tls:CertificateFile and Tls:KeyFile go together: give both PEM files (the certificate, with its intermediates after it, and its key), or neither",
            Assert.Single(options.Problems()));
    }

    [Fact]
    public void FilesThatDoNotExist_AreNamed_EachWithItsSetting()
    {
        var certificate = Path.Combine(_directory, "absent.crt");
        var key = Path.Combine(_directory, "absent.key");

        var problems = new TlsOptions { CertificateFile = certificate, KeyFile = key }.Problems().ToList();

        Assert.Equal([$"Tls:CertificateFile '{certificate}' does not exist", $"Tls:KeyFile '{key}' does not exist"], problems);
    }

    [Fact]
    public void FilesThatDoNotLoadAsAPair_AreAProblem_SayingSo()
    {
        _pki.WriteKey(_pki.Server("CN=other").KeyPem);

        var problem = Assert.Single(new TlsOptions { CertificateFile = _pki.CertificateFile, KeyFile = _pki.KeyFile }.Problems());

        Assert.Contains("cannot be loaded as a certificate and its key", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(86400, true)]
    [InlineData(86401, false)]
    public void ReloadCheckSeconds_IsFrom0To86400(int seconds, bool taken)
    {
        var problems = new TlsOptions { ReloadCheckSeconds = seconds }.Problems().ToList();

        if (taken)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Equal($"Tls:ReloadCheckSeconds is {seconds}: give 0 (look at every new connection) to 86400 seconds", Assert.Single(problems));
        }
    }
}