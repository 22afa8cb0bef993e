using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Pools.Tests.Seam;

/// <summary>Service tests written against the store seam: each backend's subclass says only how to open a
/// fresh store, so the etcd backend inherits the same tests.</summary>
public abstract class StoreSeamTests : IAsyncLifetime
{
    private IMetaStore? _store;

    protected IMetaStore Store => _store ?? throw new InvalidOperationException("the store is not open");

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Opens a new, empty store.</summary>
    protected abstract Task<IMetaStore> OpenStoreAsync();

    public async ValueTask InitializeAsync() => _store = await OpenStoreAsync();

    public virtual async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}