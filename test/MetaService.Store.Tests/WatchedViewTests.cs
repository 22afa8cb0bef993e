using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Sqlite;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The view over the embedded store, caching every key.</summary>
public sealed class WatchedViewOverSqliteTests : StoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-view-" + Guid.NewGuid().ToString("N"));

    protected override async Task<IMetaStore> OpenAsync() =>
        await EtcdFixture.ViewAsync(SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Disposing_DisposesTheStoreBeneath_AndASecondDisposeIsHarmless()
    {
        var token = TestContext.Current.CancellationToken;
        var directory = _directory + "-disposed";
        var inner = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = directory });
        var view = await EtcdFixture.ViewAsync(inner, ["/repo/"]);

        await view.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => inner.TxnAsync([], [new WriteOp.Put("/k", Bytes("v"))], token));
        await view.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}

/// <summary>The view over etcd, caching every key.</summary>
[Collection(EtcdGroup.Name)]
public sealed class WatchedViewOverEtcdTests(EtcdFixture etcd) : StoreContract
{
    protected override async Task<IMetaStore> OpenAsync() => await EtcdFixture.ViewAsync(etcd.Open());

    [Fact]
    public async Task WriteThroughAnotherStore_BecomesVisible()
    {
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..8];
        await using var view = await EtcdFixture.ViewAsync(etcd.Open(prefix), ["/repo/"]);
        await using var other = etcd.Open(prefix);

        await other.TxnAsync([], [new WriteOp.Put("/repo/a", Bytes("1"))], TestContext.Current.CancellationToken);

        Assert.Equal("1", Text((await EventuallyAsync(() => view.GetAsync("/repo/a", TestContext.Current.CancellationToken))).Value));
    }

    [Fact]
    public async Task EtcdRestart_TheViewResynchronisesByItself()
    {
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..8];
        await using var view = await EtcdFixture.ViewAsync(etcd.Open(prefix), ["/repo/"]);
        await using var other = etcd.Open(prefix);
        await etcd.Cluster.KillAsync(0);
        await etcd.Cluster.RestartAsync(0, TestContext.Current.CancellationToken);

        await other.TxnAsync([], [new WriteOp.Put("/repo/after-restart", Bytes("2"))], TestContext.Current.CancellationToken);

        Assert.Equal("2", Text((await EventuallyAsync(() => view.GetAsync("/repo/after-restart", TestContext.Current.CancellationToken))).Value));
    }

    [Fact]
    public async Task AWriteThatChangesNothing_DoesNotWaitForARevisionTheViewNeverSees()
    {
        // The view still holds a key that another writer deleted, then that writer changed a key outside the view.
        // Deleting the key again changes nothing: etcd makes no revision and answers with its latest, the outside
        // one, which no watch of the view delivers. Waiting for it would last the whole timeout (here 10 min).
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..8];
        var (gated, view) = await HeldViewAsync(prefix, new WatchedViewOptions { CachedPrefixes = ["/repo/"] });
        await using var _ = view;
        await using var other = etcd.Open(prefix);
        await view.TxnAsync([], [new WriteOp.Put("/repo/k", Bytes("1"))], TestContext.Current.CancellationToken);
        gated.Hold();
        await other.TxnAsync([], [new WriteOp.Delete("/repo/k")], TestContext.Current.CancellationToken);
        var outside = await other.TxnAsync([], [new WriteOp.Put("/elsewhere/x", Bytes("1"))], TestContext.Current.CancellationToken);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));

        var deleting = view.TxnAsync([], [new WriteOp.Delete("/repo/k")], bound.Token);
        gated.Release();
        var deleted = await deleting;

        Assert.True(deleted.Succeeded);
        Assert.False(deleted.Changed);
        Assert.Equal(outside.Revision, deleted.Revision);
        await EventuallyAbsentAsync(() => view.GetAsync("/repo/k", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ADeleteOfAKeyTheViewHasNotSeenYet_ReturnsOnceTheViewShowsIt()
    {
        // Another writer put the key, and the view's watch has not brought the put yet when this view deletes the key.
        // etcd found the key, so the delete made a revision the watch will bring after the put: the delete returns once
        // the view shows that revision. Judged by the view's own holdings, the delete changed nothing and did not wait,
        // so a read right after it found the key again once the put arrived.
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..8];
        var (gated, view) = await HeldViewAsync(prefix, new WatchedViewOptions { CachedPrefixes = ["/repo/"] });
        await using var _ = view;
        await using var other = etcd.Open(prefix);
        gated.Hold();
        await other.TxnAsync([], [new WriteOp.Put("/repo/k", Bytes("1"))], TestContext.Current.CancellationToken);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));

        var deleting = view.TxnAsync([], [new WriteOp.Delete("/repo/k")], bound.Token);

        // While the watch is held the delete cannot have its revision in the view: it must still be waiting (a delete
        // that did not wait answers within the etcd round trip, well inside this grace).
        var answeredWhileHeld = await Task.WhenAny(deleting, Task.Delay(TimeSpan.FromSeconds(2), bound.Token)) == deleting;
        gated.Release();
        var deleted = await deleting;
        var shown = await view.RangeAsync("/repo/", cancellationToken: bound.Token);

        Assert.False(answeredWhileHeld, "the delete answered before the view could show its revision");
        Assert.True(deleted.Changed);
        Assert.True(shown.Revision >= deleted.Revision, $"the view shows revision {shown.Revision}, the delete made {deleted.Revision}");
        Assert.Empty(shown.Items);
    }

    [Fact]
    public async Task AWriteThroughAViewNotStartedYet_DoesNotWaitForIt()
    {
        // A view that has not started follows no watch: a write through it (as the server's start-up writes before the
        // view starts) goes to etcd and returns; waiting for the view would last the whole timeout (here 10 min).
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..8];
        await using var view = new WatchedView(
            etcd.Open(prefix),
            new WatchedViewOptions { CachedPrefixes = ["/repo/"], ReadYourWritesTimeout = TimeSpan.FromMinutes(10) },
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<WatchedView>.Instance);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));

        var written = await view.TxnAsync([], [new WriteOp.Put("/repo/k", Bytes("1"))], bound.Token);

        Assert.True(written.Succeeded);
        Assert.Equal("1", Text((await view.GetAsync("/repo/k", bound.Token))!.Value));
    }

    [Fact]
    public async Task FunctionRecords_AreLeftToTheCatalog_AWriteOfOneDoesNotWaitForTheView_AndAReadOfOneIsEtcds()
    {
        // The server's view (default settings) does not hold the function records: the function catalog keeps them, and
        // a write of one waits for the catalog alone. Were the view to hold them, this write would wait for the view's
        // watch, held here, until the 60 s bound.
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..8];
        var (gated, view) = await HeldViewAsync(prefix, new WatchedViewOptions());
        await using var _ = view;
        var record = PlatformKeys.RecordRoot + "0/t1/p1/f1/latest/";
        gated.Hold();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));

        var written = await view.TxnAsync([], [new WriteOp.Put(record, Bytes("1"))], bound.Token);
        var read = await view.GetAsync(record, bound.Token);
        gated.Release();

        Assert.True(written.Succeeded);
        Assert.Equal(written.Revision, read?.ModRevision);
        Assert.DoesNotContain(new WatchedViewOptions().CachedPrefixes, p => p.StartsWith("/repo/", StringComparison.Ordinal) || "/repo/".StartsWith(p, StringComparison.Ordinal));
    }

    /// <summary>A started view over <paramref name="prefix"/> whose watches can be held, with a read-your-writes timeout
    /// (10 min) far past every test's bound, so that a write waiting for a held watch shows as a test timing out.</summary>
    private async Task<(GatedWatches Gated, WatchedView View)> HeldViewAsync(string prefix, WatchedViewOptions options)
    {
        var gated = new GatedWatches(etcd.Open(prefix));
        var view = new WatchedView(
            gated,
            options with { ReadYourWritesTimeout = TimeSpan.FromMinutes(10) },
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<WatchedView>.Instance);
        await view.StartAsync(TestContext.Current.CancellationToken);
        return (gated, view);
    }

    /// <summary>Polls until <paramref name="read"/> finds nothing; fails when it still finds something after 1,000 reads (at
    /// least 20 s).</summary>
    private static async Task EventuallyAbsentAsync(Func<Task<KeyValue?>> read)
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            if (await read() is null)
            {
                return;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Fail("the key is still in the view after 1,000 reads");
    }

    /// <summary>Polls until <paramref name="read"/> finds something; fails when it finds nothing after 1,000 reads (at least
    /// 20 s).</summary>
    private static async Task<KeyValue> EventuallyAsync(Func<Task<KeyValue?>> read)
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            if (await read() is { } found)
            {
                return found;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Fail("the key did not reach the view in 1,000 reads");
        return null!;
    }

    /// <summary>A store whose watches deliver nothing between <see cref="Hold"/> and <see cref="Release"/>.</summary>
    private sealed class GatedWatches(IMetaStore inner) : DelegatingStore(inner, ownsInner: true)
    {
        private volatile TaskCompletionSource _gate = Open();

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public override async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var change in Inner.WatchAsync(prefix, fromRevision, cancellationToken))
            {
                await _gate.Task.WaitAsync(cancellationToken);
                yield return change;
            }
        }

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource();
            open.SetResult();
            return open;
        }
    }
}