using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Storage;

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
        await using var store = new CountingStore(factory.Store);
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
        await using var store = new CountingStore(factory.Store);
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);
        var lagging = new FunctionService(catalog, new MetaOptions(), TimeProvider.System);
        var other = factory.Services.GetRequiredService<FunctionService>();
        var name = Names.Faas();
        var created = await lagging.CreateAsync(Tenant.Default, Request(Bodies.Faas(name)), TestContext.Current.CancellationToken);

        // Another writer moves the draft on while this catalog hears nothing.
        store.HoldWatch();
        var elsewhere = await other.UpdateAsync(Tenant.Default, name, Request(Bodies.Update(created.Value!.RevisionId, "faas")), TestContext.Current.CancellationToken);
        var committedElsewhere = await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken);

        var update = lagging.UpdateAsync(Tenant.Default, name, Request(Bodies.Update(elsewhere.Value!.RevisionId, "faas")), TestContext.Current.CancellationToken);
        var stale = lagging.UpdateAsync(Tenant.Default, name, Request(Bodies.Update(created.Value.RevisionId, "faas")), TestContext.Current.CancellationToken);
        await Polling.UntilAsync(async () => update.IsCompleted || await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken) > committedElsewhere);
        store.ReleaseWatch();

        Assert.Null((await update).Error);
        Assert.Equal(4134, (await stale).Error?.Code);
        Assert.Equal((await update).Value!.RevisionId, (await other.GetAsync(Tenant.Default, name, "latest", null, TestContext.Current.CancellationToken)).Value!.RevisionId);
    }

    [Fact]
    public async Task Update_OfAFunctionItsCatalogHasNotSeen_IsFoundInTheStore()
    {
        await using var store = new CountingStore(factory.Store);
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);
        var lagging = new FunctionService(catalog, new MetaOptions(), TimeProvider.System);
        var other = factory.Services.GetRequiredService<FunctionService>();
        await lagging.CreateAsync(Tenant.Default, Request(Bodies.Faas(Names.Faas())), TestContext.Current.CancellationToken);

        store.HoldWatch();
        var name = Names.Faas();
        var created = await other.CreateAsync(Tenant.Default, Request(Bodies.Faas(name)), TestContext.Current.CancellationToken);
        var committedElsewhere = await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken);
        var update = lagging.UpdateAsync(Tenant.Default, name, Request(Bodies.Update(created.Value!.RevisionId, "faas")), TestContext.Current.CancellationToken);
        await Polling.UntilAsync(async () => update.IsCompleted || await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken) > committedElsewhere);
        store.ReleaseWatch();

        Assert.Null((await update).Error);
    }

    private static FunctionRequest Request(JsonObject body) =>
        System.Text.Json.JsonSerializer.Deserialize(body.ToJsonString(), MetaJson.Default.FunctionRequest)!;

    /// <summary>The server's store, counting point reads, with a watch that can be held back.</summary>
    private sealed class CountingStore(IMetaStore inner) : IMetaStore
    {
        private volatile TaskCompletionSource _open = Opened();
        private int _gets;

        public int Gets => Volatile.Read(ref _gets);

        public void HoldWatch() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void ReleaseWatch() => _open.TrySetResult();

        public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _gets);
            return inner.GetAsync(key, cancellationToken);
        }

        public Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
            inner.RangeAsync(prefix, limit, startAfter, cancellationToken);

        public Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default) =>
            inner.TxnAsync(compares, writes, cancellationToken);

        public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var change in inner.WatchAsync(prefix, fromRevision, cancellationToken))
            {
                await _open.Task.WaitAsync(cancellationToken);
                yield return change;
            }
        }

        public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => inner.GetRevisionAsync(cancellationToken);

        /// <summary>The server owns the store below.</summary>
        public ValueTask DisposeAsync()
        {
            ReleaseWatch();
            return ValueTask.CompletedTask;
        }

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.TrySetResult();
            return open;
        }
    }
}