using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using MetaService.Core;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Auth;

/// <summary>
/// Mode <c>openyuanrong</c>: the tokens openYuanrong's IAM server issues, sent as <c>X-Auth</c> (what yrcli and adx send),
/// checked offline as the IAM server checks them: three base64url parts, the third the base64url of the lower-case hex
/// HMAC-SHA256 of the first two (keyed with <c>LITEBUS_DATA_KEY</c>, hex-decoded), <c>sub</c> a string (the tenant),
/// <c>exp</c> a number (−1: never; an <c>exp</c> before now is refused, no skew), role <c>developer</c> (an editor of
/// tenant <c>sub</c>). docs/security.md; the format: ../shared/spec/openyuanrong-auth.md §2.2–2.4.
/// </summary>
public sealed class OpenYuanrongScheme(IOptions<AuthOptions> options, TimeProvider time) : ICredentialScheme
{
    public const string Header = "X-Auth";
    public const string RequiredRole = "developer";

    private readonly byte[] _key = options.Value.OpenYuanrong.KeyBytes;

    public string Challenge => "X-Auth realm=\"metaservice\"";

    public string Asks => "X-Auth: <openYuanrong token>";

    public ValueTask<Credential> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var token = request.Headers[Header].ToString();
        return ValueTask.FromResult(token.Length == 0 ? Credential.Absent : Check(token));
    }

    private Credential Check(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return Credential.Refused($"the X-Auth token is malformed: expected header.payload.signature, got {parts.Length} parts");
        }

        if (!SignatureHolds(parts[0] + "." + parts[1], parts[2]))
        {
            return Credential.Refused("the X-Auth token's signature does not verify with the cluster's key");
        }

        if (Claims(parts[1]) is not { } claims)
        {
            return Credential.Refused("the X-Auth token's payload is not JSON with a string sub and a numeric exp");
        }

        if (claims.Exp < -1 || (claims.Exp != -1 && claims.Exp < time.GetUtcNow().ToUnixTimeSeconds()))
        {
            return Credential.Refused("the X-Auth token has expired");
        }

        if (claims.Role != RequiredRole)
        {
            return Credential.NotAllowed($"the X-Auth token's role '{claims.Role}' may not call this service: role {RequiredRole} is required");
        }

        if (claims.Sub.Length == 0)
        {
            return Credential.Refused("the X-Auth token names no tenant (sub is empty)");
        }

        return new Caller("openyuanrong:" + claims.Sub, new Tenant(claims.Sub), Role.Editor);
    }

    private bool SignatureHolds(string signed, string signature)
    {
        if (Base64Url(signature) is not { Length: 64 } presented)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signed), mac);
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(mac));
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private static (string Sub, long Exp, string Role)? Claims(string payload)
    {
        if (Base64Url(payload) is not { } json)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number || !exp.TryGetInt64(out var expires))
            {
                return null;
            }

            var role = root.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
            return (sub.GetString()!, expires, role);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>base64url without padding (standard base64 accepted too, as the IAM server re-pads); null when invalid.</summary>
    private static byte[]? Base64Url(string text)
    {
        var standard = text.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        var bytes = new byte[standard.Length];
        return Convert.TryFromBase64String(standard, bytes, out var written) ? bytes[..written] : null;
    }
}