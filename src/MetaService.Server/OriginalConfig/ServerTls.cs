using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using MetaService.Server.Startup;

using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MetaService.Server.OriginalConfig;

/// <summary>
/// The https listener of <c>mutualSSLConfig</c>, as the original builds it (<c>common/tls/tls.go</c>): the module
/// certificate and key (with the certificates after it in the file sent as its chain, as Go's <c>LoadX509KeyPair</c>),
/// TLS 1.2 or later, and client certificates by <c>clientAuthType</c> (empty:
/// <c>RequireAndVerifyClientCert</c>), verified against <c>rootCAFile</c> only.
/// </summary>
internal sealed class ServerTls
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private readonly X509Certificate2Collection _roots;

    private ServerTls(X509Certificate2 certificate, X509Certificate2Collection chain, X509Certificate2Collection roots, ClientCertificateMode mode, bool verify, string? note)
    {
        Certificate = certificate;
        Chain = chain;
        _roots = roots;
        Mode = mode;
        Verifies = verify;
        Note = note;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificates after the first in <c>moduleCertFile</c> (its intermediates), sent after it in the handshake.</summary>
    public X509Certificate2Collection Chain { get; }

    public ClientCertificateMode Mode { get; }

    /// <summary>Whether a client certificate, when given, must chain to <c>rootCAFile</c>.</summary>
    public bool Verifies { get; }

    /// <summary>True when every caller must present a certificate signed by <c>rootCAFile</c>: authentication is on.</summary>
    public bool Authenticates => Verifies && Mode == ClientCertificateMode.RequireCertificate;

    /// <summary>A warning about the settings, e.g. an unknown <c>clientAuthType</c> taken as the strictest, as the original does.</summary>
    public string? Note { get; }

    public static ServerTls Load(JsonMembers json)
    {
        var type = json.Text("mutualSSLConfig.clientAuthType") ?? "";
        var (mode, verify, note) = type switch
        {
            "" or "RequireAndVerifyClientCert" => (ClientCertificateMode.RequireCertificate, true, null),
            "NoClientCert" => (ClientCertificateMode.NoCertificate, false, null),
            "RequestClientCert" => (ClientCertificateMode.AllowCertificate, false, null),
            "RequireAnyClientCert" => (ClientCertificateMode.RequireCertificate, false, null),
            "VerifyClientCertIfGiven" => (ClientCertificateMode.AllowCertificate, true, (string?)null),
            _ => (ClientCertificateMode.RequireCertificate, true,
                $"{json.File}: mutualSSLConfig.clientAuthType '{type}' is unknown; taken as RequireAndVerifyClientCert, as the original does"),
        };
        var certificateFile = json.Text("mutualSSLConfig.moduleCertFile");
        var certificate = LoadCertificate(json, certificateFile, json.Text("mutualSSLConfig.moduleKeyFile"), json.Text("mutualSSLConfig.pwdFile"));
        var chain = LoadChain(json, certificateFile!);
        var rootFile = json.Text("mutualSSLConfig.rootCAFile");
        var roots = new X509Certificate2Collection();
        if (verify)
        {
            if (string.IsNullOrEmpty(rootFile) || !File.Exists(rootFile))
            {
                throw new SettingsException($"{json.File}: mutualSSLConfig.rootCAFile '{rootFile}' does not exist: clientAuthType {(type.Length == 0 ? "(empty: RequireAndVerifyClientCert)" : type)} verifies client certificates against it");
            }

            roots.ImportFromPemFile(rootFile);
        }

        return new ServerTls(certificate, chain, roots, mode, verify, note);
    }

    /// <summary>The main listener: client certificates as configured.</summary>
    public HttpsConnectionAdapterOptions Main() => new()
    {
        ServerCertificate = Certificate,
        ServerCertificateChain = Chain,
        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateMode = Mode,
        CheckCertificateRevocation = false,
        ClientCertificateValidation = (certificate, _, _) => !Verifies || ChainsToRoots(certificate),
    };

    /// <summary>The original's health listener (port 8090 for Kubernetes probes): the same certificate, no client certificate.</summary>
    public HttpsConnectionAdapterOptions Health() => new()
    {
        ServerCertificate = Certificate,
        ServerCertificateChain = Chain,
        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateMode = ClientCertificateMode.NoCertificate,
    };

    /// <summary>Go's verification of a client certificate: a chain to one of the configured roots (not the system's),
    /// for client authentication.</summary>
    private bool ChainsToRoots(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthOid));
        return chain.Build(certificate);
    }

    /// <summary>The certificates after the first in <paramref name="file"/> (already read as the module certificate).</summary>
    private static X509Certificate2Collection LoadChain(JsonMembers json, string file)
    {
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPemFile(file);
        }
        catch (CryptographicException e)
        {
            throw new SettingsException($"{json.File}: mutualSSLConfig.moduleCertFile '{file}' holds a certificate after the first that cannot be read ({e.Message.TrimEnd('.')}): "
                + "give the module certificate, then its intermediates, each as PEM");
        }

        chain.RemoveAt(0);
        return chain;
    }

    private static X509Certificate2 LoadCertificate(JsonMembers json, string? certFile, string? keyFile, string? pwdFile)
    {
        foreach (var (member, path) in new[] { ("moduleCertFile", certFile), ("moduleKeyFile", keyFile) })
        {
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                throw new SettingsException($"{json.File}: mutualSSLConfig.{member} '{path}' does not exist: sslEnable needs the module certificate and key (PEM)");
            }
        }

        var key = File.ReadAllText(keyFile!);
        try
        {
            if (key.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal) && !string.IsNullOrEmpty(pwdFile) && File.Exists(pwdFile))
            {
                return X509Certificate2.CreateFromEncryptedPemFile(certFile!, File.ReadAllText(pwdFile).TrimEnd('\r', '\n'), keyFile);
            }

            return X509Certificate2.CreateFromPemFile(certFile!, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new SettingsException(
                $"{json.File}: mutualSSLConfig.moduleCertFile/moduleKeyFile '{certFile}', '{keyFile}' cannot be read ({e.Message.TrimEnd('.')}). "
                + "MetaService reads PEM keys, plain or PKCS#8-encrypted with the passphrase in pwdFile; keys encrypted for openYuanrong's decrypt tool (sslDecryptTool) are not supported: give the decrypted PEM key");
        }
    }
}