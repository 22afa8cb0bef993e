using System.Runtime.InteropServices;

using MetaService.Core.Storage;

namespace MetaService.Etcd;

/// <summary>
/// The keys under one prefix, held in memory, the store revision they are complete up to, and the latest
/// changes under the prefix (<see cref="Feed"/>) for watchers in this process. Filled by a range read and kept
/// current by a watch (see <see cref="WatchedView"/>): the follower applies the changes of a revision, then
/// publishes it.
/// </summary>
internal sealed class CachedPrefix
{
    private readonly Lock _lock = new();

    /// <summary>Every key, for gets (no ordered comparisons on the hot path).</summary>
    private readonly Dictionary<string, KeyValue> _items = new(StringComparer.Ordinal);

    /// <summary>The same keys in store key order, for ranges; changed only when a key comes or goes.</summary>
    private readonly List<string> _keys = [];

    /// <summary>The changes applied since the last publish, in revision order: not yet seen by gets and ranges.</summary>
    private readonly Queue<WatchEvent> _pending = [];

    /// <summary>Writers waiting for a revision to be applied (few: one per write in flight).</summary>
    private readonly RevisionWaiters _waiters = new();

    private long _applied;

    /// <summary>The revision gets and ranges see; <see cref="Applied"/> follows it once the feed's readers have it.</summary>
    private long _visible;

    /// <summary>The feed's revision until the first <see cref="Load"/>: it holds no position, so that a watcher from
    /// before the view started follows the store until the feed has its changes.</summary>
    private const long NotLoaded = long.MaxValue - 1;

    public CachedPrefix(string prefix, long feedBytes)
    {
        Prefix = prefix;
        Feed = new ChangeFeed(feedBytes, NotLoaded, wakeReadersInline: true);
    }

    public string Prefix { get; }

    /// <summary>The latest changes under the prefix, published with the revisions they belong to and reset by a fresh
    /// read. Its readers wake on the follower's thread, so that a watcher in this process has a revision
    /// before the writers waiting for it go on.</summary>
    public ChangeFeed Feed { get; }

    /// <summary>The revision up to which every change under the prefix is applied.</summary>
    public long Applied => Volatile.Read(ref _applied);

    public bool Covers(string keyOrPrefix) => keyOrPrefix.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Replaces everything with a fresh read of the prefix (in key order), at its revision, which may be older
    /// than what was applied before. The feed starts anew there: its readers from before that revision fall out.</summary>
    public void Load(RangeResult range)
    {
        lock (_lock)
        {
            _items.Clear();
            _keys.Clear();
            foreach (var kv in range.Items)
            {
                _items[kv.Key] = kv;
                _keys.Add(kv.Key);
            }

            if (!IsSorted(_keys))
            {
                _keys.Sort(KeyOrder.Instance);
            }

            _pending.Clear();
            _visible = range.Revision;
            Volatile.Write(ref _applied, range.Revision);
        }

        Feed.Reset(range.Revision);
        _waiters.Release(range.Revision);
    }

    /// <summary>Applies one change of a revision after <see cref="Applied"/>; readers see it once <see cref="Publish"/>
    /// covers its revision, so that a transaction's changes become visible together.</summary>
    public void Apply(WatchEvent change)
    {
        lock (_lock)
        {
            _pending.Enqueue(change);
        }

        Feed.Add(change);
    }

    /// <summary>Makes every change up to <paramref name="revision"/> visible: to gets and ranges (all of them at once),
    /// to the feed's readers (on this thread, before this returns), then to the writers waiting for it.
    /// <see cref="Applied"/> moves only once the readers have it, so a writer whose answer comes meanwhile waits for them
    /// instead of going on first.</summary>
    public void Publish(long revision)
    {
        if (revision <= Applied)
        {
            return;
        }

        lock (_lock)
        {
            while (_pending.TryPeek(out var change) && change.Kv.ModRevision <= revision)
            {
                Change(_pending.Dequeue());
            }

            _visible = revision;
        }

        Feed.Publish(revision);
        Volatile.Write(ref _applied, revision);
        _waiters.Release(revision);
    }

    public KeyValue? Get(string key)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    /// <summary>Keys under <paramref name="rangePrefix"/> (which lies inside this prefix): a binary search for
    /// the first, then a walk over the matching ones, so O(log n + k).</summary>
    public RangeResult Range(string rangePrefix, int limit, string? startAfter)
    {
        lock (_lock)
        {
            var fromStart = startAfter is null || KeyOrder.Instance.Compare(startAfter, rangePrefix) < 0;
            var index = BinarySearch(_keys, fromStart ? rangePrefix : startAfter!);
            if (index < 0)
            {
                index = ~index;
            }
            else if (!fromStart)
            {
                index++;
            }

            var items = new List<KeyValue>();
            for (; index < _keys.Count && _keys[index].StartsWith(rangePrefix, StringComparison.Ordinal); index++)
            {
                if (limit > 0 && items.Count == limit)
                {
                    return new RangeResult(items, _visible, More: true);
                }

                items.Add(_items[_keys[index]]);
            }

            return new RangeResult(items, _visible, More: false);
        }
    }

    /// <summary>Whether a successful transaction with these writes changed a key of this prefix, so that its
    /// revision will come through the watch. A delete changed one if the store says it found its key
    /// (<see cref="TxnResult.DeletedNothing"/>); where the store does not say, if this view holds the key. A prefix
    /// delete that found nothing changed nothing; one that found keys changed this prefix if it holds keys under it.</summary>
    public bool IsChangedBy(IReadOnlyList<WriteOp> writes, IReadOnlySet<int>? deletedNothing)
    {
        for (var i = 0; i < writes.Count; i++)
        {
            var changed = writes[i] switch
            {
                WriteOp.Put put => Covers(put.Key),
                WriteOp.Delete delete => Covers(delete.Key) && (deletedNothing is null ? Get(delete.Key) is not null : !deletedNothing.Contains(i)),
                WriteOp.DeletePrefix deletePrefix => deletedNothing?.Contains(i) != true && HasKeyUnder(deletePrefix.Key),
                _ => false,
            };
            if (changed)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Waits until the changes of <paramref name="revision"/> are applied; false when
    /// <paramref name="timeout"/> passes first.</summary>
    public Task<bool> WaitForAsync(long revision, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        _waiters.WaitAsync(revision, ref _applied, timeout, time, cancellationToken);

    private bool HasKeyUnder(string deletedPrefix)
    {
        if (Prefix.StartsWith(deletedPrefix, StringComparison.Ordinal))
        {
            lock (_lock)
            {
                return _items.Count > 0;
            }
        }

        if (!Covers(deletedPrefix))
        {
            return false;
        }

        lock (_lock)
        {
            var index = BinarySearch(_keys, deletedPrefix);
            index = index < 0 ? ~index : index;
            return index < _keys.Count && _keys[index].StartsWith(deletedPrefix, StringComparison.Ordinal);
        }
    }

    /// <summary>Puts a change into the keys; called under the lock.</summary>
    private void Change(WatchEvent change)
    {
        var key = change.Kv.Key;
        if (change.Type == WatchEventType.Put)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_items, key, out var exists);
            slot = change.Kv;
            if (!exists)
            {
                _keys.Insert(~BinarySearch(_keys, key), key);
            }
        }
        else if (_items.Remove(key))
        {
            _keys.RemoveAt(BinarySearch(_keys, key));
        }
    }

    private static int BinarySearch(List<string> keys, string key) => keys.BinarySearch(key, KeyOrder.Instance);

    private static bool IsSorted(List<string> keys)
    {
        for (var i = 1; i < keys.Count; i++)
        {
            if (KeyOrder.Instance.Compare(keys[i - 1], keys[i]) >= 0)
            {
                return false;
            }
        }

        return true;
    }
}