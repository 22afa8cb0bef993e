using System.Text.Json.Nodes;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Storage;

using MetaService.Tests.Fixtures;

namespace MetaService.Server.Tests;

/// <summary>
/// A get by name needs no index: while the catalog still loads (its ranges held back here, as a million keys would),
/// a get answers the stored record, or not found, from the store; a list waits for the catalog and then answers.
/// </summary>
public sealed class CatalogLoadingTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task WhileTheCatalogLoads_AGetAnswersFromTheStore_AndAListWaits()
    {
        var writer = new FunctionService(new FunctionCatalog(factory.Store, TimeProvider.System), new MetaOptions(), TimeProvider.System);
        var name = Names.Faas();
        var created = await writer.CreateAsync(Tenant.Default, Request(Bodies.Faas(name)), TestContext.Current.CancellationToken);
        var store = new HeldStore(factory.Store);
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);
        var service = new FunctionService(catalog, new MetaOptions(), TimeProvider.System);

        var got = await service.GetAsync(Tenant.Default, name, null, null, TestContext.Current.CancellationToken);
        var missing = await service.GetAsync(Tenant.Default, name + "x", null, null, TestContext.Current.CancellationToken);
        var list = service.ListAsync(Tenant.Default, new FunctionQuery(name, null, null, Paging.Default), TestContext.Current.CancellationToken);
        var listedWhileHeld = list.IsCompleted;
        store.Release();
        var listed = await list;

        Assert.Equal(created.Value!.RevisionId, got.Value?.RevisionId);
        Assert.Equal(MetaError.FunctionNotFound(name + "x").Code, missing.Error?.Code);
        Assert.True(store.RangesHeld > 0, "the catalog began loading before the gets");
        Assert.False(listedWhileHeld, "a list answered before the catalog had loaded");
        Assert.Equal([name], listed.Value!.Functions!.Select(entry => entry.Name));
    }

    private static FunctionRequest Request(JsonObject body) =>
        System.Text.Json.JsonSerializer.Deserialize(body.ToJsonString(), MetaJson.Default.FunctionRequest)!;

    /// <summary>The server's store, whose ranges wait until <see cref="Release"/>: a catalog that is still loading.</summary>
    private sealed class HeldStore(IMetaStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public int RangesHeld => Volatile.Read(ref _held);

        public void Release() => _released.TrySetResult();

        public override async Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _held);
            await _released.Task.WaitAsync(cancellationToken);
            return await Inner.RangeAsync(prefix, limit, startAfter, cancellationToken);
        }
    }
}