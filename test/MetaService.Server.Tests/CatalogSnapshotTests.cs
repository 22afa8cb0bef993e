using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Storage;

using MetaService.Tests.Fixtures;

namespace MetaService.Server.Tests;

/// <summary>
/// A catalog that trails the store (its watch held here, as a busy or distant replica's trails) answers each row at the
/// revision it knows, read from the store's history, not the store's newer value: a page read at one revision is that
/// revision's, so a watch from it repeats nothing (the list-then-watch pattern).
/// </summary>
public sealed class CatalogSnapshotTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task ACatalogThatTrails_AnswersRowsAtItsRevision_NotTheStoresNewerValue()
    {
        var writer = new FunctionService(new FunctionCatalog(factory.Store, TimeProvider.System), new MetaOptions(), TimeProvider.System);
        var name = Names.Faas();
        var created = (await writer.CreateAsync(Tenant.Default, Request(Bodies.Faas(name)), TestContext.Current.CancellationToken)).Value!;
        await using var catalog = new FunctionCatalog(new UnwatchedStore(factory.Store), TimeProvider.System);
        var service = new FunctionService(catalog, new MetaOptions(), TimeProvider.System);
        var before = await service.ListAsync(Tenant.Default, new FunctionQuery(name, null, null, Paging.Default), TestContext.Current.CancellationToken);

        var updated = (await writer.UpdateAsync(Tenant.Default, name, Request(Bodies.Update(created.RevisionId).With("description", "\"newer\"")), TestContext.Current.CancellationToken)).Value!;
        var listed = await service.ListAsync(Tenant.Default, new FunctionQuery(name, null, null, Paging.Default), TestContext.Current.CancellationToken);
        var row = await service.ViewAsync(listed.Value!.Functions!.Single(), TestContext.Current.CancellationToken);

        Assert.Single(before.Value!.Functions!);
        Assert.NotEqual(created.RevisionId, updated.RevisionId);
        Assert.Equal(created.RevisionId, row?.View.RevisionId);
        Assert.Equal(listed.Value.Functions!.Single().ModRevision, row?.ModRevision);
    }

    private static FunctionRequest Request(JsonObject body) =>
        System.Text.Json.JsonSerializer.Deserialize(body.ToJsonString(), MetaJson.Default.FunctionRequest)!;

    /// <summary>The server's store, whose watches bring nothing: a catalog over it stays at the revision it loaded.</summary>
    private sealed class UnwatchedStore(IMetaStore inner) : DelegatingStore(inner)
    {
        public override async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }
    }
}