using System.Globalization;

namespace MetaService.Server.Auth;

/// <summary>Mode <c>jwt</c> (<c>Auth:Jwt</c>): JWTs of an external identity provider, checked offline with the keys of
/// <see cref="KeyFile"/> and/or <see cref="JwksFile"/> (docs/security.md).</summary>
public sealed class JwtOptions
{
    /// <summary>The <c>iss</c> every token must carry (the identity provider's issuer URL).</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The <c>aud</c> every token must carry (the audience the provider issues tokens for MetaService with).</summary>
    public string Audience { get; set; } = "";

    /// <summary>A PEM public key (<c>BEGIN PUBLIC KEY</c>, RSA or EC; or <c>BEGIN RSA PUBLIC KEY</c>).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>A JSON Web Key Set file (the provider's <c>jwks_uri</c> document, saved).</summary>
    public string JwksFile { get; set; } = "";

    /// <summary>How far <c>exp</c> and <c>nbf</c> may be off the server's clock.</summary>
    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>The claim that names the caller's tenant.</summary>
    public string TenantClaim { get; set; } = "tenant";

    /// <summary>The claim whose value (a string or an array of strings) maps to a role through <see cref="Roles"/>.</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>The claim that names the caller's product; empty: tokens carry no product.</summary>
    public string ProductClaim { get; set; } = "";

    public JwtRoleValues Roles { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        if (Issuer.Length == 0)
        {
            yield return "Auth:Mode jwt needs Auth:Jwt:Issuer: the iss of the identity provider's tokens (e.g. https://login.example.com/realms/platform)";
        }

        if (Audience.Length == 0)
        {
            yield return "Auth:Mode jwt needs Auth:Jwt:Audience: the aud the identity provider puts in tokens meant for MetaService";
        }

        if (KeyFile.Length == 0 && JwksFile.Length == 0)
        {
            yield return "Auth:Mode jwt needs the provider's keys: set Auth:Jwt:KeyFile (a PEM public key, RSA or EC) and/or Auth:Jwt:JwksFile (a JWKS document)";
        }
        else if (JwtKeys.Load(this).Problem is { } problem)
        {
            yield return problem;
        }

        if (ClockSkewSeconds is < 0 or > 3600)
        {
            yield return $"Auth:Jwt:ClockSkewSeconds is {ClockSkewSeconds.ToString(CultureInfo.InvariantCulture)}: give 0 to 3600 seconds (default 60)";
        }

        foreach (var (name, claim) in new[] { ("TenantClaim", TenantClaim), ("RoleClaim", RoleClaim) }.Where(c => string.IsNullOrWhiteSpace(c.Item2)))
        {
            yield return $"Auth:Jwt:{name} is empty: name the claim (default {(name == "TenantClaim" ? "tenant" : "role")})";
        }

        foreach (var value in Roles.Ambiguous())
        {
            yield return $"Auth:Jwt:Roles maps the claim value '{value}' to more than one role: list it under one of Viewer, Editor, Admin";
        }
    }
}

/// <summary>Which values of the role claim make a viewer, an editor or an admin (<c>Auth:Jwt:Roles:Editor:0 …</c>). When
/// none is set, the values are the roles' own names (<c>viewer</c>, <c>editor</c>, <c>admin</c>); once any is set, only
/// the values set count (so leaving <c>Admin</c> out keeps every JWT below admin).</summary>
public sealed class JwtRoleValues
{
    public string[] Viewer { get; set; } = [];

    public string[] Editor { get; set; } = [];

    public string[] Admin { get; set; } = [];

    /// <summary>The role a claim value maps to, or null.</summary>
    public Role? Of(string value)
    {
        var defaults = Viewer.Length == 0 && Editor.Length == 0 && Admin.Length == 0;
        return (defaults ? Default : Configured).TryGetValue(value, out var role) ? role : null;
    }

    internal IEnumerable<string> Ambiguous() =>
        Viewer.Concat(Editor).Concat(Admin).GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);

    private static readonly Dictionary<string, Role> Default = new(StringComparer.Ordinal)
    {
        ["viewer"] = Role.Viewer,
        ["editor"] = Role.Editor,
        ["admin"] = Role.Admin,
    };

    private Dictionary<string, Role> Configured => field ??= Viewer.Select(v => (v, Role.Viewer))
        .Concat(Editor.Select(v => (v, Role.Editor))).Concat(Admin.Select(v => (v, Role.Admin)))
        .DistinctBy(p => p.v, StringComparer.Ordinal).ToDictionary(p => p.v, p => p.Item2, StringComparer.Ordinal);
}