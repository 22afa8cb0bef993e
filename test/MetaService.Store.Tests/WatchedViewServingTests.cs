using System.Runtime.CompilerServices;
using System.Text;

using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Sqlite;
using MetaService.Tests.Fixtures;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>
/// What the view serves itself, over the embedded store with a layer that counts reads and can hold a prefix's watch:
/// reads of a cached prefix from memory once started; a write under several cached prefixes answered once each holds it;
/// and a watcher of the view ended as disposed when the view is, wherever it was reading from.
/// </summary>
public sealed class WatchedViewServingTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-view-serving-" + Guid.NewGuid().ToString("N"));
    private readonly Beneath _store;
    private WatchedView? _view;

    public WatchedViewServingTests() => _store = new Beneath(SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_view is not null)
        {
            await _view.DisposeAsync();
        }
        else
        {
            await _store.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task OnceStarted_ReadsOfACachedPrefix_AreServedFromMemory_AndOthersByTheStore()
    {
        await _store.TxnAsync([], [new WriteOp.Put("/c/a", Bytes("1")), new WriteOp.Put("/o/a", Bytes("2"))], Token);
        var view = await StartAsync("/c/");
        var before = _store.Reads;

        var got = await view.GetAsync("/c/a", Token);
        var range = await view.RangeAsync("/c/", cancellationToken: Token);
        var keys = await view.RangeKeysAsync("/c/", cancellationToken: Token);

        Assert.Equal("1", Text(got!.Value));
        Assert.Equal(["/c/a"], range.Items.Select(kv => kv.Key));
        Assert.Equal(["/c/a"], keys.Items.Select(kv => kv.Key));
        Assert.Equal(before, _store.Reads);

        Assert.Equal("2", Text((await view.GetAsync("/o/a", Token))!.Value));
        Assert.Equal(before + 1, _store.Reads);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task AWriteUnderSeveralCachedPrefixes_IsAnswered_OnlyOnceEachHoldsIt(int prefixes)
    {
        // The second prefix's watch is held: with three, a view that kept only the last of the prefixes after the first
        // would wait for the first and the third and answer too early.
        string[] cached = [.. Enumerable.Range(0, prefixes).Select(i => $"/{(char)('a' + i)}/")];
        var view = await StartAsync(cached);
        _store.Hold("/b/");

        var write = view.TxnAsync([], [.. cached.Select(prefix => new WriteOp.Put(prefix + "x", Bytes("1")))], Token);
        foreach (var prefix in cached.Where(prefix => prefix != "/b/"))
        {
            await UntilAsync(async () => await view.GetAsync(prefix + "x", Token) is not null);
        }

        // The other views hold the write; that of /b/ cannot until its watch goes on, so the write is not answered yet
        // (one answered without /b/ would be answered within this wait).
        var first = await Task.WhenAny(write, Task.Delay(TimeSpan.FromMilliseconds(300), Token));
        Assert.NotSame(write, first);
        _store.Release();
        var written = await write;

        Assert.Equal(written.Revision, (await view.GetAsync("/b/x", Token))!.ModRevision);
    }

    [Fact]
    public async Task AWatcher_ReadsOnPastAFullBatchOfChanges_WithoutWaitingForAnotherWrite()
    {
        // One revision of exactly a batch (1,000 changes), then one more: both are in the feed before the watch begins.
        var view = await StartAsync("/c/");
        var full = await view.TxnAsync([], [.. Enumerable.Range(0, 1_000).Select(i => new WriteOp.Put($"/c/{i:D4}", Bytes("1")))], Token);
        await view.TxnAsync([], [new WriteOp.Put("/c/last", Bytes("1"))], Token);

        // A watcher that waited after the full batch would see the last change only after another write: none comes,
        // so the bound ends it and fails the test.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Token);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        var seen = new List<string>();
        await foreach (var change in view.WatchAsync("/c/", full.Revision, bound.Token))
        {
            seen.Add(change.Kv.Key);
            if (seen.Count == 1_001)
            {
                break;
            }
        }

        Assert.Equal("/c/last", seen[^1]);
    }

    [Fact]
    public async Task Disposing_ReturnsOnceTheViewsOwnWatchOfTheStoreHasEnded()
    {
        var view = await StartAsync("/c/");
        await UntilAsync(() => Task.FromResult(_store.Watching == 1));

        await view.DisposeAsync();
        _view = null;

        Assert.Equal(0, _store.Watching);
    }

    [Fact]
    public async Task AWatcherCaughtUp_IsEndedAsDisposed_WhenTheViewIs()
    {
        var view = await StartAsync("/c/");
        var revision = await view.GetRevisionAsync(Token);
        await using var watch = view.WatchAsync("/c/", revision + 1, Token).GetAsyncEnumerator(Token);
        var next = watch.MoveNextAsync().AsTask();

        await view.DisposeAsync();
        _view = null;

        await Assert.ThrowsAsync<ObjectDisposedException>(() => next);
    }

    [Fact]
    public async Task AWatcherReadingTheStoresWatch_IsEndedAsDisposed_WhenTheViewIs()
    {
        await _store.TxnAsync([], [new WriteOp.Put("/c/a", Bytes("1"))], Token);
        var view = await StartAsync("/c/");
        _store.Hold("/c/");

        // From revision 1, before the view's feed: the store's own watch serves it, and it is held.
        await using var watch = view.WatchAsync("/c/", 1, Token).GetAsyncEnumerator(Token);
        var next = watch.MoveNextAsync().AsTask();
        await view.DisposeAsync();
        _view = null;

        await Assert.ThrowsAsync<ObjectDisposedException>(() => next);
    }

    [Fact]
    public async Task AWatcherReadingTheStoresWatch_Ends_WhenTheStoresWatchEnds()
    {
        var written = await _store.TxnAsync([], [new WriteOp.Put("/c/e/a", Bytes("1"))], Token);
        var view = await StartAsync("/c/");
        _store.End("/c/e/");

        // From the write's revision, before the view's feed: the store's own watch serves it, and ends at once.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Token);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        var seen = new List<WatchEvent>();
        await foreach (var change in view.WatchAsync("/c/e/", written.Revision, bound.Token))
        {
            seen.Add(change);
        }

        Assert.Empty(seen);
    }

    [Fact]
    public async Task Disposing_DuringThePauseBeforeReadingAnew_AfterALostWatch_ReturnsWithoutWaitingItOut()
    {
        _store.Break("/c/");
        var view = await StartAsync(TimeSpan.FromHours(1), "/c/");
        await UntilAsync(() => Task.FromResult(_store.WatchesEnded >= 1));

        // The view lost its watch and pauses for an hour before reading anew: a dispose that waited for the pause to
        // pass would not return within this bound.
        await view.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), Token);
        _view = null;

        Assert.Equal(1, _store.WatchesEnded);
    }

    private Task<WatchedView> StartAsync(params string[] prefixes) => StartAsync(TimeSpan.FromMilliseconds(200), prefixes);

    private async Task<WatchedView> StartAsync(TimeSpan resyncDelay, params string[] prefixes)
    {
        _view = new WatchedView(
            _store,
            new WatchedViewOptions { CachedPrefixes = prefixes, ReadYourWritesTimeout = TimeSpan.FromMinutes(10), ResyncDelay = resyncDelay },
            TimeProvider.System,
            NullLogger<WatchedView>.Instance);
        await _view.StartAsync(Token);
        return _view;
    }

    /// <summary>Polls until <paramref name="done"/>; fails after 1,000 tries (at least 10 s).</summary>
    private static async Task UntilAsync(Func<Task<bool>> done)
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            if (await done())
            {
                return;
            }

            await Task.Delay(10, Token);
        }

        Assert.Fail("not reached in 1,000 tries");
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] value) => Encoding.UTF8.GetString(value);

    /// <summary>The store beneath the view: counts its reads, holds the changes of one prefix's watches while told, and
    /// ends or breaks the watches of a prefix (at once, before any change) once told.</summary>
    private sealed class Beneath(IMetaStore inner) : DelegatingStore(inner, ownsInner: true)
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;
        private int _watching;
        private int _watchesEnded;
        private volatile string? _held;
        private volatile string? _ended;
        private volatile string? _broken;

        public int Reads => Volatile.Read(ref _reads);

        /// <summary>The watches of this store in progress.</summary>
        public int Watching => Volatile.Read(ref _watching);

        /// <summary>The watches of this store that have ended, however.</summary>
        public int WatchesEnded => Volatile.Read(ref _watchesEnded);

        public void Hold(string prefix) => _held = prefix;

        /// <summary>Watches of <paramref name="prefix"/> end (the enumeration completes) as they begin.</summary>
        public void End(string prefix) => _ended = prefix;

        /// <summary>Watches of <paramref name="prefix"/> fail (a store fault) as they begin.</summary>
        public void Break(string prefix) => _broken = prefix;

        public void Release()
        {
            _held = null;
            _released.TrySetResult();
        }

        public override Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return base.GetAsync(key, cancellationToken);
        }

        public override Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return base.RangeAsync(prefix, limit, startAfter, cancellationToken);
        }

        public override Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return base.RangeKeysAsync(prefix, limit, startAfter, cancellationToken);
        }

        public override async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _watching);
            try
            {
                if (_broken == prefix)
                {
                    throw new StoreUnavailableException($"the watch of {prefix} is broken");
                }

                if (_ended == prefix)
                {
                    yield break;
                }

                await foreach (var change in Inner.WatchAsync(prefix, fromRevision, cancellationToken))
                {
                    if (_held == prefix)
                    {
                        await _released.Task.WaitAsync(cancellationToken);
                    }

                    yield return change;
                }
            }
            finally
            {
                // A watch takes a moment to end, as a gRPC stream does: a dispose that does not wait for it returns first.
                await Task.Delay(200, CancellationToken.None);
                Interlocked.Decrement(ref _watching);
                Interlocked.Increment(ref _watchesEnded);
            }
        }
    }
}