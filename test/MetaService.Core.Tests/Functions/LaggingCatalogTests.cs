using MetaService.Core.Functions;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>A change of the draft starts from what its catalog knows, which may trail a write made elsewhere (another
/// replica): a draft the catalog has not seen yet, or a revisionId it has not seen, is checked again in the store, and a
/// stale draft loses its compare and is refused as stale. A get of a function deleted elsewhere is not found, and a
/// delete answers only once its own catalog has heard it.</summary>
public sealed class LaggingCatalogTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Fact]
    public async Task AnUpdate_WithARevisionIdItsCatalogHasNotSeen_IsCheckedInTheStore()
    {
        await using var h = new ServiceHarness();
        await using var held = new HeldWatchStore(h.Store);
        var lagging = h.ServiceOver(held, out var catalog);
        var created = await lagging.CreateAsync(Tenant, ServiceHarness.Yrlib(), ServiceHarness.Token);
        held.Hold();
        var elsewhere = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.Value!.RevisionId, Description = "elsewhere" }, ServiceHarness.Token);

        var update = await WhileHeldAsync(h, held, () => lagging.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = elsewhere.Value!.RevisionId, Handler = "h.lagging" }, ServiceHarness.Token));

        Assert.Null(update.Error);
        var stored = await h.RecordAsync("0-svc-fn", "$latest");
        Assert.Equal(("elsewhere", "h.lagging"), (stored!.Description, stored.Handler));
    }

    [Fact]
    public async Task AnUpdate_WithTheRevisionIdOfAStaleDraft_IsRefused()
    {
        await using var h = new ServiceHarness();
        await using var held = new HeldWatchStore(h.Store);
        var lagging = h.ServiceOver(held, out var catalog);
        var created = await lagging.CreateAsync(Tenant, ServiceHarness.Yrlib(), ServiceHarness.Token);
        held.Hold();
        await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.Value!.RevisionId, Description = "elsewhere" }, ServiceHarness.Token);
        var before = await h.RevisionAsync();

        var update = await lagging.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.Value.RevisionId, Handler = "h.lagging" }, ServiceHarness.Token);

        Assert.Equal(MetaError.RevisionMismatchOnUpdate(), update.Error);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task AnUpdate_OfADraftItsCatalogHasNotSeen_FindsItInTheStore()
    {
        await using var h = new ServiceHarness();
        await using var held = new HeldWatchStore(h.Store);
        var lagging = h.ServiceOver(held, out var catalog);
        await lagging.CreateAsync(Tenant, ServiceHarness.Yrlib("0-svc-first"), ServiceHarness.Token);
        held.Hold();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());

        var update = await WhileHeldAsync(h, held, () => lagging.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Description = "found" }, ServiceHarness.Token));

        Assert.Equal("found", update.Value!.Description);
    }

    [Fact]
    public async Task AGet_OfAFunctionDeletedElsewhere_ThatItsCatalogStillLists_IsNotFound()
    {
        await using var h = new ServiceHarness();
        await using var held = new HeldWatchStore(h.Store);
        var lagging = h.ServiceOver(held, out var catalog);
        await lagging.CreateAsync(Tenant, ServiceHarness.Yrlib(), ServiceHarness.Token);
        held.Hold();
        Assert.True((await h.Service.DeleteAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token)).Value);

        var got = await lagging.GetAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token);

        Assert.Equal(MetaError.FunctionNotFound("0-svc-fn"), got.Error);
    }

    [Fact]
    public async Task ADelete_AnswersOnlyOnceItsCatalogHasHeardIt()
    {
        await using var h = new ServiceHarness();
        await using var held = new HeldWatchStore(h.Store);
        var lagging = h.ServiceOver(held, out var catalog);
        await lagging.CreateAsync(Tenant, ServiceHarness.Yrlib(), ServiceHarness.Token);
        held.Hold();

        var deleting = lagging.DeleteAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token);
        for (var waited = 0; waited < 1000 && !deleting.IsCompleted && catalog.WaitingWriters == 0; waited++)
        {
            await Task.Delay(10, ServiceHarness.Token);
        }

        var answeredWhileHeld = deleting.IsCompleted;
        held.Release();
        Assert.True((await deleting).Value);
        Assert.False(answeredWhileHeld);
        Assert.Equal(4115, (await lagging.GetAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token)).Error!.Code);
    }

    /// <summary>Runs a write through the lagging catalog, and releases its watch once the write has committed (the
    /// write then waits for its catalog to hear it).</summary>
    private static async Task<T> WhileHeldAsync<T>(ServiceHarness h, HeldWatchStore held, Func<Task<T>> write)
    {
        var committed = await h.RevisionAsync();
        var running = write();
        for (var waited = 0; waited < 1000 && !running.IsCompleted && await h.RevisionAsync() == committed; waited++)
        {
            await Task.Delay(10, ServiceHarness.Token);
        }

        held.Release();
        return await running;
    }
}