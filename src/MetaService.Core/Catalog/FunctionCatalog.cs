using MetaService.Core.Storage;

namespace MetaService.Core.Catalog;

/// <summary>
/// Every function record of the store, in memory: loaded once (a range of <c>/repo/FunctionVersion/</c> at
/// revision R, in pages) and kept current by a watch from R + 1, over any <see cref="IMetaStore"/>. Reads
/// never touch the store. A writer calls <see cref="WaitForAsync"/> with the revision of its transaction, so
/// that every client reads its own writes. A lost watch is watched again from where it broke; history the store
/// has compacted away makes it load anew. The records themselves stay in the store (on etcd too: the catalog is
/// their only cache), but the most recently written or read ones are kept decoded, up to
/// <paramref name="recordCacheBytes"/> (<see cref="RecordCache"/>), so that an update does not read back the draft it
/// just wrote.
/// </summary>
public sealed partial class FunctionCatalog(IMetaStore store, TimeProvider clock, long recordCacheBytes = FunctionCatalog.DefaultRecordCacheBytes) : IAsyncDisposable
{
    /// <summary>How many bytes of decoded records are kept by default.</summary>
    public const long DefaultRecordCacheBytes = 32L << 20;

    private const int PageSize = 10_000;
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly RevisionWaiters _waiters = new();
    private readonly RecordCache _recent = new(recordCacheBytes);
    private readonly Lock _starting = new();
    private CatalogState _state = new();
    private Task? _loop;
    private long _applied;
    private int _disposed;
    private long _applying;
    private Exception? _fault;

    public IMetaStore Store => store;

    /// <summary>The revision up to which every change is applied.</summary>
    public long AppliedRevision => Interlocked.Read(ref _applied);

    /// <summary>Starts loading and following the store, once; returns at once. The check and the start are one step under
    /// a lock (uncontended, about 20 ns a call), so two first callers cannot both start a loop, and no unlocked check
    /// before it leaves a window between two checks.</summary>
    public void Start()
    {
        lock (_starting)
        {
            if (_loop is null)
            {
                // Set before the loop runs, so that it is set once the loop has completed _ready.
                var loop = new Task<Task>(FollowAsync);
                _loop = loop.Unwrap();
                loop.Start(TaskScheduler.Default);
            }
        }
    }

    /// <summary>The entry stored at <paramref name="key"/>; null when none. Until the catalog has loaded, a record key is
    /// looked up in the store: a get by name needs no index, so a server answers gets while it loads a million keys.</summary>
    public async ValueTask<FunctionEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (!_ready.Task.IsCompleted && FunctionEntry.TryTenantPrefix(key, out var length))
        {
            Start();
            return await store.GetAsync(key, cancellationToken) is { } kv ? FunctionEntry.Create(key[..length], key, kv.ModRevision) : null;
        }

        var state = await ReadyAsync(cancellationToken);
        return state.Find(key);
    }

    /// <summary>The stored versions of one function.</summary>
    public async ValueTask<List<FunctionEntry>> VersionsAsync(Tenant tenant, string name, CancellationToken cancellationToken)
    {
        var index = (await ReadyAsync(cancellationToken)).Tenants.GetValueOrDefault(PlatformKeys.TenantRecords(tenant));
        if (index is null)
        {
            return [];
        }

        lock (index)
        {
            return index.Versions(tenant.ProductId, name);
        }
    }

    /// <summary>Every version of the tenant whose name contains <paramref name="name"/> and whose version is <paramref name="version"/>.</summary>
    public async ValueTask<List<FunctionEntry>> MatchAsync(Tenant tenant, string? name, string? version, CancellationToken cancellationToken)
    {
        var index = (await ReadyAsync(cancellationToken)).Tenants.GetValueOrDefault(PlatformKeys.TenantRecords(tenant));
        if (index is null)
        {
            return [];
        }

        lock (index)
        {
            return index.Match(name, version);
        }
    }

    /// <summary>The record of <paramref name="entry"/>: at the entry's mod revision when kept decoded, else what the
    /// store holds now (a later revision when written meanwhile); null when the version is gone.</summary>
    public ValueTask<StoredRecord?> RecordOfAsync(FunctionEntry entry, CancellationToken cancellationToken) =>
        AtAsync(entry, keep: false, cancellationToken);

    /// <summary>How many functions (product and name) <paramref name="tenant"/> has, from the index (no store read).</summary>
    public async ValueTask<long> FunctionCountAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var index = (await ReadyAsync(cancellationToken)).Tenants.GetValueOrDefault(PlatformKeys.TenantRecords(tenant));
        if (index is null)
        {
            return 0;
        }

        lock (index)
        {
            return index.Functions;
        }
    }

    /// <summary>The functions and published versions of each tenant of the business, from the index (no store read).</summary>
    public IReadOnlyList<TenantCount> Counts() => _ready.Task.IsCompleted ? Volatile.Read(ref _state).Counts() : [];

    /// <summary>Once loaded, however long that takes: the revision applied, and the keys of every entry changed after
    /// <paramref name="revision"/> (every entry up to the revision applied is among those looked at); none when no
    /// revision is given.</summary>
    public async Task<(long Applied, List<string> Keys)> ChangedAfterAsync(long? revision, CancellationToken cancellationToken)
    {
        Start();
        await _ready.Task.WaitAsync(cancellationToken);
        var applied = AppliedRevision;
        return (applied, revision is { } after ? Volatile.Read(ref _state).KeysChangedAfter(after) : []);
    }

    /// <summary>The record at <paramref name="key"/> as this catalog knows it: at its entry's mod revision, from the
    /// recent records when kept there, else from the store. Null when the catalog has no such key. The catalog
    /// may trail writes made elsewhere; a writer checks with a compare on the mod revision.</summary>
    public async ValueTask<StoredRecord?> RecallAsync(string key, CancellationToken cancellationToken)
    {
        var entry = await GetAsync(key, cancellationToken);
        return entry is null ? null : await AtAsync(entry, keep: true, cancellationToken);
    }

    /// <summary>Returns once every change up to <paramref name="revision"/> is applied; a store fault past a bound.</summary>
    public Task WaitForAsync(long revision, CancellationToken cancellationToken)
    {
        Start();
        var wait = _waiters.WaitAsync(revision, ref _applied, WaitLimit, clock, cancellationToken);
        return wait.IsCompletedSuccessfully && wait.Result ? Task.CompletedTask : AppliedAsync(wait, revision);
    }

    /// <summary>How many writers wait for a revision (for tests).</summary>
    internal int WaitingWriters => _waiters.Count;

    /// <summary>Stops the watch and returns once it has let go of the store; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (Volatile.Read(ref _loop) is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    private ValueTask<CatalogState> ReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready.Task.IsCompleted)
        {
            return ValueTask.FromResult(Volatile.Read(ref _state));
        }

        Start();
        return WaitReadyAsync(cancellationToken);
    }

    private async ValueTask<CatalogState> WaitReadyAsync(CancellationToken cancellationToken)
    {
        await Bounded(_ready.Task, "the function catalog could not load the store", cancellationToken);
        return Volatile.Read(ref _state);
    }

    private async Task AppliedAsync(Task<bool> wait, long revision)
    {
        if (!await wait)
        {
            throw Unavailable($"the function catalog did not apply revision {revision}", null);
        }
    }

    private async Task Bounded(Task task, string what, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(WaitLimit, clock, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw Unavailable(what, e);
        }
    }

    private StoreUnavailableException Unavailable(string what, Exception? cause) =>
        new($"{what} within {WaitLimit.TotalSeconds:0} s: {_fault?.Message ?? "the store is slow"}", cause);

    /// <summary>Loads, then follows the watch. A lost watch (a store fault) is watched again from the last revision it
    /// published, which replays at most the revision it broke in (applying a change twice changes nothing); history the
    /// store has compacted away, or a store gone back to an earlier revision (restored from a backup), makes it load
    /// anew.</summary>
    private async Task FollowAsync()
    {
        var stop = _stop.Token;
        CatalogState? state = null;
        var followed = 0L;
        var lost = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (lost && await store.GetRevisionAsync(stop) < followed)
                {
                    state = null;
                }

                lost = false;
                if (state is null)
                {
                    (state, followed) = await CatalogState.LoadAsync(store, PageSize, stop);
                    Volatile.Write(ref _state, state);
                    Compaction.AfterBuild(state.Count);
                    Advance(followed);
                    _ready.TrySetResult();
                }

                await WholeRevisions.FollowAsync(store.WatchAsync(PlatformKeys.RecordRoot, followed + 1, stop), Applying(state), revision => Advance(followed = revision), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (RevisionCompactedException)
            {
                state = null;
            }
            catch (Exception e)
            {
                _fault = e;
                lost = true;
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Sets the revision applied: each revision the watch publishes moves it on, and a load sets it to the
    /// revision loaded, lower than before when the store went back to an earlier revision (restored from a backup), so
    /// that a writer of the restored store waits for its write as any other.</summary>
    private void Advance(long revision)
    {
        Interlocked.Exchange(ref _applied, revision);
        _waiters.Release(revision);
    }
}