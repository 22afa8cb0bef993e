using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Microsoft.IdentityModel.Tokens;

namespace MetaService.Server.Auth;

/// <summary>The public keys of mode <c>jwt</c>, read once at start from <c>Auth:Jwt:KeyFile</c> (one PEM public key, RSA
/// or EC) and <c>Auth:Jwt:JwksFile</c> (a JWKS document); a file that cannot be read or holds no usable key is a start
/// problem naming the file.</summary>
internal static class JwtKeys
{
    public static (IReadOnlyList<SecurityKey> Keys, string? Problem) Load(JwtOptions options)
    {
        var keys = new List<SecurityKey>();
        if (options.KeyFile.Length > 0)
        {
            var (pem, problem) = Read(options.KeyFile, "KeyFile");
            if (pem is null)
            {
                return ([], problem);
            }

            if (FromPem(pem) is not { } key)
            {
                return ([], $"Auth:Jwt:KeyFile {options.KeyFile} holds no usable PEM public key: give an EC key or an RSA key of at least 2048 bits "
                    + "as -----BEGIN PUBLIC KEY----- (openssl pkey -pubout)");
            }

            keys.Add(key);
        }

        if (options.JwksFile.Length > 0)
        {
            var (json, problem) = Read(options.JwksFile, "JwksFile");
            if (json is null)
            {
                return ([], problem);
            }

            var signing = FromJwks(json);
            if (signing.Count == 0)
            {
                return ([], $"Auth:Jwt:JwksFile {options.JwksFile} holds no RSA (of at least 2048 bits) or EC signing key: give a JSON Web Key Set ({{\"keys\":[…]}}), as the provider's jwks_uri serves it");
            }

            keys.AddRange(signing);
        }

        return (keys, null);
    }

    private static (string? Text, string? Problem) Read(string path, string key)
    {
        try
        {
            return (File.ReadAllText(path), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return (null, $"Auth:Jwt:{key} {path} cannot be read ({e.Message}): give the path of a readable file");
        }
    }

    private static SecurityKey? FromPem(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            if (rsa.KeySize >= 2048)
            {
                return new RsaSecurityKey(rsa);
            }

            rsa.Dispose();
            return null;
        }
        catch (ArgumentException)
        {
            rsa.Dispose();
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ec.Dispose();
            return null;
        }
    }

    private static List<SecurityKey> FromJwks(string json)
    {
        try
        {
            // Only the keys the library resolves for signing: RSA (n and e, or the certificate of x5c) and EC. A key for
            // encryption ("use": "enc"), one it cannot build and one of another type (oct, OKP) are left out, and so is an
            // RSA key under 2048 bits, as for Auth:Jwt:KeyFile.
            return [.. new JsonWebKeySet(json) { SkipUnresolvedJsonWebKeys = true }.GetSigningKeys().Where(key => RsaBits(key) is not < 2048)];
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>The size of <paramref name="key"/>'s RSA modulus, or null for a key that is not RSA.</summary>
    private static int? RsaBits(SecurityKey key)
    {
        switch (key)
        {
            case RsaSecurityKey rsa:
                return rsa.KeySize;
            case X509SecurityKey certified:
                using (var rsa = certified.Certificate.GetRSAPublicKey())
                {
                    return rsa?.KeySize;
                }

            default:
                return null;
        }
    }
}