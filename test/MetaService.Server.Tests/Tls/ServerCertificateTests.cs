using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using MetaService.Server.Startup;
using MetaService.Server.Tests.Observability;
using MetaService.Server.Tls;
using MetaService.Tests.Pki;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Tests.Tls;

/// <summary>
/// The certificate the https listeners serve, in the test's process with a clock the test moves: what it loads at
/// start, when it looks at the files again, and what it keeps when they do not load. (Deployment.Tests'
/// <c>HttpsListenerTests</c> show the same through a server in its own process, in real time.)
/// </summary>
public sealed class ServerCertificateTests : IDisposable
{
    private const int CheckSeconds = 2;
    private readonly string _directory = Directory.CreateTempSubdirectory("metaservice-tls-").FullName;
    private readonly TlsCertificates _pki;
    private readonly Ticks _clock = new();
    private readonly LogCapture _log = new();
    private readonly ILoggerFactory _loggers;
    private int _writes;

    public ServerCertificateTests()
    {
        _pki = TlsCertificates.Create(_directory);
        _loggers = LoggerFactory.Create(b => b.AddProvider(_log).SetMinimumLevel(LogLevel.Trace));
    }

    public void Dispose()
    {
        _loggers.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void AtStart_ServesTheLeafOfTheFiles_WithTheIntermediateThatFollowsIt()
    {
        var first = Write("CN=first");

        var served = Serve();

        Assert.Equal(first.Thumbprint, served.Certificate.Thumbprint);
        Assert.True(served.Certificate.HasPrivateKey);
        var chain = Assert.Single(served.Context.IntermediateCertificates);
        Assert.Equal(_pki.Intermediate.Thumbprint, chain.Thumbprint);
        var line = Assert.Single(_log.Lines, l => l.Contains("https: serving certificate", StringComparison.Ordinal));
        Assert.Contains($"CN=first ({first.Thumbprint}", line, StringComparison.Ordinal);
        Assert.Contains("with 1 intermediate(s)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void FilesReplaced_AreServed_AtTheFirstAskingOnceTheCheckIsDue_AndNotBefore()
    {
        var first = Write("CN=first");
        var served = Serve();

        var second = Write("CN=second");
        _clock.Advance(TimeSpan.FromSeconds(CheckSeconds) - TimeSpan.FromTicks(1));
        Assert.Equal(first.Thumbprint, served.Certificate.Thumbprint);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(second.Thumbprint, served.Certificate.Thumbprint);
        Assert.Equal(second.Thumbprint, served.Context.TargetCertificate.Thumbprint);
        var line = Assert.Single(_log.Lines, l => l.Contains("https: the certificate files changed: now serving", StringComparison.Ordinal));
        Assert.Contains($"CN=second ({second.Thumbprint}", line, StringComparison.Ordinal);
        Assert.Contains($"instead of {first.Thumbprint}", line, StringComparison.Ordinal);

        // The next look is due a whole interval after this one, and it is made again.
        var third = Write("CN=third");
        _clock.Advance(TimeSpan.FromSeconds(CheckSeconds) - TimeSpan.FromTicks(1));
        Assert.Equal(second.Thumbprint, served.Certificate.Thumbprint);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(third.Thumbprint, served.Certificate.Thumbprint);
    }

    [Fact]
    public void ACheckIntervalOfZero_LooksAtTheFiles_AtEveryAsking()
    {
        Write("CN=first");
        var served = Serve(checkSeconds: 0);

        var second = Write("CN=second");
        Assert.Equal(second.Thumbprint, served.Certificate.Thumbprint);
        var third = Write("CN=third");
        Assert.Equal(third.Thumbprint, served.Certificate.Thumbprint);
    }

    [Fact]
    public void APairThatDoesNotLoad_KeepsThePrevious_IsWarnedAboutOnce_AndTheNextChangeIsTried()
    {
        var first = Write("CN=first");
        var served = Serve();

        // A rotation half done: the new certificate with the old key.
        var (second, secondKey) = _pki.Server("CN=second");
        _pki.WriteCertificate(second);
        Touch(_pki.CertificateFile);
        for (var check = 0; check < 3; check++)
        {
            _clock.Advance(TimeSpan.FromSeconds(CheckSeconds));
            Assert.Equal(first.Thumbprint, served.Certificate.Thumbprint);
        }

        var warning = Assert.Single(_log.Lines, l => l.Contains("https: the certificate files changed but do not load", StringComparison.Ordinal));
        Assert.Contains($"still serving {first.Thumbprint}", warning, StringComparison.Ordinal);
        Assert.Contains("cannot be loaded as a certificate and its key", warning, StringComparison.Ordinal);

        _pki.WriteKey(secondKey);
        Touch(_pki.KeyFile);
        _clock.Advance(TimeSpan.FromSeconds(CheckSeconds));
        Assert.Equal(second.Thumbprint, served.Certificate.Thumbprint);
    }

    [Fact]
    public void AFileMissingMidRotation_KeepsThePrevious_WithoutAWarning()
    {
        var first = Write("CN=first");
        var served = Serve();

        File.Delete(_pki.KeyFile);
        _clock.Advance(TimeSpan.FromSeconds(CheckSeconds));

        Assert.Equal(first.Thumbprint, served.Certificate.Thumbprint);
        Assert.DoesNotContain(_log.Lines, l => l.Contains("do not load", StringComparison.Ordinal));
    }

    [Fact]
    public void FilesThatCannotBeRead_StopTheStart_NamingBothSettings()
    {
        var missing = Assert.Throws<SettingsException>(Serve);

        Assert.Equal($"Tls:CertificateFile '{_pki.CertificateFile}' or Tls:KeyFile '{_pki.KeyFile}' cannot be read", missing.Message);
    }

    [Fact]
    public void AKeyOfAnotherCertificate_StopsTheStart_SayingWhatToGive()
    {
        Write("CN=first");
        _pki.WriteKey(_pki.Server("CN=other").KeyPem);

        var refused = Assert.Throws<SettingsException>(Serve);

        Assert.StartsWith($"Tls:CertificateFile '{_pki.CertificateFile}' and Tls:KeyFile '{_pki.KeyFile}' cannot be loaded as a certificate and its key (", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("): give the PEM certificate (intermediates after it) and its unencrypted PEM private key", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public void TryLoad_FetchesNoIntermediateTheCertificateNames_TheChainIsTheFilesOnly()
    {
        var issuers = new TcpListener(IPAddress.Loopback, 0);
        issuers.Start();
        try
        {
            // A certificate whose issuer is found at a URL it names (AIA caIssuers), written without that intermediate.
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = TlsCertificates.Leaf("CN=names-its-issuer", key, "1.3.6.1.5.5.7.3.1");
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [$"http://127.0.0.1:{((IPEndPoint)issuers.LocalEndpoint).Port}/intermediate.crt"]));
            using var certificate = request.Create(_pki.Intermediate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
            File.WriteAllText(_pki.CertificateFile, certificate.ExportCertificatePem());
            _pki.WriteKey(key.ExportPkcs8PrivateKeyPem());

            var problem = ServerCertificate.TryLoad(_pki.CertificateFile, _pki.KeyFile, out var loaded);

            Assert.Null(problem);
            Assert.Equal(0, loaded!.Intermediates);
            Assert.False(issuers.Pending(), "loading the certificate asked the URL of its issuer");
        }
        finally
        {
            issuers.Stop();
        }
    }

    [Fact]
    public void TryLoad_OfAFileThatIsNotThere_AnswersTheProblem_AndNoPair()
    {
        Write("CN=first");
        var absent = Path.Combine(_directory, "absent.key");

        var problem = ServerCertificate.TryLoad(_pki.CertificateFile, absent, out var loaded);

        Assert.Null(loaded);
        Assert.StartsWith($"Tls:CertificateFile '{_pki.CertificateFile}' and Tls:KeyFile '{absent}' cannot be loaded", problem, StringComparison.Ordinal);
    }

    private ServerCertificate Serve() => Serve(CheckSeconds);

    private ServerCertificate Serve(int checkSeconds) => new(
        Options.Create(new TlsOptions { CertificateFile = _pki.CertificateFile, KeyFile = _pki.KeyFile, ReloadCheckSeconds = checkSeconds }),
        _clock,
        _loggers.CreateLogger<ServerCertificate>());

    /// <summary>Writes a new server certificate (with the intermediate) and its key; returns the certificate.</summary>
    private X509Certificate2 Write(string subject)
    {
        var certificate = _pki.WriteServer(subject);
        Touch(_pki.CertificateFile);
        Touch(_pki.KeyFile);
        return certificate;
    }

    /// <summary>Gives the file a last-write time of its own, so that two writes within one tick of the file system's
    /// clock still differ.</summary>
    private void Touch(string file) => File.SetLastWriteTimeUtc(file, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(++_writes));

    /// <summary>A clock whose timestamps move only when the test says so.</summary>
    private sealed class Ticks : TimeProvider
    {
        private long _now = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _now;

        public void Advance(TimeSpan by) => _now += by.Ticks;
    }
}