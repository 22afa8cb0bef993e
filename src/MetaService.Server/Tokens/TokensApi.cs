using MetaService.Core;
using MetaService.Core.Storage;
using MetaService.Server.ApiDescription;
using MetaService.Server.Auth;
using MetaService.Server.Wire;

namespace MetaService.Server.Tokens;

/// <summary>The API token routes, admins only: create (the token is in this answer and nowhere else), list, revoke.
/// Under <c>/serverless/v1/tokens</c> and <c>/admin/v1/tokens</c>.</summary>
public static class TokensApi
{
    public static readonly string[] Roots = ["/serverless/v1/tokens", "/admin/v1/tokens"];

    /// <summary>The longest lifetime a token may be given: ten years.</summary>
    public const long MaxLifetimeSeconds = 10L * 366 * 24 * 3600;

    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        foreach (var root in Roots)
        {
            var tokens = app.MapGroup(root).WithTags("tokens").RequireAccess(Access.Admin);
            tokens.MapPost("", Create).WithRouteDoc(TokenDocs.Create);
            tokens.MapGet("", List).WithRouteDoc(TokenDocs.List);
            tokens.MapDelete("{id}", Revoke).WithRouteDoc(TokenDocs.Revoke);
        }

        return app;
    }

    private static async Task<IResult> Create(HttpRequest request, TokenDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await WireRequests.BodyAsync(request, TokenJson.Default.TokenRequest, cancellationToken);
        if (!body.TryGet(out var asked, out var error) || !Check(asked, request).TryGet(out var record, out error))
        {
            return WireResults.Error(error);
        }

        var token = TokenRecord.NewToken();
        var hash = TokenRecord.HashOf(token);
        var now = time.GetUtcNow();
        record = record with
        {
            Id = TokenRecord.IdOf(hash),
            Hash = hash,
            CreatedAt = now,
            ExpiresAt = asked.ExpiresInSeconds is { } seconds ? now.AddSeconds(seconds) : null,
        };
        var stored = await directory.Store.TxnAsync([Compare.Absent(record.Key)], [new WriteOp.Put(record.Key, record.ToBytes())], cancellationToken);
        return stored.Succeeded
            ? TypedResults.Json(new TokenEnvelope(0, "SUCCESS", TokenView.From(record) with { Token = token }), TokenJson.Default.TokenEnvelope)
            : WireResults.Error(new MetaError(4104, "a token with this id exists; create again", ErrorKind.Conflict));
    }

    private static async Task<IResult> List(TokenDirectory directory, CancellationToken cancellationToken)
    {
        var tokens = await directory.ListAsync(cancellationToken);
        return TypedResults.Json(new TokenListEnvelope(0, "SUCCESS", [.. tokens.OrderBy(t => t.CreatedAt).Select(TokenView.From)]), TokenJson.Default.TokenListEnvelope);
    }

    private static async Task<IResult> Revoke(string id, TokenDirectory directory, CancellationToken cancellationToken)
    {
        if (id.Length != 16 || !id.All(char.IsAsciiHexDigitLower))
        {
            return WireResults.Error(MetaError.InvalidParam($"token id '{(id.Length > 40 ? id[..40] : id)}' is not 16 lower-case hex digits (yrmeta token list shows them)"));
        }

        var key = TokenRecord.KeyOf(id);
        if (await directory.Store.GetAsync(key, cancellationToken) is not { } stored
            || !(await directory.Store.TxnAsync([new Compare(key, stored.ModRevision)], [new WriteOp.Delete(key)], cancellationToken)).Succeeded)
        {
            return WireResults.Error(NotFound(id));
        }

        directory.Forget(id);
        return TypedResults.Json(new TokenRevokedEnvelope(0, "SUCCESS"), TokenJson.Default.TokenRevokedEnvelope);
    }

    public static MetaError NotFound(string id) => new(190404, $"token {id} does not exist or is revoked", ErrorKind.NotFound);

    /// <summary>The record the request asks for, without id, hash and times; or what is wrong with it.</summary>
    private static Outcome<TokenRecord> Check(TokenRequest asked, HttpRequest request)
    {
        var tenant = asked.Tenant ?? (request.Headers["X-Tenant-Id"].ToString() is { Length: > 0 } header ? header : Tenant.Default.TenantId);
        var product = asked.Product ?? "";
        if (!WireRequests.IsTenantPart(tenant) || (product.Length > 0 && !WireRequests.IsTenantPart(product)))
        {
            return MetaError.InvalidParam("tenant and product must be 1 to 128 characters without '/', ':', '@', blanks or control characters");
        }

        // One role's name, in any case: Enum.TryParse alone would also take a number ("2") or a list ("viewer,admin" is admin).
        if (asked.Role is null || !asked.Role.All(char.IsAsciiLetter) || !Enum.TryParse<Role>(asked.Role, ignoreCase: true, out var role))
        {
            return MetaError.InvalidParam("role must be viewer, editor or admin");
        }

        if (asked.ExpiresInSeconds is < 1 or > MaxLifetimeSeconds)
        {
            return MetaError.InvalidParam($"expiresInSeconds must be 1 to {MaxLifetimeSeconds} (ten years), or absent for a token that does not expire");
        }

        if (asked.Description is { Length: > 256 })
        {
            return MetaError.InvalidParam("description must be at most 256 characters");
        }

        return new TokenRecord { Id = "", Hash = "", Tenant = tenant, Product = product, Role = role, Description = asked.Description ?? "", CreatedAt = default };
    }
}