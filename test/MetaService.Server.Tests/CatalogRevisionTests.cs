using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Storage;

using MetaService.Tests.Fixtures;

namespace MetaService.Server.Tests;

/// <summary>
/// A write answers once the function catalog has applied its revision. A transaction may change several records at
/// one revision (publish writes the draft and the new version), so the catalog may count a revision as applied only
/// once all of its changes are in: else the writer answers, and its client reads, with part of it missing. A writer
/// that stops waiting (its request cancelled, or the catalog stalled past the bound) leaves nothing behind.
/// </summary>
public sealed class CatalogRevisionTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Publish_TwoRecordsAtOneRevision_TheCatalogAdvancesOnlyOnceBothAreApplied()
    {
        var store = new ProbingStore(factory.Store);
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);
        store.Catalog = catalog;
        var service = new FunctionService(catalog, new MetaOptions(), TimeProvider.System);
        var name = Names.Faas();
        var created = await service.CreateAsync(Tenant.Default, Request(Bodies.Faas(name)), TestContext.Current.CancellationToken);

        var published = await service.PublishAsync(Tenant.Default, name, new PublishRequest { RevisionId = created.Value!.RevisionId, VersionNumber = "v1" }, TestContext.Current.CancellationToken);

        Assert.Null(published.Error);
        Assert.True(store.SecondChangesSeen > 0, "the publish's two records reached the catalog at one revision");
        Assert.Equal(0, store.AdvancedEarly);
        var version = await service.GetAsync(Tenant.Default, name, "v1", null, TestContext.Current.CancellationToken);
        Assert.Equal("v1", version.Value?.VersionNumber);
    }

    [Fact]
    public async Task AWriterThatGivesUpWaiting_LeavesNoWaitBehind()
    {
        await using var catalog = new FunctionCatalog(factory.Store, TimeProvider.System);
        await catalog.GetAsync("/nothing", TestContext.Current.CancellationToken);
        var never = await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken) + 1_000_000;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var wait = catalog.WaitForAsync(never, cancel.Token);
        var waiting = catalog.WaitingWriters;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(1, waiting);
        Assert.Equal(0, catalog.WaitingWriters);
    }

    private static FunctionRequest Request(JsonObject body) =>
        System.Text.Json.JsonSerializer.Deserialize(body.ToJsonString(), MetaJson.Default.FunctionRequest)!;

    /// <summary>The server's store; its watch checks, before handing out a later change of a revision, whether the
    /// catalog already counts that revision as applied.</summary>
    private sealed class ProbingStore(IMetaStore inner) : DelegatingStore(inner)
    {
        private int _early;
        private int _seconds;

        public FunctionCatalog? Catalog { get; set; }

        public int AdvancedEarly => Volatile.Read(ref _early);

        public int SecondChangesSeen => Volatile.Read(ref _seconds);

        public override async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var last = 0L;
            await foreach (var change in Inner.WatchAsync(prefix, fromRevision, cancellationToken))
            {
                if (change.Kv.ModRevision == last)
                {
                    Interlocked.Increment(ref _seconds);
                    if (Catalog!.AppliedRevision >= last)
                    {
                        Interlocked.Increment(ref _early);
                    }
                }

                last = change.Kv.ModRevision;
                yield return change;
            }
        }
    }
}