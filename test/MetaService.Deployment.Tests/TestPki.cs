using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MetaService.Deployment.Tests;

/// <summary>Certificates made in the test (a CA, a server certificate for 127.0.0.1, a client certificate it
/// signed, and a client certificate of another CA), written as the PEM files openYuanrong's mutualSSLConfig names.</summary>
public sealed class TestPki
{
    private TestPki(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string ModuleCertFile => Path.Combine(Directory, "module.crt");

    public string ModuleKeyFile => Path.Combine(Directory, "module.key");

    public required X509Certificate2 Ca { get; init; }

    public required X509Certificate2 Client { get; init; }

    public required X509Certificate2 Stranger { get; init; }

    /// <summary>The passphrase file of an encrypted module key (see <see cref="Create"/>).</summary>
    public string PwdFile => Path.Combine(Directory, "cert_pwd");

    /// <summary>Makes the certificates; with <paramref name="keyPassphrase"/>, the module key is PKCS#8-encrypted with it
    /// and the passphrase is written to <see cref="PwdFile"/>.</summary>
    public static TestPki Create(string directory, string? keyPassphrase = null)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=metaservice-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = TlsCertificates.Leaf("CN=127.0.0.1", serverKey, "1.3.6.1.5.5.7.3.1");
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        using var server = serverRequest.Create(ca, now.AddDays(-1), now.AddDays(2), [1, 2, 3, 4]);

        var pki = new TestPki(directory)
        {
            Ca = ca,
            Client = Signed("CN=platform-component", ca, 5),
            Stranger = Signed("CN=stranger", SelfSignedCa("CN=other-ca"), 6),
        };
        File.WriteAllText(pki.CaFile, ca.ExportCertificatePem());
        File.WriteAllText(pki.ModuleCertFile, server.ExportCertificatePem());
        File.WriteAllText(pki.ModuleKeyFile, keyPassphrase is null
            ? serverKey.ExportPkcs8PrivateKeyPem()
            : serverKey.ExportEncryptedPkcs8PrivateKeyPem(keyPassphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)));
        File.WriteAllText(pki.PwdFile, (keyPassphrase ?? "") + "\n");
        return pki;
    }

    /// <summary>A client certificate (with its key) issued by <paramref name="issuer"/>.</summary>
    private static X509Certificate2 Signed(string subject, X509Certificate2 issuer, byte serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        using var certificate = TlsCertificates.Leaf(subject, key, "1.3.6.1.5.5.7.3.2").Create(issuer, now.AddDays(-1), now.AddDays(1), [serial, 1, 2, 3]);
        // Through PKCS#12, so that SslStream can use the key on Linux.
        return X509CertificateLoader.LoadPkcs12(certificate.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 SelfSignedCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));
    }
}