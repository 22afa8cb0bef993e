using System.Text.Json.Nodes;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Tests.Fixtures;

using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests;

/// <summary>
/// An update starts from the draft its catalog knows, decoded already when this process wrote it. The catalog may
/// trail a write made elsewhere (another replica): then the draft it offers is stale, and the update must still
/// give the answer the store's state calls for.
/// </summary>
public sealed class RecentRecordTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Update_RightAfterItsOwnWrite_DoesNotReadTheStore()
    {
        await using var store = new HeldWatchStore(factory.Store);
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);
        var service = new FunctionService(catalog, new MetaOptions(), TimeProvider.System);
        var name = Names.Faas();
        var created = await service.CreateAsync(Tenant.Default, Request(Bodies.Faas(name)), TestContext.Current.CancellationToken);

        var before = store.Gets;
        var updated = await service.UpdateAsync(Tenant.Default, name, Request(Bodies.Update(created.Value!.RevisionId, "faas")), TestContext.Current.CancellationToken);

        Assert.Null(updated.Error);
        Assert.Equal(before, store.Gets);
    }

    [Fact]
    public async Task Update_WithARevisionIdItsCatalogHasNotSeen_IsCheckedAgainstTheStore()
    {
        await using var store = new HeldWatchStore(factory.Store);
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);
        var lagging = new FunctionService(catalog, new MetaOptions(), TimeProvider.System);
        var other = factory.Services.GetRequiredService<FunctionService>();
        var name = Names.Faas();
        var created = await lagging.CreateAsync(Tenant.Default, Request(Bodies.Faas(name)), TestContext.Current.CancellationToken);

        // Another writer moves the draft on while this catalog hears nothing.
        store.Hold();
        var elsewhere = await other.UpdateAsync(Tenant.Default, name, Request(Bodies.Update(created.Value!.RevisionId, "faas")), TestContext.Current.CancellationToken);
        var committedElsewhere = await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken);

        var update = lagging.UpdateAsync(Tenant.Default, name, Request(Bodies.Update(elsewhere.Value!.RevisionId, "faas")), TestContext.Current.CancellationToken);
        var stale = lagging.UpdateAsync(Tenant.Default, name, Request(Bodies.Update(created.Value.RevisionId, "faas")), TestContext.Current.CancellationToken);
        await Polling.UntilAsync(async () => update.IsCompleted || await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken) > committedElsewhere);
        store.Release();

        Assert.Null((await update).Error);
        Assert.Equal(4134, (await stale).Error?.Code);
        Assert.Equal((await update).Value!.RevisionId, (await other.GetAsync(Tenant.Default, name, "latest", null, TestContext.Current.CancellationToken)).Value!.RevisionId);
    }

    [Fact]
    public async Task Update_OfAFunctionItsCatalogHasNotSeen_IsFoundInTheStore()
    {
        await using var store = new HeldWatchStore(factory.Store);
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);
        var lagging = new FunctionService(catalog, new MetaOptions(), TimeProvider.System);
        var other = factory.Services.GetRequiredService<FunctionService>();
        await lagging.CreateAsync(Tenant.Default, Request(Bodies.Faas(Names.Faas())), TestContext.Current.CancellationToken);

        store.Hold();
        var name = Names.Faas();
        var created = await other.CreateAsync(Tenant.Default, Request(Bodies.Faas(name)), TestContext.Current.CancellationToken);
        var committedElsewhere = await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken);
        var update = lagging.UpdateAsync(Tenant.Default, name, Request(Bodies.Update(created.Value!.RevisionId, "faas")), TestContext.Current.CancellationToken);
        await Polling.UntilAsync(async () => update.IsCompleted || await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken) > committedElsewhere);
        store.Release();

        Assert.Null((await update).Error);
    }

    private static FunctionRequest Request(JsonObject body) =>
        System.Text.Json.JsonSerializer.Deserialize(body.ToJsonString(), MetaJson.Default.FunctionRequest)!;
}