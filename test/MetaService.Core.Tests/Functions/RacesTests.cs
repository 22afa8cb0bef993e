using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>A write that keeps losing its transaction to writers always ahead of it: a change of the draft retries a
/// bounded number of times and is then refused as stale, a create or delete gives up with a fault that says so, and
/// a publish, whose lost compare is final, is refused at once.</summary>
public sealed class RacesTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Fact]
    public async Task AnUpdateLosingEveryRace_TriesThirtyTwoTimes_AndIsRefusedAsStale()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        await using var losing = await LosingAsync(h);

        var updated = await losing.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Description = "x" }, ServiceHarness.Token);

        Assert.Equal(MetaError.RevisionMismatchOnUpdate(), updated.Error);
        Assert.Equal(32, losing.Store.Txns);
    }

    [Fact]
    public async Task ADeleteLosingEveryRace_TriesThirtyTwoTimes_AndGivesUp()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());
        await using var losing = await LosingAsync(h);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => losing.Service.DeleteAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token));

        Assert.Equal("deleting 0-svc-fn lost 32 races in a row", error.Message);
        Assert.Equal(32, losing.Store.Txns);
    }

    [Fact]
    public async Task ACreateCountingAPackage_LosingEveryRaceToNoDraft_TriesThirtyTwoTimes_AndGivesUp()
    {
        await using var h = new ServiceHarness();
        await using var losing = await LosingAsync(h);
        var request = ServiceHarness.Yrlib() with { CodeUploadType = "s3", S3CodePath = new S3CodePath { BucketId = "b", ObjectId = "o" } };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => losing.Service.CreateAsync(Tenant, request, ServiceHarness.Token));

        Assert.Equal("creating 0-svc-fn lost 32 races in a row", error.Message);
        Assert.Equal(32, losing.Store.Txns);
    }

    [Fact]
    public async Task ACreateLosingItsRace_WithoutAPackage_IsANameTakenAtOnce()
    {
        await using var h = new ServiceHarness();
        await using var losing = await LosingAsync(h);

        var created = await losing.Service.CreateAsync(Tenant, ServiceHarness.Yrlib(), ServiceHarness.Token);

        Assert.Equal(MetaError.NameExists(), created.Error);
        Assert.Equal(1, losing.Store.Txns);
    }

    [Fact]
    public async Task APublishLosingItsRace_IsRefusedAsStaleAtOnce()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        await using var losing = await LosingAsync(h);

        var published = await losing.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = created.RevisionId, VersionNumber = "v1" }, ServiceHarness.Token);

        Assert.Equal(MetaError.RevisionMismatchOnPublish(), published.Error);
        Assert.Equal(1, losing.Store.Txns);
    }

    private static async Task<Losing> LosingAsync(ServiceHarness h)
    {
        var store = new HeldWatchStore(h.Store);
        var catalog = new FunctionCatalog(store, TimeProvider.System);
        await catalog.WaitForAsync(await h.RevisionAsync(), ServiceHarness.Token);
        store.LoseEveryTxn = true;
        return new Losing(store, catalog, new FunctionService(catalog, h.Options, h.Clock));
    }

    private sealed record Losing(HeldWatchStore Store, FunctionCatalog Catalog, FunctionService Service) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Catalog.DisposeAsync();
            await Store.DisposeAsync();
        }
    }
}