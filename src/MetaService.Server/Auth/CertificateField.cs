using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace MetaService.Server.Auth;

/// <summary>
/// Where mode <c>mtls</c> reads a tenant, role or product in a client certificate: a subject attribute (<c>CN</c>,
/// <c>O</c>, <c>OU</c>) or a subject alternative name (<c>SAN:DNS</c>, <c>SAN:URI</c>), optionally followed by
/// <c>:MARKER</c>. Without a marker the first such value is taken whole; with one, the first value that contains the
/// marker gives what follows it, up to the next <c>/</c> (<c>SAN:URI:/tenant/</c> reads <c>alice</c> from
/// <c>spiffe://cluster.local/tenant/alice/role/editor</c>; <c>OU:role=</c> reads <c>editor</c> from <c>OU=role=editor</c>).
/// </summary>
public sealed record CertificateField(string Source, string Marker)
{
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>The sources, longest first, with the OID of a subject attribute or the tag of a SAN entry.</summary>
    private static readonly (string Name, string? Oid, int SanTag)[] Sources =
    [
        ("SAN:DNS", null, 2), ("SAN:URI", null, 6), ("CN", "2.5.4.3", 0), ("OU", "2.5.4.11", 0), ("O", "2.5.4.10", 0),
    ];

    /// <summary>The field a setting names, or null when it names none.</summary>
    public static CertificateField? Parse(string text)
    {
        foreach (var (name, _, _) in Sources)
        {
            if (text.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return new CertificateField(name, "");
            }

            if (text.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase) && text.Length > name.Length + 1)
            {
                return new CertificateField(name, text[(name.Length + 1)..]);
            }
        }

        return null;
    }

    /// <summary>The value this field reads in <paramref name="certificate"/>; null when it has none.</summary>
    public string? ValueOf(X509Certificate2 certificate)
    {
        foreach (var value in Values(certificate))
        {
            if (Marker.Length == 0)
            {
                return value;
            }

            var at = value.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                var rest = value[(at + Marker.Length)..];
                var end = rest.IndexOf('/', StringComparison.Ordinal);
                return end < 0 ? rest : rest[..end];
            }
        }

        return null;
    }

    public override string ToString() => Marker.Length == 0 ? Source : $"{Source}:{Marker}";

    private IEnumerable<string> Values(X509Certificate2 certificate)
    {
        var (_, oid, sanTag) = Sources.First(s => s.Name == Source);
        if (oid is not null)
        {
            return certificate.SubjectName.EnumerateRelativeDistinguishedNames()
                .Where(rdn => !rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid)
                .Select(rdn => rdn.GetSingleElementValue()).OfType<string>();
        }

        return certificate.Extensions.FirstOrDefault(e => e.Oid?.Value == SubjectAltNameOid) is { } names ? SanEntries(names.RawData, sanTag) : [];
    }

    /// <summary>The IA5String entries with context tag <paramref name="tag"/> of a subjectAltName (2: dNSName, 6: URI).</summary>
    private static List<string> SanEntries(byte[] extension, int tag)
    {
        var found = new List<string>();
        try
        {
            var names = new AsnReader(extension, AsnEncodingRules.DER).ReadSequence();
            var wanted = new Asn1Tag(TagClass.ContextSpecific, tag);
            while (names.HasData)
            {
                if (names.PeekTag() == wanted)
                {
                    found.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, wanted));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed extension names nothing: the caller is refused for want of a tenant or role.
        }

        return found;
    }
}