using System.Globalization;

using MetaService.Core;

namespace MetaService.Server.Tls;

/// <summary>The certificate of the https listeners, from the <c>Tls</c> section (docs/configuration.md, docs/security.md).</summary>
public sealed class TlsOptions : ISettings
{
    public const string Section = "Tls";

    /// <summary>The server certificate, PEM; intermediates after it in the same file are sent with it.</summary>
    public string CertificateFile { get; set; } = "";

    /// <summary>The certificate's private key, PEM (PKCS#8, PKCS#1 or SEC1; not encrypted).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>At most this often (seconds) a new connection makes the server look at the two files' last-write time and
    /// length, and load them again when either changed; 0: at every new connection.</summary>
    public int ReloadCheckSeconds { get; set; } = 2;

    /// <summary>Whether a certificate is configured (both files).</summary>
    public bool Configured => CertificateFile.Length > 0 && KeyFile.Length > 0;

    public IEnumerable<string> Problems()
    {
        if (CertificateFile.Length > 0 != KeyFile.Length > 0)
        {
            yield return "Tls:CertificateFile and Tls:KeyFile go together: give both PEM files (the certificate, with its intermediates after it, and its key), or neither";
        }

        foreach (var (key, path) in new[] { ("Tls:CertificateFile", CertificateFile), ("Tls:KeyFile", KeyFile) })
        {
            if (path.Length > 0 && !File.Exists(path))
            {
                yield return $"{key} '{path}' does not exist";
            }
        }

        if (ReloadCheckSeconds is < 0 or > 86400)
        {
            yield return $"Tls:ReloadCheckSeconds is {ReloadCheckSeconds.ToString(CultureInfo.InvariantCulture)}: give 0 (look at every new connection) to 86400 seconds";
        }

        if (Configured && File.Exists(CertificateFile) && File.Exists(KeyFile) && ServerCertificate.TryLoad(CertificateFile, KeyFile, out _) is { } problem)
        {
            yield return problem;
        }
    }
}