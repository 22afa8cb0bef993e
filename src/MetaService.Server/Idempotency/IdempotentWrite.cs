using System.Text.Json;

using MetaService.Core.Storage;

namespace MetaService.Server.Idempotency;

/// <summary>
/// The key a request with <c>Idempotency-Key</c> may take, set by <see cref="IdempotencyFilter"/> on the request: the
/// route's handler asks <see cref="Rider"/> for the compare and put that join its write's transaction, so the key and
/// the answer are stored with the write or not at all.
/// </summary>
internal sealed class IdempotentWrite(string storeKey, string hash, long priorModRevision, long expiresAt)
{
    public string Id { get; } = Guid.NewGuid().ToString("N");

    public string StoreKey => storeKey;

    /// <summary>The mod revision of the expired answer the key holds, 0 when it holds none.</summary>
    public long PriorModRevision => priorModRevision;

    /// <summary>The rider of the route's write, or null when the request carries no key.</summary>
    public static TxnRider<T>? Rider<T>(HttpContext context, Func<T, RenderedAnswer> render) =>
        context.Features.Get<IdempotentWrite>() is { } write
            ? new TxnRider<T>([new Compare(write.StoreKey, write.PriorModRevision)], result => [write.Put(render(result))])
            : null;

    private WriteOp.Put Put(RenderedAnswer answer)
    {
        var stored = new StoredAnswer(Id, hash, expiresAt, answer.Status, answer.ContentType, answer.Headers ?? [], answer.Body);
        return new WriteOp.Put(storeKey, JsonSerializer.SerializeToUtf8Bytes(stored, IdempotencyJson.Default.StoredAnswer));
    }
}