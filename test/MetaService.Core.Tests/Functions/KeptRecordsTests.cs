using System.Text.Json.Nodes;

using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>What a write leaves decoded in its catalog: each record it wrote, counted by its stored size, so that the next
/// change of the draft starts without reading the store; a dry run keeps nothing.</summary>
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
        await using var catalog = new FunctionCatalog(counted, TimeProvider.System);
        var service = new FunctionService(catalog, h.Options, h.Clock);
        var created = await service.CreateAsync(Tenant, ServiceHarness.Yrlib(), ServiceHarness.Token);

        var reads = counted.Gets;
        var updated = await service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.Value!.RevisionId, Description = "x" }, ServiceHarness.Token);
        await service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["handler"] = "h.x" }, [updated.Value!.RevisionId], ServiceHarness.Token);

        Assert.Equal(reads, counted.Gets);
    }
}