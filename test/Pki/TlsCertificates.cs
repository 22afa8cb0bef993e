using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MetaService.Tests.Pki;

/// <summary>
/// Certificates made by the tests for the <c>Tls:</c> settings and mode <c>mtls</c>: a root CA, an intermediate it
/// signed (server certificates are issued by the intermediate, so a client that trusts only the root needs the chain),
/// client certificates issued by the root, and a CA of nobody's. Written as PEM files where the server reads them.
/// Shared by the tests of the server in its own process (Deployment.Tests) and in the test's (Server.Tests).
/// </summary>
public sealed class TlsCertificates
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private TlsCertificates(string directory, X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2 foreign)
    {
        Directory = directory;
        Root = root;
        Intermediate = intermediate;
        Foreign = foreign;
        File.WriteAllText(CaFile, root.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
    }

    public string Directory { get; }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    /// <summary>A CA the server does not know.</summary>
    public X509Certificate2 Foreign { get; }

    /// <summary>The root CA's certificate and the intermediate's, PEM: what <c>Auth:Mtls:CaFile</c> names.</summary>
    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string CertificateFile => Path.Combine(Directory, "server.crt");

    public string KeyFile => Path.Combine(Directory, "server.key");

    public static TlsCertificates Create(string directory)
    {
        var root = Authority("CN=metaservice-test-root", null);
        return new TlsCertificates(directory, root, Authority("CN=metaservice-test-intermediate", root), Authority("CN=somebody-else-ca", null));
    }

    /// <summary>A new server certificate for 127.0.0.1 and localhost, issued by the intermediate, with its PEM key.</summary>
    public (X509Certificate2 Certificate, string KeyPem) Server(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Leaf(subject, key, ServerAuth);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        return (request.Create(Intermediate, Now.AddDays(-1), Now.AddDays(2), Serial()), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Writes <paramref name="server"/> and the intermediate after it to <see cref="CertificateFile"/>.</summary>
    public void WriteCertificate(X509Certificate2 server) =>
        File.WriteAllText(CertificateFile, server.ExportCertificatePem() + "\n" + Intermediate.ExportCertificatePem() + "\n");

    public void WriteKey(string keyPem) => File.WriteAllText(KeyFile, keyPem);

    /// <summary>A new server certificate (<see cref="Server"/>) written with its key where the server reads them.</summary>
    public X509Certificate2 WriteServer(string subject)
    {
        var (certificate, key) = Server(subject);
        WriteCertificate(certificate);
        WriteKey(key);
        return certificate;
    }

    /// <summary>A client certificate with its key, issued by <paramref name="issuer"/> (the root when null), valid from
    /// <paramref name="fromDays"/> to <paramref name="toDays"/> days from now, with an optional URI SAN.</summary>
    public X509Certificate2 Client(string subject, X509Certificate2? issuer = null, int fromDays = -1, int toDays = 1, string? uri = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Leaf(subject, key, ClientAuth);
        if (uri is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddUri(new Uri(uri));
            request.CertificateExtensions.Add(names.Build());
        }

        using var certificate = request.Create(issuer ?? Root, Now.AddDays(fromDays), Now.AddDays(toDays), Serial());

        // Through PKCS#12, so that SslStream can use the key on Linux.
        return X509CertificateLoader.LoadPkcs12(certificate.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A client that trusts only the root CA for the server (the chain must come from the server) and presents
    /// <paramref name="certificate"/> when given.</summary>
    public SocketsHttpHandler Handler(X509Certificate2? certificate = null) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = certificate is null ? null : [certificate],
            RemoteCertificateValidationCallback = (_, server, sent, _) => ChainsToRoot(server, sent),
        },
    };

    /// <summary>One TLS handshake on a new connection: the thumbprint of the certificate the server presented.</summary>
    public async Task<string> ServedThumbprintAsync(Uri server)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, TestContext.Current.CancellationToken);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, presented, sent, _) => ChainsToRoot(presented, sent),
        }, TestContext.Current.CancellationToken);
        return tls.RemoteCertificate!.GetCertHashString();
    }

    /// <summary>Whether the server's certificate chains to the root with the certificates the server sent, and nothing else.</summary>
    public bool ChainsToRoot(X509Certificate? presented, X509Chain? sent)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.ExtraStore.AddRange(sent?.ChainPolicy.ExtraStore ?? []);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return presented is X509Certificate2 leaf && chain.Build(leaf);
    }

    /// <summary>A leaf certificate request: not a CA, for signatures, for <paramref name="usage"/> (an extended key usage OID).</summary>
    public static CertificateRequest Leaf(string subject, ECDsa key, string usage)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        return request;
    }

    private static X509Certificate2 Authority(string subject, X509Certificate2? issuer)
    {
        // Not disposed: the certificate keeps using the key to sign.
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(Now.AddDays(-10), Now.AddDays(10));
        }

        using var signed = request.Create(issuer, Now.AddDays(-5), Now.AddDays(5), Serial());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A positive serial number, unique enough for one test run.</summary>
    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}