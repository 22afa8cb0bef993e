using System.Runtime.CompilerServices;

using MetaService.Core.Catalog;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Catalog.StoredRecords;

namespace MetaService.Core.Tests.Catalog;

/// <summary>The catalog's bounds and faults: a writer waits for its revision at most ten seconds, a catalog that cannot
/// load says why, and a lost watch is watched again from where it broke, missing nothing.</summary>
public sealed class FunctionCatalogWaitTests
{
    private static readonly Tenant Alice = new("alice", "shop");

    [Fact]
    public async Task AWaitForARevisionNeverApplied_FailsAfterTenSeconds_AsTheStoreBeingSlow()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var clock = new ManualClock();
        await using var catalog = new FunctionCatalog(temp.Store, clock);
        await catalog.FunctionCountAsync(Alice, ct);
        var never = catalog.AppliedRevision + 1_000;

        var wait = catalog.WaitForAsync(never, ct);
        clock.Advance(TimeSpan.FromSeconds(9));
        var early = wait.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => wait);
        Assert.False(early);
        Assert.Equal($"the function catalog did not apply revision {never} within 10 s: the store is slow", error.Message);
        Assert.Equal(0, catalog.WaitingWriters);
    }

    [Fact]
    public async Task AWaitForARevisionApplied_EndsAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var put = await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await using var catalog = new FunctionCatalog(temp.Store, new ManualClock());
        await catalog.FunctionCountAsync(Alice, ct);

        Assert.True(catalog.WaitForAsync(put, ct).IsCompletedSuccessfully);
        Assert.True(catalog.WaitForAsync(put - 1, ct).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ACatalogThatCannotLoad_SaysWhy_AfterTenSeconds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var clock = new ManualClock();
        var failing = new FaultyStore(temp.Store) { FailRanges = true };
        await using var catalog = new FunctionCatalog(failing, clock);

        var count = catalog.FunctionCountAsync(Alice, ct).AsTask();
        await UntilAsync(() => clock.Pending >= 2, "the catalog's retry after its failed load");
        clock.Advance(TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => count);
        Assert.Equal("the function catalog could not load the store within 10 s: the store is down", error.Message);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Empty(catalog.Counts());
    }

    [Fact]
    public async Task ACatalogThatFailedToLoad_LoadsOnItsRetry()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        var clock = new ManualClock();
        var failing = new FaultyStore(temp.Store) { FailRanges = true };
        await using var catalog = new FunctionCatalog(failing, clock);

        var count = catalog.FunctionCountAsync(Alice, ct).AsTask();
        await UntilAsync(() => clock.Pending >= 2, "the catalog's retry after its failed load");
        failing.FailRanges = false;
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, await count);
    }

    [Fact]
    public async Task ALostWatch_IsWatchedAgain_FromWhereItBroke()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var clock = new ManualClock();
        var failing = new FaultyStore(temp.Store);
        await using var catalog = new FunctionCatalog(failing, clock);
        await LoadedAndWatchingAsync(catalog, failing, ct);

        failing.BreakWatch();
        var first = await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        var second = await PutAsync(temp.Store, Alice, "0-svc-b", "latest");
        await UntilAsync(() => RetryAfterASecond(clock, () => catalog.AppliedRevision >= second), "the catalog applying the changes made while its watch was lost");

        Assert.Equal(2, await catalog.FunctionCountAsync(Alice, ct));
        Assert.Equal(first, (await catalog.GetAsync(PlatformKeys.Record(Alice, "0-svc-a", "latest"), ct))!.ModRevision);
    }

    [Fact]
    public async Task AStoreGoneBackToAnEarlierRevision_IsLoadedAnew()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var clock = new ManualClock();
        var failing = new FaultyStore(temp.Store);
        await using var catalog = new FunctionCatalog(failing, clock);
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await LoadedAndWatchingAsync(catalog, failing, ct);
        var loads = failing.Loads;

        // The store now says it is at revision 0 (restored from a backup): the catalog must not trust what it followed.
        failing.BreakWatch();
        failing.RevisionBehind = true;
        await DeleteAsync(temp.Store, PlatformKeys.Record(Alice, "0-svc-a", "latest"));
        var second = await PutAsync(temp.Store, Alice, "0-svc-b", "latest");
        await UntilAsync(() => RetryAfterASecond(clock, () => failing.Loads > loads && catalog.AppliedRevision >= second), "the catalog loading again");

        Assert.Equal(["0-svc-b"], (await catalog.MatchAsync(Alice, null, null, ct)).Select(e => e.Name));
    }

    [Fact]
    public async Task AfterTheStoreWentBack_AWriteOfTheRestoredStore_IsWaitedFor_UntilTheCatalogHasIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await using var backup = new TempStore();
        await PutAsync(backup.Store, Alice, "0-svc-a", "latest");
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await PutAsync(temp.Store, Alice, "0-svc-b", "latest");
        var reached = await PutAsync(temp.Store, Alice, "0-svc-c", "latest");
        var clock = new ManualClock();
        var failing = new FaultyStore(temp.Store);
        await using var catalog = new FunctionCatalog(failing, clock);
        await LoadedAndWatchingAsync(catalog, failing, ct);
        await using var restored = new HeldWatchStore(backup.Store);
        restored.Hold();

        // The store comes back from a backup taken two writes earlier; the catalog loads it anew and follows it, held.
        failing.RestoreFrom(restored);
        failing.BreakWatch();
        await UntilAsync(() => RetryAfterASecond(clock, () => failing.Watches == 2), "the catalog's watch of the restored store");
        var put = await PutAsync(backup.Store, Alice, "0-svc-d", "latest");
        var wait = catalog.WaitForAsync(put, ct);
        var early = wait.IsCompleted;
        restored.Release();
        await wait;

        Assert.True(put <= reached, $"the restored store's write ({put}) is at a revision the catalog had applied ({reached})");
        Assert.False(early, "the wait for the restored store's write ended before the catalog had applied it");
        Assert.Equal(["0-svc-a", "0-svc-d"], (await catalog.MatchAsync(Alice, null, null, ct)).Select(e => e.Name).Order());
    }

    [Fact]
    public async Task ALostWatch_WithNothingWrittenMeanwhile_IsWatchedAgain_WithoutLoading()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        var clock = new ManualClock();
        var failing = new FaultyStore(temp.Store);
        await using var catalog = new FunctionCatalog(failing, clock);
        await LoadedAndWatchingAsync(catalog, failing, ct);
        var loads = failing.Loads;

        failing.BreakWatch();
        await UntilAsync(() => RetryAfterASecond(clock, () => failing.Watches == 2), "the catalog's second watch");
        var put = await PutAsync(temp.Store, Alice, "0-svc-b", "latest");
        await catalog.WaitForAsync(put, ct);

        Assert.Equal(loads, failing.Loads);
        Assert.Equal(2, await catalog.FunctionCountAsync(Alice, ct));
    }

    [Fact]
    public async Task AWatchFromCompactedHistory_LoadsAnew_AtOnce_WithoutAskingTheStoresRevision()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var clock = new ManualClock();
        var failing = new FaultyStore(temp.Store);
        await using var catalog = new FunctionCatalog(failing, clock);
        await LoadedAndWatchingAsync(catalog, failing, ct);
        var loads = failing.Loads;

        failing.BreakWatch(compacted: true);
        await UntilAsync(() => failing.Watches == 2, "the catalog's watch after loading again");
        var put = await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await catalog.WaitForAsync(put, ct);

        Assert.True(failing.Loads > loads, "the catalog did not load again");
        Assert.Equal(1, await catalog.FunctionCountAsync(Alice, ct));
        Assert.Equal(0, failing.RevisionReads);
    }

    /// <summary>Whether <paramref name="done"/> holds; if not, moves the clock on by the catalog's retry delay (the retry
    /// may not have begun to wait yet: the poll moves the clock again).</summary>
    private static bool RetryAfterASecond(ManualClock clock, Func<bool> done)
    {
        if (done())
        {
            return true;
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        return false;
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 2_000 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), $"{what} did not happen within 2 000 polls of 10 ms");
    }

    /// <summary>Waits until <paramref name="catalog"/> has loaded and follows its first watch of <paramref name="failing"/>.</summary>
    private static async Task LoadedAndWatchingAsync(FunctionCatalog catalog, FaultyStore failing, CancellationToken ct)
    {
        await catalog.FunctionCountAsync(Alice, ct);
        await UntilAsync(() => failing.Watches == 1, "the catalog's watch");
    }

    /// <summary>The store, with faults on demand: range reads that fail, a watch that breaks once, a revision behind, the
    /// store replaced by another (restored from a backup); and how many loads, watches and revision reads were asked of
    /// it.</summary>
    private sealed class FaultyStore(IMetaStore inner) : DelegatingStore(inner)
    {
        private volatile bool _failRanges;
        private volatile TaskCompletionSource? _break;
        private volatile bool _compacted;
        private volatile IMetaStore? _restored;
        private int _loads;
        private int _watches;
        private int _revisionReads;

        public bool FailRanges { get => _failRanges; set => _failRanges = value; }

        public bool RevisionBehind { get; set; }

        public int Loads => Volatile.Read(ref _loads);

        public int Watches => Volatile.Read(ref _watches);

        public int RevisionReads => Volatile.Read(ref _revisionReads);

        private IMetaStore Current => _restored ?? Inner;

        /// <summary>From now on, loads, watches and revision reads go to <paramref name="restored"/>.</summary>
        public void RestoreFrom(IMetaStore restored) => _restored = restored;

        /// <summary>Ends the watch with a fault: a lost connection, or history the store has compacted away.</summary>
        public void BreakWatch(bool compacted = false)
        {
            _compacted = compacted;
            _break?.TrySetResult();
        }

        public override Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _loads);
            return _failRanges ? throw new InvalidOperationException("the store is down") : Current.RangeAsync(prefix, limit, startAfter, cancellationToken);
        }

        public override async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var broken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _break = broken;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _ = broken.Task.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
            var changes = Current.WatchAsync(prefix, fromRevision, stop.Token).GetAsyncEnumerator(stop.Token);
            Interlocked.Increment(ref _watches);
            try
            {
                while (true)
                {
                    bool next;
                    try
                    {
                        next = await changes.MoveNextAsync();
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        next = false;
                    }

                    if (!next)
                    {
                        if (broken.Task.IsCompleted && !cancellationToken.IsCancellationRequested)
                        {
                            throw _compacted ? new RevisionCompactedException(fromRevision, fromRevision + 1) : new IOException("the watch broke");
                        }

                        yield break;
                    }

                    yield return changes.Current;
                }
            }
            finally
            {
                await changes.DisposeAsync();
            }
        }

        public override async Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _revisionReads);
            return RevisionBehind ? 0 : await Current.GetRevisionAsync(cancellationToken);
        }
    }
}