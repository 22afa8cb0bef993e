namespace MetaService.Core.Storage;

/// <summary>
/// The latest changes of a store, in memory, in revision order and bounded in bytes, for watchers in the same
/// process: a watcher whose position lies inside the window reads from here instead of asking the store again,
/// and wakes when a revision is published. The writer adds the changes of a revision, then publishes it; readers
/// see published revisions only, and always whole.
/// </summary>
public sealed class ChangeFeed
{
    /// <summary>What a change costs the window beyond its key and value (the objects around them).</summary>
    private const int Overhead = 96;

    private readonly Lock _lock = new();
    private readonly long _capacityBytes;
    private readonly bool _wakeInline;
    private readonly List<WatchEvent> _events = [];
    private int _head;
    private int _visible;
    private long _bytes;
    private long _first;
    private long _published;
    private TaskCompletionSource _changed;

    /// <summary>An empty feed whose next change comes after <paramref name="revision"/>. With
    /// <paramref name="wakeReadersInline"/>, readers waiting on <see cref="FeedRead.Changed"/> resume on the thread that
    /// publishes, before <see cref="Publish"/> returns (their code up to their next wait runs there): a publisher
    /// that wants its readers current when it goes on asks for it; by default they resume on the thread pool.</summary>
    public ChangeFeed(long capacityBytes, long revision, bool wakeReadersInline = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _capacityBytes = capacityBytes;
        _wakeInline = wakeReadersInline;
        _changed = NewSignal();
        _published = revision;
        _first = revision + 1;
    }

    /// <summary>Every published change with a revision from here on is held.</summary>
    public long First
    {
        get
        {
            lock (_lock)
            {
                return _first;
            }
        }
    }

    /// <summary>The revision up to which every change is published.</summary>
    public long Published
    {
        get
        {
            lock (_lock)
            {
                return _published;
            }
        }
    }

    /// <summary>Adds a change of a revision not yet published; readers see it once <see cref="Publish"/> covers it.</summary>
    public void Add(WatchEvent change)
    {
        lock (_lock)
        {
            var last = _events.Count > _head ? _events[^1].Kv.ModRevision : _published;
            if (change.Kv.ModRevision <= _published || change.Kv.ModRevision < last)
            {
                throw new ArgumentException($"change at revision {change.Kv.ModRevision} after revision {Math.Max(last, _published)}", nameof(change));
            }

            _events.Add(change);
            _bytes += Size(change);
        }
    }

    /// <summary>Makes every change up to <paramref name="revision"/> visible, drops the oldest revisions beyond the
    /// capacity, and wakes the readers.</summary>
    public void Publish(long revision)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (revision <= _published)
            {
                return;
            }

            _published = revision;
            while (_visible < _events.Count && _events[_visible].Kv.ModRevision <= revision)
            {
                _visible++;
            }

            Trim();
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    /// <summary>Forgets everything (a gap in the changes: the source was read anew at <paramref name="revision"/>);
    /// readers behind it fall out of the window.</summary>
    public void Reset(long revision)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _events.Clear();
            _head = _visible = 0;
            _bytes = 0;
            _published = revision;
            _first = revision + 1;
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    /// <summary>The published changes under <paramref name="prefix"/> from revision <paramref name="from"/> on, whole
    /// revisions only, stopping after the revision in which <paramref name="max"/> is reached. Not held when
    /// <paramref name="from"/> lies before the window: the reader must read elsewhere.</summary>
    public FeedRead Read(string prefix, long from, int max)
    {
        lock (_lock)
        {
            if (from < _first)
            {
                return new FeedRead(false, [], from, _changed.Task);
            }

            var events = new List<WatchEvent>();
            var index = LowerBound(from);
            for (; index < _visible; index++)
            {
                var change = _events[index];
                if (events.Count >= max && change.Kv.ModRevision != events[^1].Kv.ModRevision)
                {
                    return new FeedRead(true, events, change.Kv.ModRevision, _changed.Task);
                }

                if (change.Kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    events.Add(change);
                }
            }

            return new FeedRead(true, events, Math.Max(from, _published + 1), _changed.Task);
        }
    }

    private void Trim()
    {
        while (_bytes > _capacityBytes && _head < _visible)
        {
            var revision = _events[_head].Kv.ModRevision;
            while (_head < _visible && _events[_head].Kv.ModRevision == revision)
            {
                _bytes -= Size(_events[_head]);
                _events[_head] = null!;
                _head++;
            }

            _first = revision + 1;
        }

        if (_head > 1024 && _head * 2 > _events.Count)
        {
            _events.RemoveRange(0, _head);
            _visible -= _head;
            _head = 0;
        }
    }

    /// <summary>The first visible change at or after <paramref name="revision"/>.</summary>
    private int LowerBound(long revision)
    {
        int low = _head, high = _visible;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_events[middle].Kv.ModRevision < revision)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static long Size(WatchEvent change) => (change.Kv.Key.Length * 2L) + change.Kv.Value.Length + Overhead;

    private TaskCompletionSource NewSignal() => new(_wakeInline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What <see cref="ChangeFeed.Read"/> found: whether the feed still holds the position, the changes, where
/// to read next, and a task that completes at the next publish or reset (taken with the read, so none is missed).</summary>
public readonly record struct FeedRead(bool Held, IReadOnlyList<WatchEvent> Events, long Next, Task Changed);