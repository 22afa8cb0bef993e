using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MetaService.Server.Auth;

/// <summary>Mode <c>mtls</c>: the CA that signs client certificates and where a certificate names its tenant, role and
/// product (<see cref="CertificateField"/>; docs/security.md).</summary>
public sealed class MtlsOptions
{
    /// <summary>The CA certificates client certificates must chain to, PEM (self-signed ones are the roots; the others
    /// are taken as intermediates). The system's roots are never used.</summary>
    public string CaFile { get; set; } = "";

    /// <summary>Where the tenant is read: <c>O</c> by default.</summary>
    public string TenantFrom { get; set; } = "O";

    /// <summary>Where the role (<c>viewer</c>, <c>editor</c>, <c>admin</c>) is read: <c>OU</c> by default.</summary>
    public string RoleFrom { get; set; } = "OU";

    /// <summary>Where the product is read; empty (the default): the credential's product is the empty one.</summary>
    public string ProductFrom { get; set; } = "";

    public IEnumerable<string> Problems()
    {
        if (CaFile.Length == 0)
        {
            yield return "Auth:Mode mtls needs the CA that signs the callers' certificates: set Auth:Mtls:CaFile to its PEM file";
        }
        else if (!File.Exists(CaFile))
        {
            yield return $"Auth:Mtls:CaFile '{CaFile}' does not exist";
        }
        else if (LoadCa(CaFile) is not { Roots.Count: > 0 })
        {
            yield return $"Auth:Mtls:CaFile '{CaFile}' holds no self-signed CA certificate (PEM): give the root of the callers' certificates, and any intermediates after it";
        }

        foreach (var (key, value, optional) in new[] { ("TenantFrom", TenantFrom, false), ("RoleFrom", RoleFrom, false), ("ProductFrom", ProductFrom, true) })
        {
            if (!(optional && value.Length == 0) && CertificateField.Parse(value) is null)
            {
                yield return $"Auth:Mtls:{key} '{value}' names no certificate field: use CN, O, OU, SAN:DNS or SAN:URI, optionally followed by :MARKER (e.g. SAN:URI:/tenant/)";
            }
        }
    }

    /// <summary>The certificates of a CA file: the self-signed ones (trust anchors) and the others (intermediates); null
    /// when the file cannot be read.</summary>
    public static (X509Certificate2Collection Roots, X509Certificate2Collection Intermediates)? LoadCa(string file)
    {
        try
        {
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(file);
            var roots = new X509Certificate2Collection(all.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)).ToArray());
            var intermediates = new X509Certificate2Collection(all.Where(c => !roots.Contains(c)).ToArray());
            return (roots, intermediates);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}