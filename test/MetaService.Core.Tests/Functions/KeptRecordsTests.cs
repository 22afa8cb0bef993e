using System.Text.Json.Nodes;

using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>What a write leaves decoded in its catalog: each record it wrote, counted by its stored size, and a draft it had
/// to read again from the store, so that the next change of the draft starts without reading the store; a dry run keeps
/// nothing, and neither does a get (which would push out the drafts).</summary>
public sealed class KeptRecordsTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    private static async Task<long> StoredBytesAsync(ServiceHarness h, params string[] versions)
    {
        long bytes = 0;
        foreach (var version in versions)
        {
            bytes += (await h.GetAsync(PlatformKeys.Record(Tenant, "0-svc-fn", version)))!.Value.Length + RecordCache.EntryOverhead;
        }

        return bytes;
    }

    [Fact]
    public async Task EachWrite_KeepsTheRecordsItWrote_ByTheirStoredSize()
    {
        await using var h = new ServiceHarness();

        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        Assert.Equal(await StoredBytesAsync(h, "$latest"), h.Catalog.CachedRecordBytes);

        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Description = new string('d', 500) }, ServiceHarness.Token);
        Assert.Equal(await StoredBytesAsync(h, "$latest"), h.Catalog.CachedRecordBytes);

        await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = updated.Value!.RevisionId, VersionNumber = "v1" }, ServiceHarness.Token);
        Assert.Equal(await StoredBytesAsync(h, "$latest", "v1"), h.Catalog.CachedRecordBytes);
    }

    [Fact]
    public async Task ADryRun_KeepsNothing()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        var kept = h.Catalog.CachedRecordBytes;
        var dry = h.Service.AsDryRun();

        await dry.CreateAsync(Tenant, ServiceHarness.Yrlib("0-svc-other"), ServiceHarness.Token);
        await dry.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Description = new string('d', 500) }, ServiceHarness.Token);
        await dry.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = created.RevisionId, VersionNumber = "v1" }, ServiceHarness.Token);

        Assert.Equal(kept, h.Catalog.CachedRecordBytes);
    }

    [Fact]
    public async Task AChangeRightAfterItsOwnWrite_DoesNotReadTheStore()
    {
        await using var h = new ServiceHarness();
        await using var counted = new HeldWatchStore(h.Store);
        var service = h.ServiceOver(counted, out var catalog);
        var created = await service.CreateAsync(Tenant, ServiceHarness.Yrlib(), ServiceHarness.Token);

        var reads = counted.Gets;
        var updated = await service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.Value!.RevisionId, Description = "x" }, ServiceHarness.Token);
        await service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["handler"] = "h.x" }, [updated.Value!.RevisionId], ServiceHarness.Token);

        Assert.Equal(reads, counted.Gets);
    }

    [Fact]
    public async Task AGet_KeepsNothing_SoItDoesNotPushOutTheDraftTheNextChangeStartsFrom()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        await h.PublishAsync("0-svc-fn", "v1");
        var oneRecord = Math.Max(await StoredBytesAsync(h, "$latest"), await StoredBytesAsync(h, "v1")) + 100;
        await using var counted = new HeldWatchStore(h.Store);
        await using var catalog = new FunctionCatalog(counted, TimeProvider.System, oneRecord);
        var service = new FunctionService(catalog, h.Options, h.Clock);
        var updated = await service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Description = "x" }, ServiceHarness.Token);
        Assert.Equal("v1", (await service.GetAsync(Tenant, "0-svc-fn", "v1", null, ServiceHarness.Token)).Value!.VersionNumber);

        var reads = counted.Gets;
        await service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = updated.Value!.RevisionId, Description = "y" }, ServiceHarness.Token);

        Assert.Equal(reads, counted.Gets);
    }

    [Fact]
    public async Task ADraftReadAgainFromTheStore_IsKept_ForTheNextChangeOnceTheCatalogHasCaughtUp()
    {
        await using var h = new ServiceHarness();
        await using var held = new HeldWatchStore(h.Store);
        var lagging = h.ServiceOver(held, out var catalog);
        var created = await lagging.CreateAsync(Tenant, ServiceHarness.Yrlib(), ServiceHarness.Token);
        held.Hold();
        var elsewhere = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.Value!.RevisionId, Description = "elsewhere" }, ServiceHarness.Token);
        var stale = await lagging.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = "20200101000000", Description = "x" }, ServiceHarness.Token);
        Assert.Equal(MetaError.RevisionMismatchOnUpdate(), stale.Error);
        held.Release();
        await catalog.WaitForAsync(await h.RevisionAsync(), ServiceHarness.Token);

        var reads = held.Gets;
        var updated = await lagging.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = elsewhere.Value!.RevisionId, Handler = "h.x" }, ServiceHarness.Token);

        Assert.Equal(("elsewhere", "h.x"), (updated.Value!.Description, updated.Value.Handler));
        Assert.Equal(reads, held.Gets);
    }
}