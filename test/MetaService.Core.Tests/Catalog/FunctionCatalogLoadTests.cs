using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

using MetaService.Core.Catalog;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Catalog.StoredRecords;

namespace MetaService.Core.Tests.Catalog;

/// <summary>What the catalog's load and watch keep, and when it reads: keys under the record root that are not record
/// keys are left out, tenants of names of one length each keep their own functions, a load within one page reads the
/// store once, the watch begins after the load's revision (a version deleted before it does not come back), a get
/// before the load starts it, a read at one revision waits for a revision the catalog has begun to apply, and a store
/// that says it is disposed is not called again.</summary>
public sealed class FunctionCatalogLoadTests
{
    private static readonly Tenant Alice = new("alice", "shop");

    private static readonly string NotARecordKey = PlatformKeys.RecordRoot + "yrk/alice/shop/0-svc-odd/1";

    [Fact]
    public async Task AKeyUnderTheRecordRoot_ThatIsNoRecordKey_IsNotLoaded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, NotARecordKey, [1]);
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        var (_, keys) = await catalog.ChangedAfterAsync(0, ct);

        Assert.Equal([PlatformKeys.Record(Alice, "0-svc-a", "latest")], keys);
    }

    [Fact]
    public async Task AKeyUnderTheRecordRoot_ThatIsNoRecordKey_IsNotFollowed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        await catalog.FunctionCountAsync(Alice, ct);

        await PutAsync(temp.Store, NotARecordKey, [1]);
        await catalog.WaitForAsync(await PutAsync(temp.Store, Alice, "0-svc-a", "latest"), ct);
        var (_, keys) = await catalog.ChangedAfterAsync(0, ct);

        Assert.Equal([PlatformKeys.Record(Alice, "0-svc-a", "latest")], keys);
    }

    [Fact]
    public async Task TenantsWhoseIdsAreOfOneLength_LoadedInOnePage_EachKeepTheirFunctions()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var bob = new Tenant("bob", "shop");
        var eve = new Tenant("eve", "shop");
        await PutAsync(temp.Store, bob, "0-svc-b", "latest");
        await PutAsync(temp.Store, eve, "0-svc-e", "latest");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        var bobs = await catalog.MatchAsync(bob, null, null, ct);
        var eves = await catalog.MatchAsync(eve, null, null, ct);

        Assert.Equal([PlatformKeys.Record(bob, "0-svc-b", "latest")], bobs.Select(e => e.Key));
        Assert.Equal([PlatformKeys.Record(eve, "0-svc-e", "latest")], eves.Select(e => e.Key));
    }

    [Fact]
    public async Task Loading_FewerKeysThanAPage_ReadsTheStoreOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        var store = new LoadSignallingStore(temp.Store);
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);

        Assert.Equal(1, await catalog.FunctionCountAsync(Alice, ct));
        Assert.Equal((1, 0), (store.Ranges, store.RevisionReads));
    }

    [Fact]
    public async Task AVersionDeletedBeforeTheLoad_DoesNotComeBack_WhenTheWatchBegins()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var gone = PlatformKeys.Record(Alice, "0-svc-gone", "latest");
        await PutAsync(temp.Store, Alice, "0-svc-gone", "latest");
        await DeleteAsync(temp.Store, gone);
        var store = new HalfRevisionStore(temp.Store);
        store.HoldAfterNextChange();
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);
        await catalog.FunctionCountAsync(Alice, ct);

        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await store.Held.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var found = await catalog.GetAsync(gone, ct);
        var names = (await catalog.MatchAsync(Alice, null, null, ct)).Select(e => e.Name).ToList();
        store.Go();

        Assert.Null(found);
        Assert.Equal(["0-svc-a"], names);
    }

    [Fact]
    public async Task AGet_BeforeTheCatalogIsStarted_StartsItsLoad()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        var store = new LoadSignallingStore(temp.Store);
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);

        var entry = await catalog.GetAsync(PlatformKeys.Record(Alice, "0-svc-a", "latest"), ct);

        Assert.NotNull(entry);
        await store.Loading.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    [Fact]
    public async Task AReadAtOneRevision_BeforeTheCatalogIsLoaded_IsAtTheLoadedRevision()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var put = await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        var (value, revision) = await catalog.AtOneRevisionAsync(() => ValueTask.FromResult(7), ct);

        Assert.Equal((7, put), (value, revision));
    }

    [Fact]
    public async Task APage_ReadWhileARevisionIsHalfApplied_WaitsForTheWholeRevision()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var store = new HalfRevisionStore(temp.Store);
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);
        await catalog.FunctionCountAsync(Alice, ct);

        store.HoldAfterNextChange();
        var a = PlatformKeys.Record(Alice, "0-svc-a", "latest");
        var b = PlatformKeys.Record(Alice, "0-svc-b", "latest");
        var put = (await temp.Store.TxnAsync([], [new WriteOp.Put(a, [1]), new WriteOp.Put(b, [2])], ct)).Revision;
        await store.Held.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var page = catalog.PageAsync(Alice, null, null, null, 10, ct).AsTask();
        var waited = !page.IsCompleted;
        store.Go();
        var (rows, revision) = await page.WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.True(waited, "the page did not wait for the revision being applied");
        Assert.Equal([a, b], rows.Select(e => e.Key));
        Assert.Equal(put, revision);
    }

    [Fact]
    public async Task AWatchEndedByTheStoresDisposal_IsNotWatchedAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var store = new DisposedWatchStore(temp.Store);
        await using var catalog = new FunctionCatalog(store, TimeProvider.System);
        await catalog.FunctionCountAsync(Alice, ct);
        await store.Watching.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);

        // The catalog's loop goes on from the watch's fault on this thread, before Dispose returns.
        store.Dispose();

        Assert.Equal(1, store.Watches);
    }

    /// <summary>Says when the catalog first reads the record keys (its load), and counts its range and revision reads.</summary>
    private sealed class LoadSignallingStore(IMetaStore inner) : DelegatingStore(inner)
    {
        private int _ranges;
        private int _revisionReads;

        public TaskCompletionSource Loading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Ranges => Volatile.Read(ref _ranges);

        public int RevisionReads => Volatile.Read(ref _revisionReads);

        public override Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _ranges);
            Loading.TrySetResult();
            return base.RangeKeysAsync(prefix, limit, startAfter, cancellationToken);
        }

        public override Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _revisionReads);
            return base.GetRevisionAsync(cancellationToken);
        }
    }

    /// <summary>A watch that, once asked, stops its follower right after one change, before it may look for the next: the
    /// follower's thread waits inside the watch, with the rest of that change's revision not applied yet.</summary>
    private sealed class HalfRevisionStore(IMetaStore inner) : DelegatingStore(inner)
    {
        private readonly ManualResetEventSlim _go = new(false);
        private volatile bool _hold;

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void HoldAfterNextChange() => _hold = true;

        public void Go() => _go.Set();

        public override async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var change in base.WatchAsync(prefix, fromRevision, cancellationToken))
            {
                yield return change;
                if (_hold)
                {
                    _hold = false;
                    Held.TrySetResult();
                    _go.Wait(cancellationToken);
                }
            }
        }

        public override ValueTask DisposeAsync()
        {
            _go.Set();
            return base.DisposeAsync();
        }
    }

    /// <summary>A store whose first watch ends with <see cref="ObjectDisposedException"/> when <see cref="Dispose"/> is
    /// called (as a store disposed under its follower), and that counts the watches asked of it; a later watch waits
    /// until cancelled. <see cref="Watching"/> is set once the follower waits for the first watch's next change, so that
    /// the fault runs the follower on, to its next await, on the thread that calls <see cref="Dispose"/>.</summary>
    private sealed class DisposedWatchStore(IMetaStore inner) : DelegatingStore(inner)
    {
        private readonly FirstWatch _first = new();
        private int _watches;

        public TaskCompletionSource Watching => _first.Waited;

        public int Watches => Volatile.Read(ref _watches);

        public void Dispose() => _first.Fail();

        public override IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _watches) == 1 ? _first : LaterAsync(cancellationToken);

        private static async IAsyncEnumerable<WatchEvent> LaterAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }

        /// <summary>A watch with no change, whose next change fails once asked to.</summary>
        private sealed class FirstWatch : IAsyncEnumerable<WatchEvent>, IAsyncEnumerator<WatchEvent>, IValueTaskSource<bool>
        {
            private ManualResetValueTaskSourceCore<bool> _next;

            public TaskCompletionSource Waited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public WatchEvent Current => throw new InvalidOperationException("the watch has no change");

            public void Fail() => _next.SetException(new ObjectDisposedException(nameof(DisposedWatchStore)));

            public IAsyncEnumerator<WatchEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default) => this;

            public ValueTask<bool> MoveNextAsync() => new(this, _next.Version);

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;

            public bool GetResult(short token) => _next.GetResult(token);

            public ValueTaskSourceStatus GetStatus(short token) => _next.GetStatus(token);

            public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
            {
                _next.OnCompleted(continuation, state, token, flags);
                Waited.TrySetResult();
            }
        }
    }
}