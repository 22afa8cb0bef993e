namespace MetaService.Core.Storage;

/// <summary>
/// The keys under one prefix, held in memory in store key order, and the store revision they are
/// complete up to. Filled by a range read and kept current by a watch (see <see cref="WatchedView"/>).
/// </summary>
internal sealed class CachedPrefix(string prefix)
{
    private readonly Lock _lock = new();
    private readonly SortedList<string, KeyValue> _items = new(KeyOrder.Instance);
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _applied;

    public string Prefix => prefix;

    /// <summary>The revision up to which every change under the prefix is applied.</summary>
    public long Applied
    {
        get
        {
            lock (_lock)
            {
                return _applied;
            }
        }
    }

    public bool Covers(string keyOrPrefix) => keyOrPrefix.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>Replaces everything with a fresh read of the prefix.</summary>
    public void Load(RangeResult range)
    {
        lock (_lock)
        {
            _items.Clear();
            foreach (var kv in range.Items)
            {
                _items[kv.Key] = kv;
            }
        }

        Publish(range.Revision, allowBackwards: true);
    }

    /// <summary>Applies one change; readers waiting for its revision are released by <see cref="Publish"/>,
    /// once every change of that revision is applied.</summary>
    public void Apply(WatchEvent change)
    {
        lock (_lock)
        {
            if (change.Type == WatchEventType.Put)
            {
                _items[change.Kv.Key] = change.Kv;
            }
            else
            {
                _items.Remove(change.Kv.Key);
            }
        }
    }

    public void Publish(long revision, bool allowBackwards = false)
    {
        TaskCompletionSource advanced;
        lock (_lock)
        {
            if (revision <= _applied && !allowBackwards)
            {
                return;
            }

            _applied = revision;
            advanced = _advanced;
            _advanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        advanced.TrySetResult();
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
            var keys = _items.Keys;
            var index = LowerBound(keys, startAfter is null || KeyOrder.Instance.Compare(startAfter, rangePrefix) < 0 ? rangePrefix : startAfter);
            if (index < keys.Count && startAfter is not null && keys[index] == startAfter)
            {
                index++;
            }

            var items = new List<KeyValue>();
            for (; index < keys.Count && keys[index].StartsWith(rangePrefix, StringComparison.Ordinal); index++)
            {
                if (limit > 0 && items.Count == limit)
                {
                    return new RangeResult(items, _applied, More: true);
                }

                items.Add(_items.Values[index]);
            }

            return new RangeResult(items, _applied, More: false);
        }
    }

    /// <summary>Whether a successful transaction with these writes changed a key of this prefix, so that its
    /// revision will come through the watch.</summary>
    public bool IsChangedBy(IReadOnlyList<WriteOp> writes)
    {
        lock (_lock)
        {
            return writes.Any(write => write switch
            {
                WriteOp.Put put => Covers(put.Key),
                WriteOp.Delete delete => _items.ContainsKey(delete.Key),
                WriteOp.DeletePrefix deletePrefix => HasKeyUnder(deletePrefix.Key),
                _ => false,
            });
        }
    }

    /// <summary>Waits until the changes of <paramref name="revision"/> are applied; false when
    /// <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForAsync(long revision, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            Task advanced;
            lock (_lock)
            {
                if (_applied >= revision)
                {
                    return true;
                }

                advanced = _advanced.Task;
            }

            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await advanced.WaitAsync(remaining, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    private bool HasKeyUnder(string deletedPrefix)
    {
        if (prefix.StartsWith(deletedPrefix, StringComparison.Ordinal))
        {
            return _items.Count > 0;
        }

        var index = LowerBound(_items.Keys, deletedPrefix);
        return index < _items.Count && _items.Keys[index].StartsWith(deletedPrefix, StringComparison.Ordinal);
    }

    private static int LowerBound(IList<string> keys, string key)
    {
        int low = 0, high = keys.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (KeyOrder.Instance.Compare(keys[middle], key) < 0)
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
}