using System.Runtime.CompilerServices;

using MetaService.Core.Catalog;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Catalog;

/// <summary>Disposing the catalog: <see cref="FunctionCatalog.DisposeAsync"/> returns only once the catalog has let go of
/// the store, so that whoever disposes the store next (the host disposes it after the catalog) does not take it away
/// from under a call still in progress.</summary>
public sealed class FunctionCatalogDisposeTests
{
    private static readonly Tenant Alice = new("alice", "shop");

    [Fact]
    public async Task Disposing_WaitsForTheWatchInProgress_ToReturn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var store = new SlowToStopStore(temp.Store);
        var catalog = new FunctionCatalog(store, TimeProvider.System);
        await catalog.FunctionCountAsync(Alice, ct);
        await store.Watching.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);

        var disposing = catalog.DisposeAsync().AsTask();
        var returnedBefore = disposing.IsCompleted;
        store.Return();
        await disposing.WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.False(returnedBefore, "DisposeAsync returned while the catalog's watch was still in the store");
        Assert.True(store.WatchEnded);
    }

    [Fact]
    public async Task DisposingTwice_IsHarmless()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        await catalog.FunctionCountAsync(Alice, ct);

        await catalog.DisposeAsync();
        await catalog.DisposeAsync();
    }

    /// <summary>A store whose watch, once asked, returns only when the test says (<see cref="Return"/>), cancelled or
    /// not: a call that takes its time to stop, as a remote one may.</summary>
    private sealed class SlowToStopStore(IMetaStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource _return = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _ended;

        public TaskCompletionSource Watching { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool WatchEnded => _ended;

        public void Return() => _return.TrySetResult();

        public override async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                Watching.TrySetResult();
                await _return.Task;
                yield break;
            }
            finally
            {
                _ended = true;
            }
        }
    }
}