using MetaService.Core.Storage;
using MetaService.Etcd;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>
/// The etcd view's keys under one prefix, in memory: loaded from a range in any order, changed one event at a time and
/// made visible by revision, ranged from a key or after one, and asked whether a transaction's writes change it. The
/// edges each test names (a key equal to the range's prefix, a start before it, a limit reached exactly) are where a
/// view read differs from etcd's own answer if the code is off by one.
/// </summary>
public sealed class CachedPrefixTests
{
    private readonly CachedPrefix _view = new("/p/", feedBytes: 1 << 20);

    [Theory]
    [InlineData("/p/b", "/p/a", "/p/c")]
    [InlineData("/p/c", "/p/b", "/p/a")]
    public void ALoad_InAnyOrder_IsRangedInKeyOrder_AtItsRevision(string first, string second, string third)
    {
        // Partly and wholly out of order: a check of order that looked at one pair only would miss one of them.
        _view.Load(Range(7, first, second, third));

        var all = _view.Range("/p/", limit: 0, startAfter: null);

        Assert.Equal(["/p/a", "/p/b", "/p/c"], Keys(all));
        Assert.Equal(7, all.Revision);
        Assert.False(all.More);
        Assert.Equal(7, _view.Applied);
    }

    [Fact]
    public void ALoad_ReplacesWhatWasThere()
    {
        _view.Load(Range(3, "/p/a", "/p/b"));
        _view.Load(Range(4, "/p/c"));

        Assert.Equal(["/p/c"], Keys(_view.Range("/p/", 0, null)));
        Assert.Null(_view.Get("/p/a"));
    }

    [Fact]
    public void Changes_AreSeenByRanges_InKeyOrder_OnceTheirRevisionIsPublished()
    {
        _view.Load(Range(1, "/p/b", "/p/d"));

        _view.Apply(Put("/p/c", 2));
        _view.Apply(Put("/p/a", 2));
        _view.Apply(Put("/p/b", 2));
        _view.Apply(new WatchEvent(WatchEventType.Delete, Kv("/p/d", 2)));
        _view.Apply(new WatchEvent(WatchEventType.Delete, Kv("/p/never", 2)));
        _view.Publish(2);

        var all = _view.Range("/p/", 0, null);
        Assert.Equal(["/p/a", "/p/b", "/p/c"], Keys(all));
        Assert.Equal(2, _view.Get("/p/b")!.ModRevision);
        Assert.Equal(2, all.Revision);
    }

    [Fact]
    public void TheChangesOfARevision_AreSeenByGetsAndRanges_AllAtOnce_WhenItIsPublished()
    {
        _view.Load(Range(4, "/p/a", "/p/b"));

        _view.Apply(Put("/p/a", 5));
        _view.Apply(new WatchEvent(WatchEventType.Delete, Kv("/p/b", 5)));
        var getDuring = _view.Get("/p/a");
        var rangeDuring = _view.Range("/p/", 0, null);
        _view.Apply(Put("/p/c", 5));
        _view.Apply(Put("/p/a", 6));
        _view.Publish(5);

        Assert.Equal(1, getDuring!.ModRevision);
        Assert.Equal(["/p/a", "/p/b"], Keys(rangeDuring));
        Assert.Equal(4, rangeDuring.Revision);
        Assert.Equal(5, _view.Get("/p/a")!.ModRevision);
        var after = _view.Range("/p/", 0, null);
        Assert.Equal(["/p/a", "/p/c"], Keys(after));
        Assert.Equal(5, after.Revision);
        Assert.Equal(5, _view.Applied);
    }

    [Fact]
    public void ALoad_DropsTheChangesNotYetPublished()
    {
        _view.Load(Range(4, "/p/a"));
        _view.Apply(Put("/p/b", 5));

        _view.Load(Range(5, "/p/a"));
        _view.Publish(6);

        Assert.Null(_view.Get("/p/b"));
        Assert.Equal(["/p/a"], Keys(_view.Range("/p/", 0, null)));
    }

    [Fact]
    public void APublishOfARevisionAlreadyApplied_DoesNotGoBack()
    {
        _view.Load(Range(5));

        _view.Publish(4);

        Assert.Equal(5, _view.Applied);
        Assert.Equal(5, _view.Range("/p/", 0, null).Revision);
        _view.Publish(5);
        Assert.Equal(5, _view.Applied);
        _view.Publish(6);
        Assert.Equal(6, _view.Applied);
    }

    [Fact]
    public void ARange_TakesOnlyTheKeysUnderItsPrefix()
    {
        _view.Load(Range(1, "/p/a", "/p/ab", "/p/ab/x", "/p/ac", "/p/b"));

        Assert.Equal(["/p/ab", "/p/ab/x"], Keys(_view.Range("/p/ab", 0, null)));
        Assert.Equal(["/p/ab/x"], Keys(_view.Range("/p/ab/", 0, null)));
        Assert.Empty(Keys(_view.Range("/p/aa", 0, null)));
        Assert.Empty(Keys(_view.Range("/p/z", 0, null)));
    }

    [Fact]
    public void ARange_AfterAKey_StartsPastIt_WhetherOrNotTheKeyIsThere()
    {
        _view.Load(Range(1, "/p/a", "/p/b", "/p/d"));

        Assert.Equal(["/p/d"], Keys(_view.Range("/p/", 0, startAfter: "/p/b")));
        Assert.Equal(["/p/d"], Keys(_view.Range("/p/", 0, startAfter: "/p/c")));
        Assert.Empty(Keys(_view.Range("/p/", 0, startAfter: "/p/d")));

        // A start before the range's prefix is the prefix itself; a key equal to the prefix is in its range.
        Assert.Equal(["/p/a", "/p/b", "/p/d"], Keys(_view.Range("/p/", 0, startAfter: "/o")));
        Assert.Equal(["/p/b", "/p/d"], Keys(_view.Range("/p/", 0, startAfter: "/p/a")));

        // Also when keys outside the range lie between the start and the range's prefix.
        Assert.Equal(["/p/d"], Keys(_view.Range("/p/d", 0, startAfter: "/p/a")));
    }

    [Fact]
    public void AKeyEqualToTheRangesPrefix_IsInTheRange_AndARangeAfterItLeavesIt()
    {
        _view.Load(Range(1, "/p/a", "/p/a/1", "/p/a/2"));

        Assert.Equal(["/p/a", "/p/a/1", "/p/a/2"], Keys(_view.Range("/p/a", 0, null)));
        Assert.Equal(["/p/a/1", "/p/a/2"], Keys(_view.Range("/p/a", 0, startAfter: "/p/a")));
    }

    [Fact]
    public void ARange_StopsAtItsLimit_SayingThereIsMore_OnlyWhenThereIs()
    {
        _view.Load(Range(1, "/p/a", "/p/b", "/p/c"));

        var two = _view.Range("/p/", limit: 2, startAfter: null);
        var three = _view.Range("/p/", limit: 3, startAfter: null);
        var rest = _view.Range("/p/", limit: 2, startAfter: "/p/b");

        Assert.Equal(("/p/a,/p/b", true), (string.Join(',', Keys(two)), two.More));
        Assert.Equal(("/p/a,/p/b,/p/c", false), (string.Join(',', Keys(three)), three.More));
        Assert.Equal(("/p/c", false), (string.Join(',', Keys(rest)), rest.More));
    }

    [Fact]
    public void AWrite_ChangesTheView_WhenItPutsUnderThePrefix_OrDeletesAKeyThatIsThere()
    {
        _view.Load(Range(1, "/p/a", "/p/dir/x"));

        Assert.True(_view.IsChangedBy([new WriteOp.Put("/p/new", [1])], deletedNothing: null));
        Assert.False(_view.IsChangedBy([new WriteOp.Put("/q/new", [1])], deletedNothing: null));
        Assert.True(_view.IsChangedBy([new WriteOp.Delete("/p/a")], deletedNothing: null));
        Assert.False(_view.IsChangedBy([new WriteOp.Delete("/p/absent")], deletedNothing: null));
        Assert.False(_view.IsChangedBy([new WriteOp.Delete("/q/a")], deletedNothing: null));
        Assert.True(_view.IsChangedBy([new WriteOp.Delete("/p/absent"), new WriteOp.Put("/p/b", [1])], deletedNothing: null));
        Assert.False(_view.IsChangedBy([new WriteOp.Delete("/p/absent"), new WriteOp.Put("/q/b", [1])], deletedNothing: null));
        Assert.False(_view.IsChangedBy([new WriteOp.Append("/p/a", "/p/", DateTimeOffset.UnixEpoch, [1])], deletedNothing: null));
        Assert.False(_view.IsChangedBy([], deletedNothing: null));
    }

    [Fact]
    public void ADelete_ChangesTheView_WhenTheStoreSaysItFoundItsKey_WhateverTheViewHolds()
    {
        _view.Load(Range(1, "/p/a"));

        // The view does not hold /p/unseen (its put is still on the way to it), but the store found and deleted it: the
        // delete's revision comes through the watch, so its writer waits for it.
        Assert.True(_view.IsChangedBy([new WriteOp.Delete("/p/unseen")], deletedNothing: new HashSet<int>()));

        // The view holds /p/a, but another writer deleted it first and the store found nothing: no revision to wait for.
        Assert.False(_view.IsChangedBy([new WriteOp.Delete("/p/a")], deletedNothing: new HashSet<int> { 0 }));
        Assert.True(_view.IsChangedBy([new WriteOp.Delete("/p/a"), new WriteOp.Delete("/p/b")], deletedNothing: new HashSet<int> { 0 }));
        Assert.True(_view.IsChangedBy([new WriteOp.Put("/q/x", [1]), new WriteOp.Delete("/p/a")], deletedNothing: new HashSet<int> { 0 }));
        Assert.False(_view.IsChangedBy([new WriteOp.Put("/q/x", [1]), new WriteOp.Delete("/p/a")], deletedNothing: new HashSet<int> { 1 }));
        Assert.False(_view.IsChangedBy([new WriteOp.Delete("/q/x")], deletedNothing: new HashSet<int>()));
    }

    [Fact]
    public void APrefixDelete_ChangesTheView_WhenAKeyOfTheViewIsUnderIt()
    {
        _view.Load(Range(1, "/p/a", "/p/dir/x"));

        Assert.True(_view.IsChangedBy([new WriteOp.DeletePrefix("/p/dir/")], deletedNothing: null));
        Assert.True(_view.IsChangedBy([new WriteOp.DeletePrefix("/p/dir/x")], deletedNothing: null));
        Assert.True(_view.IsChangedBy([new WriteOp.DeletePrefix("/p/a")], deletedNothing: null));
        Assert.False(_view.IsChangedBy([new WriteOp.DeletePrefix("/p/dir/y")], deletedNothing: null));
        Assert.False(_view.IsChangedBy([new WriteOp.DeletePrefix("/p/b")], deletedNothing: null));
        Assert.False(_view.IsChangedBy([new WriteOp.DeletePrefix("/p/z")], deletedNothing: null));
        Assert.False(_view.IsChangedBy([new WriteOp.DeletePrefix("/q/")], deletedNothing: null));

        // The store says what the prefix delete found: nothing (the view's keys under it were deleted elsewhere first),
        // or keys, of which the view holds some under it, or none under it (they were elsewhere in the prefix).
        Assert.False(_view.IsChangedBy([new WriteOp.DeletePrefix("/p/dir/")], deletedNothing: new HashSet<int> { 0 }));
        Assert.True(_view.IsChangedBy([new WriteOp.DeletePrefix("/p/dir/")], deletedNothing: new HashSet<int>()));
        Assert.False(_view.IsChangedBy([new WriteOp.DeletePrefix("/p/dir/y")], deletedNothing: new HashSet<int>()));

        // A prefix that holds the whole view: changed while the view holds any key.
        Assert.True(_view.IsChangedBy([new WriteOp.DeletePrefix("/p/")], deletedNothing: null));
        Assert.True(_view.IsChangedBy([new WriteOp.DeletePrefix("/")], deletedNothing: null));
        _view.Load(Range(2));
        Assert.False(_view.IsChangedBy([new WriteOp.DeletePrefix("/p/")], deletedNothing: null));
        Assert.False(_view.IsChangedBy([new WriteOp.DeletePrefix("")], deletedNothing: null));
    }

    [Fact]
    public async Task AWaiter_GoesOn_WhenItsRevisionIsPublished_OrLoaded()
    {
        _view.Load(Range(1));

        var published = _view.WaitForAsync(3, TimeSpan.FromMinutes(1), TimeProvider.System, TestContext.Current.CancellationToken);
        var loaded = _view.WaitForAsync(5, TimeSpan.FromMinutes(1), TimeProvider.System, TestContext.Current.CancellationToken);
        _view.Publish(2);
        Assert.False(published.IsCompleted);
        _view.Publish(3);
        Assert.True(await published);
        Assert.False(loaded.IsCompleted);
        _view.Load(Range(5));
        Assert.True(await loaded);
    }

    [Fact]
    public void TheFeed_GivesThePublishedChanges_FromTheLoadOn()
    {
        _view.Load(Range(1));
        _view.Apply(Put("/p/a", 2));
        _view.Publish(2);

        var read = _view.Feed.Read("/p/", from: 2, max: 10);

        Assert.True(read.Held);
        Assert.Equal(["/p/a"], read.Events.Select(e => e.Kv.Key));
        Assert.Equal(3, read.Next);
    }

    /// <summary>The feed's readers wake on the publishing thread, inside <see cref="CachedPrefix.Publish"/>, while
    /// <see cref="CachedPrefix.Applied"/> is still before the revision: so a watcher in this process (the function catalog)
    /// holds a revision before any writer waiting for it goes on or, asking meanwhile, finds it applied. The test
    /// publishes holding a lock that the watcher takes as it wakes: on the publishing thread it enters at once (the lock
    /// is re-entrant); on any other thread only once the publish has returned, the revision applied.</summary>
    [Fact]
    public async Task APublish_WakesTheFeedsReaders_BeforeAnyWriterWaitingForTheRevisionGoesOn()
    {
        _view.Load(Range(1));
        var writer = _view.WaitForAsync(2, TimeSpan.FromMinutes(1), TimeProvider.System, TestContext.Current.CancellationToken);
        var gate = new Lock();
        var watcher = WakeAsync(_view.Feed.Read("/p/", from: 2, max: 10).Changed, gate);
        _view.Apply(Put("/p/a", 2));

        lock (gate)
        {
            _view.Publish(2);
        }

        var appliedAsTheWatcherWoke = await watcher.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal(1, appliedAsTheWatcherWoke);
        Assert.True(await writer);
        Assert.Equal(2, _view.Applied);
    }

    /// <summary>Waits for <paramref name="changed"/> as the view's watchers do (with a token), then takes
    /// <paramref name="gate"/> and reads the revision applied: the one a writer would go on at.</summary>
    private async Task<long> WakeAsync(Task changed, Lock gate)
    {
        using var stop = new CancellationTokenSource();
        await changed.WaitAsync(stop.Token).ConfigureAwait(false);
        lock (gate)
        {
            return _view.Applied;
        }
    }

    private static RangeResult Range(long revision, params string[] keys) => new([.. keys.Select(k => Kv(k, 1))], revision, More: false);

    private static WatchEvent Put(string key, long revision) => new(WatchEventType.Put, Kv(key, revision));

    private static KeyValue Kv(string key, long revision) => new(key, [1], 1, revision, 1);

    private static List<string> Keys(RangeResult range) => [.. range.Items.Select(kv => kv.Key)];
}