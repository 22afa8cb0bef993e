using MetaService.Core.Catalog;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Catalog.StoredRecords;

namespace MetaService.Core.Tests.Catalog;

/// <summary>Reads at one revision: a list is read again while a change after the revision applied is being applied, and
/// gives up (as the store being unavailable) when the catalog changes during every one of its reads; a load that spans
/// pages misses no change made between them.</summary>
public sealed class FunctionCatalogRevisionTests
{
    private static readonly Tenant Alice = new("alice", "shop");

    [Fact]
    public async Task AReadDuringWhichTheCatalogChanged_IsReadAgain_AtTheLaterRevision()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        await catalog.FunctionCountAsync(Alice, ct);
        var reads = 0;
        var written = 0L;

        var (value, revision) = await catalog.AtOneRevisionAsync(
            async () =>
            {
                if (++reads == 1)
                {
                    written = await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
                    await catalog.WaitForAsync(written, ct);
                }

                return await catalog.FunctionCountAsync(Alice, ct);
            },
            ct);

        Assert.Equal((2, 1L, written), (reads, value, revision));
    }

    [Fact]
    public async Task AReadDuringWhichTheCatalogAlwaysChanges_GivesUpAfter64Reads()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        await catalog.FunctionCountAsync(Alice, ct);
        var reads = 0;

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await catalog.AtOneRevisionAsync(
            async () =>
            {
                reads++;
                await catalog.WaitForAsync(await PutAsync(temp.Store, Alice, "0-svc-a", "latest"), ct);
                return 0;
            },
            ct));

        Assert.Equal(64, reads);
        Assert.Equal("the function catalog changed during each of 64 reads of one list; retry", error.Message);
    }

    [Fact]
    public async Task AChangeMadeWhileTheLoadReadsItsPages_IsApplied()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        byte[] value = [1];
        await temp.Store.TxnAsync([], [.. Enumerable.Range(0, 10_001).Select(i => (WriteOp)new WriteOp.Put(PlatformKeys.Record(Alice, $"f{i:D5}", "latest"), value))], ct);
        var paging = new ChangingStore(temp.Store, PlatformKeys.Record(Alice, "f00000", "latest"));
        await using var catalog = new FunctionCatalog(paging, TimeProvider.System);

        await catalog.FunctionCountAsync(Alice, ct);
        await catalog.WaitForAsync(await temp.Store.GetRevisionAsync(ct), ct);

        Assert.True(paging.Deleted);
        Assert.Equal(10_000, await catalog.FunctionCountAsync(Alice, ct));
        Assert.Null(await catalog.GetAsync(PlatformKeys.Record(Alice, "f00000", "latest"), ct));
    }

    /// <summary>The store, which deletes a key of the first page before it answers the second.</summary>
    private sealed class ChangingStore(IMetaStore inner, string deleted) : DelegatingStore(inner)
    {
        public bool Deleted { get; private set; }

        public override async Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
        {
            if (startAfter is not null && !Deleted)
            {
                Deleted = true;
                await Inner.TxnAsync([], [new WriteOp.Delete(deleted)], cancellationToken);
            }

            return await Inner.RangeAsync(prefix, limit, startAfter, cancellationToken);
        }
    }
}