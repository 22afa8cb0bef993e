using MetaService.Core;
using MetaService.Server.Tokens;

namespace MetaService.Server.Auth;

/// <summary>Mode <c>token</c>: MetaService's own API tokens, sent as <c>Authorization: Bearer &lt;token&gt;</c>, found by
/// their hash in the <see cref="TokenDirectory"/>. A bearer token in the form of a JWT is not one of them (no API token
/// has a dot): it is left to mode <c>jwt</c>, without a look-up in the store.</summary>
public sealed class ApiTokenScheme(TokenDirectory tokens, TimeProvider time) : ICredentialScheme
{
    private const string Bearer = "Bearer ";

    public string Challenge => "Bearer realm=\"metaservice\"";

    public string Asks => "Authorization: Bearer <API token>";

    public async ValueTask<Credential> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Credential.Absent;
        }

        var token = header[Bearer.Length..].Trim();
        if (JwtScheme.LooksLikeJwt(token))
        {
            return Credential.Absent;
        }

        if (token.Length is < 16 or > 512)
        {
            return Credential.Refused("the bearer token is malformed");
        }

        var hash = TokenRecord.HashOf(token);
        var record = await tokens.FindAsync(TokenRecord.IdOf(hash), cancellationToken);
        if (record is null || !record.Matches(hash))
        {
            return Credential.Refused("the bearer token is unknown or revoked");
        }

        return record.ExpiredAt(time.GetUtcNow())
            ? Credential.Refused($"the bearer token {record.Id} has expired")
            : new Caller(record.Id, new Tenant(record.Tenant, record.Product), record.Role);
    }
}