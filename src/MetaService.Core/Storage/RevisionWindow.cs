namespace MetaService.Core.Storage;

/// <summary>
/// The latest items of a revisioned source, in memory, in revision order and bounded in bytes: a writer adds the items of
/// a revision, then publishes it; readers see published revisions only, and always whole, and wait on a signal that
/// completes at the next publish or reset (or <see cref="Wake"/>). When the bytes pass the capacity the oldest revisions
/// go, whole. The store's change feed (<see cref="ChangeFeed"/>) and the server's watch ring are each one.
/// </summary>
public abstract class RevisionWindow<T>
    where T : class
{
    private readonly Lock _lock = new();
    private readonly long _capacityBytes;
    private readonly bool _wakeInline;
    private readonly List<T> _items = [];
    private int _head;
    private int _visible;
    private long _bytes;
    private long _first;
    private long _published;
    private TaskCompletionSource _signal;

    /// <summary>An empty window whose next item comes after <paramref name="revision"/>. With
    /// <paramref name="wakeReadersInline"/>, readers waiting on the signal resume on the thread that publishes, before
    /// <see cref="Publish"/> returns (their code up to their next wait runs there); by default on the thread pool.</summary>
    protected RevisionWindow(long capacityBytes, long revision, bool wakeReadersInline)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _capacityBytes = capacityBytes;
        _wakeInline = wakeReadersInline;
        _signal = NewSignal();
        _published = revision;
        _first = revision + 1;
    }

    /// <summary>Every published item with a revision from here on is held.</summary>
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

    /// <summary>The revision up to which every item is published.</summary>
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

    /// <summary>Completes at the next publish, reset or wake.</summary>
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

    /// <summary>Adds a change of a revision not yet published; readers see it once <see cref="Publish"/> covers it.</summary>
    public void Add(T change)
    {
        lock (_lock)
        {
            var revision = RevisionOf(change);
            var last = _items.Count > _visible ? RevisionOf(_items[^1]) : _published;
            if (revision <= _published || revision < last)
            {
                throw new ArgumentException($"change at revision {revision} after revision {Math.Max(last, _published)}", nameof(change));
            }

            _items.Add(change);
            _bytes += SizeOf(change);
        }
    }

    /// <summary>Forgets the items added but not published (their source broke in the middle of a revision).</summary>
    public void DropUnpublished()
    {
        lock (_lock)
        {
            for (var i = _visible; i < _items.Count; i++)
            {
                _bytes -= SizeOf(_items[i]);
            }

            _items.RemoveRange(_visible, _items.Count - _visible);
        }
    }

    /// <summary>Makes every item up to <paramref name="revision"/> visible, drops the oldest revisions beyond the
    /// capacity, and wakes the readers.</summary>
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
            while (_visible < _items.Count && RevisionOf(_items[_visible]) <= revision)
            {
                _visible++;
            }

            Trim();
            signal = Swap();
        }

        signal.TrySetResult();
    }

    /// <summary>Forgets everything (a gap: the source was read anew, or compacted, at <paramref name="revision"/>);
    /// readers behind it fall out of the window.</summary>
    public void Reset(long revision)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            _items.Clear();
            _head = _visible = 0;
            _bytes = 0;
            _published = revision;
            _first = revision + 1;
            signal = Swap();
        }

        signal.TrySetResult();
    }

    /// <summary>The revision an item belongs to.</summary>
    protected abstract long RevisionOf(T item);

    /// <summary>What an item costs the window, in bytes.</summary>
    protected abstract long SizeOf(T item);

    /// <summary>Wakes every reader with nothing new.</summary>
    protected void Wake()
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            signal = Swap();
        }

        signal.TrySetResult();
    }

    /// <summary>The published items <paramref name="matches"/> takes (with <paramref name="state"/>) from revision
    /// <paramref name="from"/> on, whole revisions only, stopping after the revision in which <paramref name="max"/> is
    /// reached. Not held when <paramref name="from"/> lies before the window: the reader must read elsewhere.</summary>
    protected WindowRead<T> Read<TState>(long from, TState state, Func<TState, T, bool> matches, int max)
    {
        lock (_lock)
        {
            if (from < _first)
            {
                return new WindowRead<T>(false, [], from, _signal.Task);
            }

            // Made with its first item; lastFound is the revision of the last item in it.
            List<T>? found = null;
            var lastFound = 0L;
            for (var index = LowerBound(from); index < _visible; index++)
            {
                var item = _items[index];
                var revision = RevisionOf(item);
                if (found is not null && found.Count >= max && revision != lastFound)
                {
                    return new WindowRead<T>(true, found, revision, _signal.Task);
                }

                if (matches(state, item))
                {
                    (found ??= []).Add(item);
                    lastFound = revision;
                }
            }

            return new WindowRead<T>(true, found ?? (IReadOnlyList<T>)[], Math.Max(from, _published + 1), _signal.Task);
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
            var revision = RevisionOf(_items[_head]);
            while (_head < _visible && RevisionOf(_items[_head]) == revision)
            {
                _bytes -= SizeOf(_items[_head]);
                _items[_head] = null!;
                _head++;
            }

            _first = revision + 1;
        }

        if (_head > 1024 && _head * 2 > _items.Count)
        {
            _items.RemoveRange(0, _head);
            _visible -= _head;
            _head = 0;
        }
    }

    /// <summary>The first visible item at or after <paramref name="revision"/>.</summary>
    private int LowerBound(long revision)
    {
        int low = _head, high = _visible;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (RevisionOf(_items[middle]) < revision)
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

    private TaskCompletionSource NewSignal() => new(_wakeInline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What <see cref="RevisionWindow{T}"/> read: whether the window still holds the position, the items, where to
/// read next, and a task that completes at the next publish, reset or wake (taken with the read, so none is missed).</summary>
public readonly record struct WindowRead<T>(bool Held, IReadOnlyList<T> Items, long Next, Task Signal);