using MetaService.Core.Storage;
using MetaService.Server.Auth;
using MetaService.Server.Tokens;

namespace MetaService.Server.Tests.Auth;

/// <summary>Token records written to a store directly, as another replica or an earlier server wrote them.</summary>
internal static class StoredTokens
{
    /// <summary>The record of <paramref name="token"/>, created now unless <paramref name="createdAt"/> says otherwise.</summary>
    public static TokenRecord Of(string token, string tenant, Role role, DateTimeOffset? createdAt = null, DateTimeOffset? expiresAt = null)
    {
        var hash = TokenRecord.HashOf(token);
        return new TokenRecord { Id = TokenRecord.IdOf(hash), Hash = hash, Tenant = tenant, Role = role, CreatedAt = createdAt ?? DateTimeOffset.UtcNow, ExpiresAt = expiresAt };
    }

    public static Task<TxnResult> PutAsync(IMetaStore store, TokenRecord record) =>
        store.TxnAsync([], [new WriteOp.Put(record.Key, record.ToBytes())], TestContext.Current.CancellationToken);
}