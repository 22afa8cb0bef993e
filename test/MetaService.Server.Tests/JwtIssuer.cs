using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MetaService.Server.Tests;

/// <summary>
/// An identity provider of the test's own: an RSA key whose public half is written as a PEM file, and an EC key (P-256)
/// published in a JWKS file, both in a temporary folder removed on dispose. It signs tokens with
/// <see cref="JsonWebTokenHandler.CreateToken(SecurityTokenDescriptor)"/>, and makes the broken ones by hand.
/// </summary>
public sealed class JwtIssuer : IDisposable
{
    public const string Issuer = "https://idp.test/realms/platform";
    public const string Audience = "metaservice";

    private readonly string _folder = Directory.CreateTempSubdirectory("metaservice-jwt-").FullName;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA _stranger = RSA.Create(2048);

    public JwtIssuer()
    {
        KeyFile = Path.Combine(_folder, "idp.pem");
        JwksFile = Path.Combine(_folder, "jwks.json");
        File.WriteAllText(KeyFile, _rsa.ExportSubjectPublicKeyInfoPem());
        var ec = _ec.ExportParameters(includePrivateParameters: false);
        File.WriteAllText(JwksFile, $$"""
            {"keys":[{"kty":"EC","use":"sig","kid":"ec-1","crv":"P-256","x":"{{Base64Url.EncodeToString(ec.Q.X!)}}","y":"{{Base64Url.EncodeToString(ec.Q.Y!)}}"}]}
            """);
    }

    public string KeyFile { get; }

    public string JwksFile { get; }

    /// <summary>The settings of mode <paramref name="mode"/> with this provider's key file and JWKS file.</summary>
    public void Configure(MetaServiceFactory factory, string mode = "jwt")
    {
        factory.Settings["Auth:Mode"] = mode;
        factory.Settings["Auth:Jwt:Issuer"] = Issuer;
        factory.Settings["Auth:Jwt:Audience"] = Audience;
        factory.Settings["Auth:Jwt:KeyFile"] = KeyFile;
        factory.Settings["Auth:Jwt:JwksFile"] = JwksFile;
    }

    /// <summary>A token with <c>sub</c>, the tenant and role claims (each left out when null) and
    /// <paramref name="extra"/>, signed with the RSA key (RS256), or the JWKS's EC key (ES256), or a key the server does
    /// not know.</summary>
    public string Token(string? tenant = "alpha", string? role = "editor", Key key = Key.Rsa, string issuer = Issuer, string audience = Audience,
        DateTime? expires = null, DateTime? notBefore = null, string subject = "user-1", IDictionary<string, object>? extra = null, bool withoutExpiry = false,
        IDictionary<string, object>? header = null)
    {
        var claims = new Dictionary<string, object>(extra ?? new Dictionary<string, object>()) { ["sub"] = subject };
        if (tenant is not null)
        {
            claims["tenant"] = tenant;
        }

        if (role is not null)
        {
            claims["role"] = role;
        }

        var exp = expires ?? DateTime.UtcNow.AddHours(1);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            Expires = exp,
            NotBefore = notBefore ?? exp.AddHours(-2),
            IssuedAt = notBefore ?? exp.AddHours(-2),
            SigningCredentials = key switch
            {
                Key.Ec => new SigningCredentials(new ECDsaSecurityKey(_ec) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256),
                Key.Stranger => new SigningCredentials(new RsaSecurityKey(_stranger), SecurityAlgorithms.RsaSha256),
                _ => new SigningCredentials(new RsaSecurityKey(_rsa), SecurityAlgorithms.RsaSha256),
            },
            AdditionalHeaderClaims = header,
        };
        if (withoutExpiry)
        {
            descriptor.Expires = null;
            descriptor.NotBefore = null;
            descriptor.IssuedAt = null;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = !withoutExpiry }.CreateToken(descriptor);
    }

    /// <summary>A token of <paramref name="header"/> and <paramref name="payload"/> (JSON) with the given signature part:
    /// <c>alg: none</c> with an empty one, or HS256 keyed with the server's own PEM file (the algorithm-confusion attack).</summary>
    public string HandMade(string header, string payload, bool hmacWithPublicKey = false)
    {
        var signed = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var signature = hmacWithPublicKey ? Base64Url.EncodeToString(HMACSHA256.HashData(File.ReadAllBytes(KeyFile), Encoding.ASCII.GetBytes(signed))) : "";
        return signed + "." + signature;
    }

    /// <summary>A valid payload (JSON) of an editor of <paramref name="tenant"/>, for <see cref="HandMade"/>.</summary>
    public static string Payload(string tenant) =>
        $$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"user-1","tenant":"{{tenant}}","role":"editor","exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}""";

    public static HttpClient Client(MetaServiceFactory factory, string token, string? tenant = null)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (tenant is not null)
        {
            client.DefaultRequestHeaders.Add("X-Tenant-Id", tenant);
        }

        return client;
    }

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
        _stranger.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    public enum Key
    {
        Rsa,
        Ec,
        Stranger,
    }
}