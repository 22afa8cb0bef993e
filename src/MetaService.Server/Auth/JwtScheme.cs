using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

using MetaService.Core;
using MetaService.Server.Wire;

using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MetaService.Server.Auth;

/// <summary>
/// Mode <c>jwt</c>: standard JWTs of an external identity provider, sent as <c>Authorization: Bearer</c>, checked offline
/// with the keys of <c>Auth:Jwt:KeyFile</c>/<c>JwksFile</c>: an asymmetric signature (RS*, PS*, ES*; never <c>none</c>
/// or HMAC), <c>iss</c>, <c>aud</c>, <c>exp</c> (required) and <c>nbf</c> within the clock skew, a <c>sub</c>, the tenant
/// claim and the role claim. A role value <c>Auth:Jwt:Roles</c> does not map is 403: the token is genuine, its holder may
/// not call this service (as openYuanrong's role <c>user</c>). A bearer token that is not a JWT is not this mode's: the
/// gate asks the next one (mode <c>token</c>), and mode <c>token</c> leaves JWTs to this one.
/// </summary>
public sealed class JwtScheme : ICredentialScheme
{
    private const string Bearer = "Bearer ";

    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false, MaximumTokenSizeInBytes = 16 * 1024 };
    private readonly TokenValidationParameters _parameters;
    private readonly JwtOptions _options;
    private readonly TimeProvider _time;
    private readonly TimeSpan _skew;

    public JwtScheme(IOptions<AuthOptions> options, TimeProvider time)
    {
        _options = options.Value.Jwt;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            IssuerSigningKeys = JwtKeys.Load(_options).Keys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            // The lifetime is checked below, on the server's TimeProvider (the library reads the system clock).
            ValidateLifetime = false,
            TryAllIssuerSigningKeys = true,
        };
        _time = time;
        _skew = TimeSpan.FromSeconds(_options.ClockSkewSeconds);
    }

    public string Challenge => "Bearer realm=\"metaservice\"";

    public string Asks => "Authorization: Bearer <JWT>";

    /// <summary>Whether <paramref name="token"/> has the form of a JWS (three base64url parts, the first a JSON object
    /// with <c>alg</c>); MetaService's API tokens never do.</summary>
    public static bool LooksLikeJwt(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || token.AsSpan(dot + 1).Count('.') != 1 || dot > 2048)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[Base64Url.GetMaxDecodedLength(dot)];
        // Not TryDecodeFromChars: it throws on a character outside base64url, and any bearer value reaches here.
        if (Base64Url.DecodeFromChars(token.AsSpan(0, dot), header, out _, out var written) != OperationStatus.Done)
        {
            return false;
        }

        var reader = new Utf8JsonReader(header[..written]);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    public async ValueTask<Credential> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Credential.Absent;
        }

        var token = header[Bearer.Length..].Trim();
        if (!LooksLikeJwt(token))
        {
            return Credential.Absent;
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            return Credential.Refused("the JWT is refused: " + Why(result.Exception));
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        return (CriticalProblem(jwt) ?? LifetimeProblem(jwt)) is { } problem ? Credential.Refused("the JWT is refused: " + problem) : CallerOf(jwt);
    }

    /// <summary>RFC 7515 §4.1.11: a JWS whose <c>crit</c> header names extensions the recipient does not understand must be
    /// refused. MetaService understands none (the identity library would take such a token).</summary>
    private static string? CriticalProblem(JsonWebToken jwt) =>
        jwt.TryGetHeaderValue<object>("crit", out _) ? "its header names extensions as critical (crit), and this server understands none" : null;

    private string? LifetimeProblem(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<long>("exp", out _))
        {
            return "it has no exp claim (a number)";
        }

        var now = _time.GetUtcNow().UtcDateTime;
        if (jwt.ValidTo + _skew < now)
        {
            return "it has expired (exp)";
        }

        return jwt.TryGetPayloadValue<long>("nbf", out _) && jwt.ValidFrom - _skew > now ? "it is not valid yet (nbf)" : null;
    }

    private Credential CallerOf(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<string>("sub", out var subject) || string.IsNullOrEmpty(subject))
        {
            return Credential.Refused("the JWT has no sub claim: the identity provider must name the subject");
        }

        if (!jwt.TryGetPayloadValue<string>(_options.TenantClaim, out var tenant) || string.IsNullOrEmpty(tenant))
        {
            return Credential.Refused($"the JWT has no tenant claim '{_options.TenantClaim}' (a string; Auth:Jwt:TenantClaim names it)");
        }

        if (!WireRequests.IsTenantPart(tenant))
        {
            return Credential.Refused($"the JWT's tenant claim '{_options.TenantClaim}' is not a tenant: 1 to 128 characters without '/', ':', '@', blanks or control characters");
        }

        var product = "";
        if (_options.ProductClaim.Length > 0 && jwt.TryGetPayloadValue<string>(_options.ProductClaim, out var named) && !string.IsNullOrEmpty(named))
        {
            if (!WireRequests.IsTenantPart(named))
            {
                return Credential.Refused($"the JWT's product claim '{_options.ProductClaim}' is not a product id: 1 to 128 characters without '/', ':', '@', blanks or control characters");
            }

            product = named;
        }

        var values = RoleValues(jwt);
        if (values.Count == 0)
        {
            return Credential.Refused($"the JWT has no role claim '{_options.RoleClaim}' (a string or an array of strings; Auth:Jwt:RoleClaim names it)");
        }

        if (values.Select(_options.Roles.Of).Max() is not { } role)
        {
            return Credential.NotAllowed($"the JWT's role claim '{_options.RoleClaim}' has no value Auth:Jwt:Roles maps to viewer, editor or admin");
        }

        // Issuer and subject, so that two providers' subjects never share a rate budget.
        var expires = jwt.ValidTo + _skew;
        return Credential.Until(new Caller($"jwt:{jwt.Issuer} {subject}", new Tenant(tenant, product), role), _ => ValueTask.FromResult(_time.GetUtcNow().UtcDateTime <= expires));
    }

    /// <summary>The values of the role claim: a string, or each string of an array (the library gives an array's items
    /// as claims of the same type).</summary>
    private List<string> RoleValues(JsonWebToken jwt) =>
        [.. jwt.Claims.Where(c => c.Type == _options.RoleClaim && c.Value.Length > 0).Select(c => c.Value)];

    /// <summary>The refusal in words of our own: the library's messages hide their details and name its internals.</summary>
    private static string Why(Exception? exception) => exception switch
    {
        SecurityTokenInvalidIssuerException => "its issuer (iss) is not Auth:Jwt:Issuer",
        SecurityTokenInvalidAudienceException => "its audience (aud) is not Auth:Jwt:Audience",
        SecurityTokenInvalidAlgorithmException => "its algorithm is not one of RS256/384/512, PS256/384/512, ES256/384/512",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "its signature does not verify with the configured keys",
        SecurityTokenMalformedException or ArgumentException => "it is malformed",
        _ => "it does not verify",
    };
}