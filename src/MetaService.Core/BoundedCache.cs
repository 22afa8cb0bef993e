namespace MetaService.Core;

/// <summary>
/// Values kept by key up to a bound in bytes: each value counts the cost its keeper gives, and the least recently used
/// go first when the bound is passed. A value that alone would pass the bound is not kept. Safe for concurrent use; the
/// values are shared, so they must be immutable. Each cache has one owner, which sets its bound.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(long capacityBytes)
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, LinkedListNode<Item>> _byKey = [];
    private readonly LinkedList<Item> _order = new();
    private long _bytes;

    /// <summary>The bytes the kept values count for now.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The value kept at <paramref name="key"/>, which becomes the most recently used.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var node))
            {
                value = default!;
                return false;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
    }

    /// <summary>Keeps <paramref name="value"/> at <paramref name="key"/>, counting <paramref name="cost"/> bytes, in place
    /// of the value kept there unless <paramref name="replaces"/> says the kept one stays.</summary>
    public void Keep(TKey key, TValue value, long cost, Func<TValue, bool>? replaces = null)
    {
        if (cost > capacityBytes)
        {
            return;
        }

        lock (_lock)
        {
            if (_byKey.TryGetValue(key, out var node))
            {
                if (replaces is not null && !replaces(node.Value.Value))
                {
                    return;
                }

                _bytes -= node.Value.Cost;
                _order.Remove(node);
                _byKey.Remove(key);
            }

            _byKey[key] = _order.AddFirst(new Item(key, value, cost));
            _bytes += cost;
            while (_bytes > capacityBytes)
            {
                var oldest = _order.Last!;
                _order.RemoveLast();
                _byKey.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Cost;
            }
        }
    }

    private readonly record struct Item(TKey Key, TValue Value, long Cost);
}