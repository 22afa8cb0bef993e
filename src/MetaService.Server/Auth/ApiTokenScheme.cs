using MetaService.Core;
using MetaService.Server.Tokens;

using Microsoft.AspNetCore.Connections.Features;

namespace MetaService.Server.Auth;

/// <summary>Mode <c>token</c>: MetaService's own API tokens, sent as <c>Authorization: Bearer &lt;token&gt;</c>, found by
/// their hash in the <see cref="TokenDirectory"/>. A bearer token in the form of a JWT is not one of them (no API token
/// has a dot): it is left to mode <c>jwt</c>, without a look-up in the store.</summary>
/// <remarks>An HTTP/1.x connection remembers the last header it proved and the record that proved it, so that the next
/// request on it with the same header skips the hash: it is let through only while the directory still holds that very
/// record (a revocation or any change of the token, through any replica, replaces or removes it) and the token has not
/// expired. Requests of one HTTP/1.x connection come one after another; HTTP/2 streams, which do not, always hash.</remarks>
public sealed class ApiTokenScheme(TokenDirectory tokens, TimeProvider time) : ICredentialScheme
{
    private const string Bearer = "Bearer ";

    private static readonly object Key = new();

    public string Challenge => "Bearer realm=\"metaservice\"";

    public string Asks => "Authorization: Bearer <API token>";

    public async ValueTask<Credential> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Credential.Absent;
        }

        var connection = HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol)
            ? request.HttpContext.Features.Get<IConnectionItemsFeature>()?.Items
            : null;
        if (connection is not null && connection.TryGetValue(Key, out var item) && item is Proved proved
            && string.Equals(proved.Header, header, StringComparison.Ordinal) && tokens.Holds(proved.Record)
            && !proved.Record.ExpiredAt(time.GetUtcNow()))
        {
            return new Credential(proved.Caller, null, Holds: proved.Holds);
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

        if (record.ExpiredAt(time.GetUtcNow()))
        {
            return Credential.Refused($"the bearer token {record.Id} has expired");
        }

        var caller = new Caller(record.Id, new Tenant(record.Tenant, record.Product), record.Role);
        var credential = Credential.Until(caller, c => HoldsAsync(record, c));
        connection?[Key] = new Proved(header, record, caller, credential.Holds!);
        return credential;
    }

    /// <summary>Whether the token <paramref name="record"/> proved is still there, unchanged and unexpired (any change of a
    /// token, its revocation included, gives it a new record).</summary>
    private async ValueTask<bool> HoldsAsync(TokenRecord record, CancellationToken cancellationToken) =>
        await tokens.FindAsync(record.Id, cancellationToken) is { } now && now == record && !now.ExpiredAt(time.GetUtcNow());

    /// <summary>What a connection's last proved header was, the record that proved it, the caller it made, and whether
    /// that record still holds (for long requests).</summary>
    private sealed record Proved(string Header, TokenRecord Record, Caller Caller, Func<CancellationToken, ValueTask<bool>> Holds);
}