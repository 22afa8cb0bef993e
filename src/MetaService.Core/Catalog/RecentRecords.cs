using MetaService.Core.Records;

namespace MetaService.Core.Catalog;

/// <summary>
/// The function records this process wrote or decoded last, each with the mod revision it is stored at, bounded
/// in count (least recently used out). An update starts from the draft it finds here and a get renders from it,
/// instead of reading and decoding the record from the store again. A record is immutable once built, so
/// handing the same instance to several requests is safe; the mod revision says whether it is still current.
/// </summary>
internal sealed class RecentRecords(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Item>> _byKey = new(StringComparer.Ordinal);
    private readonly LinkedList<Item> _order = new();

    /// <summary>The record stored at <paramref name="key"/> at exactly <paramref name="modRevision"/>, when kept.</summary>
    public FunctionRecord? Find(string key, long modRevision)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var node) || node.Value.ModRevision != modRevision)
            {
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Record;
        }
    }

    /// <summary>Keeps <paramref name="record"/> as the value of <paramref name="key"/> at <paramref name="modRevision"/>,
    /// unless a newer revision of the key is kept already.</summary>
    public void Keep(string key, long modRevision, FunctionRecord record)
    {
        if (capacity <= 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_byKey.TryGetValue(key, out var node))
            {
                if (node.Value.ModRevision > modRevision)
                {
                    return;
                }

                node.Value = new Item(key, modRevision, record);
                _order.Remove(node);
                _order.AddFirst(node);
                return;
            }

            _byKey[key] = _order.AddFirst(new Item(key, modRevision, record));
            if (_byKey.Count > capacity)
            {
                var oldest = _order.Last!;
                _order.RemoveLast();
                _byKey.Remove(oldest.Value.Key);
            }
        }
    }

    private readonly record struct Item(string Key, long ModRevision, FunctionRecord Record);
}