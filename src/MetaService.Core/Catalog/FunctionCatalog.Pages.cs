using MetaService.Core.Storage;

namespace MetaService.Core.Catalog;

/// <summary>Pages in key order, for lists continued with a token (<c>limit</c> and <c>continue</c>).</summary>
public sealed partial class FunctionCatalog
{
    /// <summary>Up to <paramref name="take"/> versions of the tenant that <see cref="MatchAsync"/> would give, after the key part
    /// <paramref name="after"/>, in key order; with the revision the catalog had applied when it read them (at least).</summary>
    public async ValueTask<(List<FunctionEntry> Rows, long Revision)> PageAsync(Tenant tenant, string? name, string? version, string? after, int take, CancellationToken cancellationToken)
    {
        var state = await ReadyAsync(cancellationToken);
        return await AtOneRevisionAsync(() =>
        {
            var index = state.Tenants.GetValueOrDefault(PlatformKeys.TenantRecords(tenant));
            if (index is null)
            {
                return ValueTask.FromResult(new List<FunctionEntry>());
            }

            lock (index)
            {
                return ValueTask.FromResult(index.MatchAfter(name, version, after, take));
            }
        }, cancellationToken);
    }

    /// <summary>What <paramref name="read"/> reads from the catalog, and the revision at which it is exactly the store's
    /// state: read while no change after the revision applied had begun to be applied (else read again, once the catalog
    /// has applied it). A list answered with this revision, then a watch from it, sees every change exactly once.</summary>
    public async ValueTask<(T Value, long Revision)> AtOneRevisionAsync<T>(Func<ValueTask<T>> read, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        for (var attempt = 0; attempt < MaxReads; attempt++)
        {
            var revision = AppliedRevision;
            var value = await read();
            var applying = Interlocked.Read(ref _applying);
            if (applying <= revision)
            {
                return (value, revision);
            }

            await WaitForAsync(applying, cancellationToken);
        }

        throw new StoreUnavailableException($"the function catalog changed during each of {MaxReads} reads of one list; retry");
    }

    private const int MaxReads = 64;

    /// <summary>Applies a change to <paramref name="state"/>, noting first that its revision is being applied.</summary>
    private Action<WatchEvent> Applying(CatalogState state) => change =>
    {
        Interlocked.Exchange(ref _applying, change.Kv.ModRevision);
        state.Apply(change);
    };
}