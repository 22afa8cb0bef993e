using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

using MetaService.Core;

namespace MetaService.Server.Functions;

/// <summary>
/// The opaque <c>continue</c> token of a list paged with <c>limit</c> (Kubernetes-style): the revision the list's first
/// page was read at, the query it belongs to (tenant, route, filters) and the key after which the next page starts,
/// with a SHA-256 check so an edited or truncated token is refused (400). It names a position in the caller's own
/// tenant only; it grants nothing.
/// </summary>
internal static class ContinueTokens
{
    private const string Version = "1";
    private const int CheckBytes = 16;

    public static string Encode(long revision, string query, string after)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', Version, revision.ToString(CultureInfo.InvariantCulture), Hash(query), after));
        return Base64Url.EncodeToString([.. payload, .. Check(payload)]);
    }

    /// <summary>The list's revision and where its next page starts; 400 for a token that was not made by
    /// <see cref="Encode"/> for this query.</summary>
    public static Outcome<(long Revision, string After)> Decode(string token, string query)
    {
        var tampered = MetaError.InvalidParam("the continue token is malformed or was changed; pass the token of the previous answer as it is, or list again without continue");
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return tampered;
        }

        if (bytes.Length <= CheckBytes || !CryptographicOperations.FixedTimeEquals(Check(bytes.AsSpan(0, bytes.Length - CheckBytes)), bytes.AsSpan(bytes.Length - CheckBytes)))
        {
            return tampered;
        }

        var parts = Encoding.UTF8.GetString(bytes, 0, bytes.Length - CheckBytes).Split('\n', 4);
        if (parts.Length != 4 || parts[0] != Version || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
        {
            return tampered;
        }

        return parts[2] == Hash(query)
            ? (revision, parts[3])
            : MetaError.InvalidParam("the continue token belongs to another list (tenant, function or filters); pass the same filters, or list again without continue");
    }

    private static byte[] Check(ReadOnlySpan<byte> payload)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData([.. "metaservice continue token\n"u8, .. payload], hash);
        return hash[..CheckBytes].ToArray();
    }

    private static string Hash(string query) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)))[..16];
}