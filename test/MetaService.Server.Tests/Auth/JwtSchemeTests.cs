using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

using MetaService.Server.Auth;
using MetaService.Tests.Fixtures;

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MetaService.Server.Tests.Auth;

/// <summary>
/// Mode <c>jwt</c>'s scheme, driven in the test's process on a clock the test sets: which bearer values it takes for a
/// JWT at all, the lifetime to the second at each bound of the clock skew, the caller a token names (tenant, product,
/// role, id) and each refusal's whole message.
/// </summary>
public sealed class JwtSchemeTests : IDisposable
{
    private static readonly DateTime Expires = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime NotBefore = Expires.AddHours(-2);

    private readonly JwtIssuer _idp = new();
    private readonly SetClock _clock = new(new DateTimeOffset(Expires.AddHours(-1)));

    public void Dispose() => _idp.Dispose();

    private JwtScheme Scheme(string productClaim = "") =>
        new(Options.Create(new AuthOptions { Jwt = new JwtOptions { Issuer = JwtIssuer.Issuer, Audience = JwtIssuer.Audience, KeyFile = _idp.KeyFile, JwksFile = _idp.JwksFile, ProductClaim = productClaim } }), _clock);

    private static async Task<Credential> AuthenticateAsync(JwtScheme scheme, string token)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Bearer " + token;
        return await scheme.AuthenticateAsync(context.Request, TestContext.Current.CancellationToken);
    }

    private string Token(string? role = "editor", string subject = "user-1", IDictionary<string, object>? extra = null, string issuer = JwtIssuer.Issuer) =>
        _idp.Token(role: role, expires: Expires, notBefore: NotBefore, subject: subject, extra: extra, issuer: issuer);

    private static string Header(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public void AJwt_IsThreeBase64UrlParts_TheFirstAJsonObjectWithAlg_AtMost2048Characters()
    {
        var alg = Header("""{"typ":"JWT","alg":"RS256"}""");

        Assert.True(JwtScheme.LooksLikeJwt($"{alg}.e30.c2ln"));
        Assert.True(JwtScheme.LooksLikeJwt($"{alg}.."));
        Assert.False(JwtScheme.LooksLikeJwt($".{alg}.e30"));
        Assert.False(JwtScheme.LooksLikeJwt($"{alg}.e30"));
        Assert.False(JwtScheme.LooksLikeJwt($"{alg}.e30.c2ln.eHg"));
        Assert.False(JwtScheme.LooksLikeJwt($"{Header("""{"typ":"JWT"}""")}.e30.c2ln"));
        Assert.False(JwtScheme.LooksLikeJwt($"{Header("""[{"alg":"RS256"}]""")}.e30.c2ln"));
        Assert.False(JwtScheme.LooksLikeJwt($"{Header("""{"alg""")}.e30.c2ln"));
        Assert.False(JwtScheme.LooksLikeJwt("yrm_not*base64.e30.c2ln"));

        // 1,536 bytes encode to exactly 2,048 characters; three more bytes, to 2,052.
        var longest = Header($$"""{"alg":"RS256","pad":"{{new string('p', 1536 - 24)}}"}""");
        var longer = Header($$"""{"alg":"RS256","pad":"{{new string('p', 1539 - 24)}}"}""");
        Assert.Equal((2048, 2052), (longest.Length, longer.Length));
        Assert.True(JwtScheme.LooksLikeJwt($"{longest}.e30.c2ln"));
        Assert.False(JwtScheme.LooksLikeJwt($"{longer}.e30.c2ln"));
    }

    [Fact]
    public async Task AToken_HoldsUntilItsExpiryPlusTheSkew_AndFromItsNotBeforeLessTheSkew_ToTheSecond()
    {
        var scheme = Scheme();
        var token = Token();

        _clock.Now = new DateTimeOffset(Expires.AddSeconds(60));
        var last = await AuthenticateAsync(scheme, token);
        var holdsAtTheLast = await last.Holds!(TestContext.Current.CancellationToken);
        _clock.Now = new DateTimeOffset(Expires.AddSeconds(61));
        var holdsAfter = await last.Holds!(TestContext.Current.CancellationToken);
        var expired = await AuthenticateAsync(scheme, token);
        _clock.Now = new DateTimeOffset(NotBefore.AddSeconds(-60));
        var first = await AuthenticateAsync(scheme, token);
        _clock.Now = new DateTimeOffset(NotBefore.AddSeconds(-61));
        var early = await AuthenticateAsync(scheme, token);

        Assert.NotNull(last.Caller);
        Assert.True(holdsAtTheLast);
        Assert.False(holdsAfter);
        Assert.Equal("the JWT is refused: it has expired (exp)", expired.Refusal);
        Assert.NotNull(first.Caller);
        Assert.Equal("the JWT is refused: it is not valid yet (nbf)", early.Refusal);
    }

    [Fact]
    public async Task TheCaller_IsTheIssuersSubject_InTheTenantAndProductTheClaimsName_WithTheHighestRoleItsValuesMap()
    {
        var caller = (await AuthenticateAsync(Scheme("product"), Token(extra: new Dictionary<string, object> { ["product"] = "p1" }))).Caller!;
        var noProductClaim = (await AuthenticateAsync(Scheme(), Token(extra: new Dictionary<string, object> { ["product"] = "p1" }))).Caller!;
        var emptyProduct = (await AuthenticateAsync(Scheme("product"), Token(extra: new Dictionary<string, object> { ["product"] = "" }))).Caller!;

        // No product claim configured reads none, even a payload member whose name is empty.
        var emptyNamed = (await AuthenticateAsync(Scheme(), Token(extra: new Dictionary<string, object> { [""] = "p2" }))).Caller!;

        Assert.Equal(new Caller($"jwt:{JwtIssuer.Issuer} user-1", new Core.Tenant("alpha", "p1"), Role.Editor), caller);
        Assert.Equal("", noProductClaim.Tenant.ProductId);
        Assert.Equal("", emptyProduct.Tenant.ProductId);
        Assert.Equal("", emptyNamed.Tenant.ProductId);
    }

    [Fact]
    public async Task EachRefusal_SaysWhy()
    {
        var scheme = Scheme("product");

        Assert.Equal("the JWT has no sub claim: the identity provider must name the subject", (await AuthenticateAsync(scheme, Token(subject: ""))).Refusal);
        Assert.Equal("the JWT has no tenant claim 'tenant' (a string; Auth:Jwt:TenantClaim names it)",
            (await AuthenticateAsync(scheme, _idp.Token(tenant: "", expires: Expires, notBefore: NotBefore))).Refusal);
        Assert.Equal("the JWT's product claim 'product' is not a product id: 1 to 128 characters without '/', ':', '@', blanks or control characters",
            (await AuthenticateAsync(scheme, Token(extra: new Dictionary<string, object> { ["product"] = "a@b" }))).Refusal);
        Assert.Equal("the JWT has no role claim 'role' (a string or an array of strings; Auth:Jwt:RoleClaim names it)", (await AuthenticateAsync(scheme, Token(role: ""))).Refusal);
        Assert.Equal("the JWT is refused: its issuer (iss) is not Auth:Jwt:Issuer", (await AuthenticateAsync(scheme, Token(issuer: "https://other.test"))).Refusal);
        Assert.Equal("the JWT is refused: its signature does not verify with the configured keys",
            (await AuthenticateAsync(scheme, _idp.HandMade("""{"alg":"HS256","typ":"JWT"}""", JwtIssuer.Payload("alpha"), hmacWithPublicKey: true))).Refusal);
        Assert.Equal("the JWT is refused: it is malformed", (await AuthenticateAsync(scheme, Header("""{"alg":"RS256"}""") + ".not-json.c2ln")).Refusal);
        Assert.Equal(Credential.Absent, await AuthenticateAsync(scheme, "yrm_an-api-token-not-a-jwt"));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("exp")]
    public async Task AJws_NamingAnyHeaderParameterAsCritical_IsRefused_SinceTheServerUnderstandsNoExtension(string critical)
    {
        var scheme = Scheme();
        var token = _idp.Token(expires: Expires, notBefore: NotBefore, header: new Dictionary<string, object> { ["crit"] = new[] { critical }, [critical] = 1 });

        Assert.Equal("the JWT is refused: its header names extensions as critical (crit), and this server understands none", (await AuthenticateAsync(scheme, token)).Refusal);

        // The header is judged before the payload's claims: expired as well, the token is refused for its crit.
        _clock.Now = new DateTimeOffset(Expires.AddHours(1));
        Assert.Equal("the JWT is refused: its header names extensions as critical (crit), and this server understands none", (await AuthenticateAsync(scheme, token)).Refusal);
        _clock.Now = new DateTimeOffset(Expires.AddHours(-1));
        Assert.NotNull((await AuthenticateAsync(scheme, _idp.Token(expires: Expires, notBefore: NotBefore, header: new Dictionary<string, object> { ["x"] = 1 }))).Caller);
    }

    [Fact]
    public void ItsChallenge_AndWhatItAsksFor_NameABearerJwt()
    {
        var scheme = Scheme();

        Assert.Equal(("Bearer realm=\"metaservice\"", "Authorization: Bearer <JWT>"), (scheme.Challenge, scheme.Asks));
    }

    [Fact]
    public async Task AJwks_GivesItsRsaKeysByModulusOrCertificate_AndItsEcKeys_AndNoOtherKey()
    {
        using var rsa = RSA.Create(2048);
        using var certified = RSA.Create(2048);
        using var forEncryption = RSA.Create(2048);
        using var weak = RSA.Create(1024);
        using var weakCertified = RSA.Create(1024);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=idp", certified, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var weakCertificate = new CertificateRequest("CN=weak", weakCertified, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var (usable, encrypting, small) = (rsa.ExportParameters(false), forEncryption.ExportParameters(false), weak.ExportParameters(false));
        var point = ec.ExportParameters(false).Q;
        var jwks = Path.Combine(Path.GetDirectoryName(_idp.JwksFile)!, "mixed.json");
        File.WriteAllText(jwks, $$"""
            {"keys":[
              {"kty":"oct","kid":"hs","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ","alg":"HS256"},
              {"kty":"OKP","kid":"ed","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
              {"kty":"RSA","kid":"nothing"},
              {"kty":"RSA","kid":"enc","use":"enc","n":"{{Base64Url.EncodeToString(encrypting.Modulus)}}","e":"{{Base64Url.EncodeToString(encrypting.Exponent)}}"},
              {"kty":"EC","kid":"curve","crv":"P-999","x":"{{Base64Url.EncodeToString(point.X)}}","y":"{{Base64Url.EncodeToString(point.Y)}}"},
              {"kty":"RSA","kid":"rsa","use":"sig","n":"{{Base64Url.EncodeToString(usable.Modulus)}}","e":"{{Base64Url.EncodeToString(usable.Exponent)}}"},
              {"kty":"EC","kid":"ec","crv":"P-256","x":"{{Base64Url.EncodeToString(point.X)}}","y":"{{Base64Url.EncodeToString(point.Y)}}"},
              {"kty":"RSA","kid":"x5c","x5c":["{{Convert.ToBase64String(certificate.RawData)}}"]},
              {"kty":"RSA","kid":"weak","n":"{{Base64Url.EncodeToString(small.Modulus)}}","e":"{{Base64Url.EncodeToString(small.Exponent)}}"},
              {"kty":"RSA","kid":"weak-x5c","x5c":["{{Convert.ToBase64String(weakCertificate.RawData)}}"]}
            ]}
            """);
        var options = new JwtOptions { Issuer = JwtIssuer.Issuer, Audience = JwtIssuer.Audience, JwksFile = jwks };
        var scheme = new JwtScheme(Options.Create(new AuthOptions { Jwt = options }), _clock);

        var keys = JwtKeys.Load(options);
        var byCertificate = await AuthenticateAsync(scheme, Signed(new RsaSecurityKey(certified) { KeyId = "x5c" }, SecurityAlgorithms.RsaSha256));
        var byModulus = await AuthenticateAsync(scheme, Signed(new RsaSecurityKey(rsa) { KeyId = "rsa" }, SecurityAlgorithms.RsaSsaPssSha256));
        var byCurve = await AuthenticateAsync(scheme, Signed(new ECDsaSecurityKey(ec) { KeyId = "ec" }, SecurityAlgorithms.EcdsaSha256));
        var byEncryptionKey = await AuthenticateAsync(scheme, Signed(new RsaSecurityKey(forEncryption) { KeyId = "enc" }, SecurityAlgorithms.RsaSha256));
        var byWeakKey = await AuthenticateAsync(scheme, Signed(new RsaSecurityKey(weak) { KeyId = "weak" }, SecurityAlgorithms.RsaSha256));

        Assert.Null(keys.Problem);
        Assert.Equal(["rsa:RsaSecurityKey", "ec:ECDsaSecurityKey", "x5c:X509SecurityKey"], keys.Keys.Select(k => $"{k.KeyId}:{k.GetType().Name}"));
        Assert.Equal([Role.Editor, Role.Editor, Role.Editor], new[] { byCertificate, byModulus, byCurve }.Select(c => c.Caller?.Role));
        Assert.Equal("the JWT is refused: its signature does not verify with the configured keys", byEncryptionKey.Refusal);
        Assert.Equal("the JWT is refused: its signature does not verify with the configured keys", byWeakKey.Refusal);
        File.WriteAllText(jwks, $$"""{"keys":[{"kty":"oct","k":"c2VjcmV0"},{"kty":"RSA","kid":"nothing"},{"kty":"RSA","n":"{{Base64Url.EncodeToString(small.Modulus)}}","e":"AQAB"}]}""");
        Assert.StartsWith($"Auth:Jwt:JwksFile {jwks} holds no RSA (of at least 2048 bits) or EC signing key", JwtKeys.Load(options).Problem, StringComparison.Ordinal);
    }

    private static string Signed(SecurityKey key, string algorithm) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = JwtIssuer.Issuer,
        Audience = JwtIssuer.Audience,
        Claims = new Dictionary<string, object> { ["sub"] = "user-1", ["tenant"] = "alpha", ["role"] = "editor" },
        Expires = Expires,
        NotBefore = NotBefore,
        IssuedAt = NotBefore,
        SigningCredentials = new SigningCredentials(key, algorithm),
    });
}