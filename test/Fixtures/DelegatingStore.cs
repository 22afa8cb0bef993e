using MetaService.Core.Storage;

namespace MetaService.Tests.Fixtures;

/// <summary>A store that passes every call to the store under it: a test's wrapper derives from it and overrides only
/// what it changes (a held watch, a lost transaction, a count). Disposing it disposes the store under it only when
/// <paramref name="ownsInner"/> says the wrapper owns it; otherwise that store belongs to whoever made it.</summary>
public abstract class DelegatingStore(IMetaStore inner, bool ownsInner = false) : IMetaStore
{
    /// <summary>The store every call not overridden goes to.</summary>
    protected IMetaStore Inner => inner;

    public virtual Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public virtual Task<KeyValue?> GetAtAsync(string key, long modRevision, CancellationToken cancellationToken = default) =>
        inner.GetAtAsync(key, modRevision, cancellationToken);

    public virtual Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        inner.RangeAsync(prefix, limit, startAfter, cancellationToken);

    /// <summary>A keys-only read goes through <see cref="RangeAsync"/>, as in a store that cannot skip values: a wrapper
    /// that holds or breaks range reads holds or breaks these too.</summary>
    public virtual Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        RangeAsync(prefix, limit, startAfter, cancellationToken);

    public virtual Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default) =>
        inner.TxnAsync(compares, writes, cancellationToken);

    public virtual IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(prefix, fromRevision, cancellationToken);

    public virtual Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => inner.GetRevisionAsync(cancellationToken);

    public virtual IAppendLog? Appends => inner.Appends;

    public virtual Task<bool> KeepsRevisionAsync(long revision, CancellationToken cancellationToken = default) =>
        inner.KeepsRevisionAsync(revision, cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ownsInner ? inner.DisposeAsync() : ValueTask.CompletedTask;
    }

    /// <summary>A transaction's answer when it lost its compares and wrote nothing (as to another writer that committed
    /// first): at the store's current revision.</summary>
    protected async Task<TxnResult> LostAsync(CancellationToken cancellationToken) =>
        new(false, await inner.GetRevisionAsync(cancellationToken), Changed: false);
}