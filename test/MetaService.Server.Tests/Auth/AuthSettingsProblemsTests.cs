using System.Security.Cryptography;

using MetaService.Server.Auth;
using MetaService.Tests.Pki;

namespace MetaService.Server.Tests.Auth;

/// <summary>What <c>Auth:Jwt</c> and <c>Auth:Mtls</c> settings the server refuses to start with, each problem's whole
/// line, and the values at each bound it accepts; the JWT keys each file may hold.</summary>
public sealed class AuthSettingsProblemsTests : IDisposable
{
    private readonly JwtIssuer _idp = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("metaservice-authsettings-").FullName;

    public void Dispose()
    {
        _idp.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private JwtOptions Jwt(Action<JwtOptions>? change = null)
    {
        var options = new JwtOptions { Issuer = JwtIssuer.Issuer, Audience = JwtIssuer.Audience, KeyFile = _idp.KeyFile };
        change?.Invoke(options);
        return options;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void JwtSettings_WithTheirValuesAtEachBound_HaveNoProblem()
    {
        Assert.Empty(Jwt().Problems());
        Assert.Empty(Jwt(o => (o.KeyFile, o.JwksFile) = ("", _idp.JwksFile)).Problems());
        Assert.Empty(Jwt(o => o.JwksFile = _idp.JwksFile).Problems());
        Assert.Empty(Jwt(o => o.ClockSkewSeconds = 0).Problems());
        Assert.Empty(Jwt(o => o.ClockSkewSeconds = 3600).Problems());
    }

    [Fact]
    public void EachJwtProblem_IsOneLineSayingWhatToSet()
    {
        Assert.Equal(
            [
                "Auth:Mode jwt needs Auth:Jwt:Issuer: the iss of the identity provider's tokens (e.g. https://login.example.com/realms/platform)",
                "Auth:Mode jwt needs Auth:Jwt:Audience: the aud the identity provider puts in tokens meant for MetaService",
                "Auth:Mode jwt needs the provider's keys: set Auth:Jwt:KeyFile (a PEM public key, RSA or EC) and/or Auth:Jwt:JwksFile (a JWKS document)",
                "Auth:Jwt:ClockSkewSeconds is -1: give 0 to 3600 seconds (default 60)",
                "Auth:Jwt:TenantClaim is empty: name the claim (default tenant)",
                "Auth:Jwt:RoleClaim is empty: name the claim (default role)",
                "Auth:Jwt:Roles maps the claim value 'ops' to more than one role: list it under one of Viewer, Editor, Admin",
            ],
            new JwtOptions { ClockSkewSeconds = -1, TenantClaim = " ", RoleClaim = "", Roles = new() { Editor = ["ops"], Admin = ["ops"] } }.Problems());
        Assert.Equal(["Auth:Jwt:ClockSkewSeconds is 3601: give 0 to 3600 seconds (default 60)"], Jwt(o => o.ClockSkewSeconds = 3601).Problems());
    }

    [Fact]
    public void AKeyFileOrJwksThatHoldsNoUsableKey_IsAProblemNamingTheFile()
    {
        using var small = RSA.Create(1024);
        var weak = Write("weak.pem", small.ExportSubjectPublicKeyInfoPem());
        var junk = Write("junk.pem", "not a key");
        var symmetric = Write("hs.json", """{"keys":[{"kty":"oct","k":"c2VjcmV0","alg":"HS256"}]}""");
        var broken = Write("broken.json", "{");
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecFile = Write("ec.pem", ec.ExportSubjectPublicKeyInfoPem());
        var missing = Path.Combine(_directory, "absent.pem");

        Assert.Empty(Jwt(o => o.KeyFile = ecFile).Problems());
        Assert.Equal([$"Auth:Jwt:KeyFile {weak} holds no usable PEM public key: give an EC key or an RSA key of at least 2048 bits as -----BEGIN PUBLIC KEY----- (openssl pkey -pubout)"], Jwt(o => o.KeyFile = weak).Problems());
        Assert.Equal([$"Auth:Jwt:KeyFile {junk} holds no usable PEM public key: give an EC key or an RSA key of at least 2048 bits as -----BEGIN PUBLIC KEY----- (openssl pkey -pubout)"], Jwt(o => o.KeyFile = junk).Problems());
        Assert.StartsWith($"Auth:Jwt:KeyFile {missing} cannot be read (", Assert.Single(Jwt(o => o.KeyFile = missing).Problems()), StringComparison.Ordinal);
        Assert.StartsWith($"Auth:Jwt:JwksFile {missing} cannot be read (", Assert.Single(Jwt(o => (o.KeyFile, o.JwksFile) = ("", missing)).Problems()), StringComparison.Ordinal);
        foreach (var jwks in new[] { symmetric, broken })
        {
            Assert.StartsWith($"Auth:Jwt:JwksFile {jwks} holds no RSA (of at least 2048 bits) or EC signing key", Assert.Single(Jwt(o => (o.KeyFile, o.JwksFile) = ("", jwks)).Problems()), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheRoleValues_AreTheRolesNames_UntilAnyIsSet_ThenOnlyThoseSet()
    {
        var byDefault = new JwtRoleValues();
        var set = new JwtRoleValues { Editor = ["dev"] };

        Assert.Equal((Role.Viewer, Role.Editor, Role.Admin), (byDefault.Of("viewer"), byDefault.Of("editor"), byDefault.Of("admin")));
        Assert.Null(byDefault.Of("dev"));
        Assert.Equal(Role.Editor, set.Of("dev"));
        Assert.Null(set.Of("editor"));
        Assert.Equal(Role.Admin, new JwtRoleValues { Viewer = ["r"], Admin = ["a"] }.Of("a"));
        Assert.Null(new JwtRoleValues { Admin = ["a"] }.Of("viewer"));
    }

    [Fact]
    public void MtlsSettings_NameAReadableCaAndFieldsOfACertificate()
    {
        var pki = TlsCertificates.Create(Directory.CreateTempSubdirectory("metaservice-authsettings-pki-").FullName);
        var leafOnly = Write("leaf.pem", pki.Client("CN=leaf").ExportCertificatePem());
        var missing = Path.Combine(_directory, "absent.crt");
        const string Fields = "names no certificate field: use CN, O, OU, SAN:DNS or SAN:URI, optionally followed by :MARKER (e.g. SAN:URI:/tenant/)";

        Assert.Empty(new MtlsOptions { CaFile = pki.CaFile }.Problems());
        Assert.Empty(new MtlsOptions { CaFile = pki.CaFile, TenantFrom = "san:dns", RoleFrom = "CN:role=", ProductFrom = "SAN:URI:/p/" }.Problems());
        Assert.Equal(
            ["Auth:Mode mtls needs the CA that signs the callers' certificates: set Auth:Mtls:CaFile to its PEM file", $"Auth:Mtls:TenantFrom '' {Fields}", $"Auth:Mtls:RoleFrom 'OU:' {Fields}", $"Auth:Mtls:ProductFrom 'L' {Fields}"],
            new MtlsOptions { TenantFrom = "", RoleFrom = "OU:", ProductFrom = "L" }.Problems());
        Assert.Equal([$"Auth:Mtls:RoleFrom '' {Fields}"], new MtlsOptions { CaFile = pki.CaFile, RoleFrom = "" }.Problems());
        Assert.Equal([$"Auth:Mtls:CaFile '{missing}' does not exist"], new MtlsOptions { CaFile = missing }.Problems());
        Assert.Equal([$"Auth:Mtls:CaFile '{leafOnly}' holds no self-signed CA certificate (PEM): give the root of the callers' certificates, and any intermediates after it"], new MtlsOptions { CaFile = leafOnly }.Problems());
        Assert.Equal([$"Auth:Mtls:CaFile '{junkCa()}' holds no self-signed CA certificate (PEM): give the root of the callers' certificates, and any intermediates after it"], new MtlsOptions { CaFile = junkCa() }.Problems());
        // A file that exists but cannot be read (as root, permissions do not stop a read; this one fails with EIO).
        Assert.Equal(["Auth:Mtls:CaFile '/proc/self/mem' holds no self-signed CA certificate (PEM): give the root of the callers' certificates, and any intermediates after it"], new MtlsOptions { CaFile = "/proc/self/mem" }.Problems());
        Directory.Delete(pki.Directory, recursive: true);

        string junkCa() => Write("junk.crt", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
    }

    [Fact]
    public void EachModeProblem_IsOneLineSayingWhatToSet()
    {
        const string NoKey = "Auth:Mode openyuanrong needs the cluster's token key: set the environment variable LITEBUS_DATA_KEY "
            + "(as openYuanrong's components get it) or Auth:OpenYuanrong:DataKey, upper-case hex";

        Assert.Equal(["Auth:Mode 'tokens' is not a mode: use none (the default) or one or more of token, openyuanrong, jwt, mtls, comma-separated"], new AuthOptions { Mode = "tokens" }.Problems());
        Assert.Equal(["Auth:Mode is empty: use none (the default), token, openyuanrong, jwt, mtls, or several of them comma-separated"], new AuthOptions { Mode = " , " }.Problems());
        Assert.Equal([NoKey], new AuthOptions { Mode = "OpenYuanrong" }.Problems());
        Assert.Equal(["Auth:Mode mtls needs the CA that signs the callers' certificates: set Auth:Mtls:CaFile to its PEM file"], new AuthOptions { Mode = "token, mtls" }.Problems());
        Assert.Equal(
            ["Auth:MetricsAccess is 7: use Anonymous, Viewer, Editor or Admin", "Auth:ApiDescriptionAccess is -1: use Anonymous, Viewer, Editor or Admin"],
            new AuthOptions { MetricsAccess = (Access)7, ApiDescriptionAccess = (Access)(-1) }.Problems());
        Assert.Empty(new AuthOptions { Mode = "none" }.Problems());
    }

    [Theory]
    [InlineData("ABC")]
    [InlineData("6d792d")]
    [InlineData("6D792G")]
    public void ADataKeyThatIsNotUpperCaseHexOfEvenLength_IsAProblem_AndReadsAsNoKey(string key)
    {
        var options = new OpenYuanrongOptions { DataKey = key };

        Assert.Equal(
            [$"Auth:OpenYuanrong:DataKey (or LITEBUS_DATA_KEY) must be upper-case hex of even length (0-9, A-F), as openYuanrong's IAM server decodes it; it has {key.Length} characters"],
            options.Problems());
        Assert.Empty(options.KeyBytes);
        Assert.Empty(new OpenYuanrongOptions { DataKey = "09AF" }.Problems());
        Assert.Equal([0x09, 0xAF], new OpenYuanrongOptions { DataKey = "09AF" }.KeyBytes);
    }
}