namespace MetaService.Server.Watch;

/// <summary>
/// The recent changes of one kind, rendered, in revision order and bounded in bytes, shared by every watcher of the
/// server: a watcher holds only its position and reads from here. The hub adds the changes of a revision, then
/// publishes it; readers see published revisions only, and whole. A tick wakes every reader without a change, so an
/// idle watcher can send its heartbeat without a timer of its own.
/// </summary>
internal sealed class WatchRing
{
    private readonly Lock _lock = new();
    private readonly long _capacityBytes;
    private readonly List<WatchChange> _changes = [];
    private int _head;
    private int _visible;
    private long _bytes;
    private long _first;
    private long _published;
    private long _ticks;
    private TaskCompletionSource _signal = NewSignal();

    /// <summary>An empty ring whose next change comes after <paramref name="revision"/>.</summary>
    public WatchRing(long capacityBytes, long revision)
    {
        _capacityBytes = capacityBytes;
        _published = revision;
        _first = revision + 1;
    }

    /// <summary>Every published change from this revision on is held.</summary>
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

    /// <summary>How many heartbeat ticks have passed.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>Completes at the next publish, reset or tick.</summary>
    public Task Signal
    {
        get
        {
            lock (_lock)
            {
                return _signal.Task;
            }
        }
    }

    /// <summary>Adds a change of a revision not yet published.</summary>
    public void Add(WatchChange change)
    {
        lock (_lock)
        {
            var last = _changes.Count > _visible ? _changes[^1].Revision : _published;
            if (change.Revision <= _published || change.Revision < last)
            {
                throw new ArgumentException($"change at revision {change.Revision} after revision {Math.Max(last, _published)}", nameof(change));
            }

            _changes.Add(change);
            _bytes += change.Size;
        }
    }

    /// <summary>Forgets the changes added but not published (their watch broke in the middle of a revision).</summary>
    public void DropUnpublished()
    {
        lock (_lock)
        {
            for (var i = _visible; i < _changes.Count; i++)
            {
                _bytes -= _changes[i].Size;
            }

            _changes.RemoveRange(_visible, _changes.Count - _visible);
        }
    }

    public void Publish(long revision)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (revision <= _published)
            {
                return;
            }

            _published = revision;
            while (_visible < _changes.Count && _changes[_visible].Revision <= revision)
            {
                _visible++;
            }

            Trim();
            signal = Swap();
        }

        signal.TrySetResult();
    }

    /// <summary>Forgets everything: the changes before <paramref name="revision"/> can no longer be followed (compacted);
    /// every reader falls out of the ring.</summary>
    public void Reset(long revision)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            _changes.Clear();
            _head = _visible = 0;
            _bytes = 0;
            _published = revision;
            _first = revision + 1;
            signal = Swap();
        }

        signal.TrySetResult();
    }

    public void Tick()
    {
        Interlocked.Increment(ref _ticks);
        TaskCompletionSource signal;
        lock (_lock)
        {
            signal = Swap();
        }

        signal.TrySetResult();
    }

    /// <summary>The published changes <paramref name="filter"/> takes from revision <paramref name="from"/> on, whole
    /// revisions, stopping after the revision in which <paramref name="max"/> is reached; not held when
    /// <paramref name="from"/> lies before the ring.</summary>
    public RingRead Read(long from, WatchFilter filter, int max)
    {
        lock (_lock)
        {
            if (from < _first)
            {
                return new RingRead(false, [], from, _signal.Task);
            }

            List<WatchChange>? found = null;
            for (var index = LowerBound(from); index < _visible; index++)
            {
                var change = _changes[index];
                if (found is { Count: > 0 } && found.Count >= max && change.Revision != found[^1].Revision)
                {
                    return new RingRead(true, found, change.Revision, _signal.Task);
                }

                if (filter.Matches(change))
                {
                    (found ??= []).Add(change);
                }
            }

            return new RingRead(true, found ?? (IReadOnlyList<WatchChange>)[], Math.Max(from, _published + 1), _signal.Task);
        }
    }

    private TaskCompletionSource Swap()
    {
        var signal = _signal;
        _signal = NewSignal();
        return signal;
    }

    private void Trim()
    {
        while (_bytes > _capacityBytes && _head < _visible)
        {
            var revision = _changes[_head].Revision;
            while (_head < _visible && _changes[_head].Revision == revision)
            {
                _bytes -= _changes[_head].Size;
                _changes[_head] = null!;
                _head++;
            }

            _first = revision + 1;
        }

        if (_head > 1024 && _head * 2 > _changes.Count)
        {
            _changes.RemoveRange(0, _head);
            _visible -= _head;
            _head = 0;
        }
    }

    private int LowerBound(long revision)
    {
        int low = _head, high = _visible;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_changes[middle].Revision < revision)
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

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What <see cref="WatchRing.Read"/> found: whether the ring still holds the position, the changes, where to
/// read next, and a task that completes at the next publish, reset or tick (taken with the read, so none is missed).</summary>
internal readonly record struct RingRead(bool Held, IReadOnlyList<WatchChange> Changes, long Next, Task Signal);