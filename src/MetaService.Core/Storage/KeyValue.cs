namespace MetaService.Core.Storage;

/// <summary>One key as the store holds it, with etcd's bookkeeping: the revision of the transaction
/// that created it, of the one that last changed it, and how many times it was written since created.</summary>
public sealed record KeyValue(string Key, byte[] Value, long CreateRevision, long ModRevision, long Version);

/// <summary>The keys under a prefix, in key order, and the store revision the read saw.</summary>
public sealed record RangeResult(IReadOnlyList<KeyValue> Items, long Revision, bool More);

/// <summary>A condition of a transaction: the key's mod revision equals <paramref name="ModRevision"/>;
/// 0 means the key must not exist (etcd's convention).</summary>
public sealed record Compare(string Key, long ModRevision)
{
    public static Compare Absent(string key) => new(key, 0);
}

/// <summary>A write of a transaction.</summary>
public abstract record WriteOp(string Key)
{
    /// <summary>Sets a key. The store may keep <paramref name="Value"/> itself (its watchers receive that array), so the
    /// caller does not change it after handing it over.</summary>
    public sealed record Put(string Key, byte[] Value) : WriteOp(Key);

    public sealed record Delete(string Key) : WriteOp(Key);

    /// <summary>Deletes every key that starts with <see cref="WriteOp.Key"/>.</summary>
    public sealed record DeletePrefix(string Key) : WriteOp(Key);

    /// <summary>Appends <paramref name="Value"/> to the store's append log (<see cref="IAppendLog"/>) under
    /// <see cref="WriteOp.Key"/> and <paramref name="Group"/>: not a key. The store keeps, while the record exists, the value
    /// <paramref name="Before"/> held before this transaction and the one <paramref name="After"/> holds after it (null:
    /// none). Only a store with an append log (<see cref="IMetaStore.Appends"/>) accepts it.</summary>
    public sealed record Append(string Key, string Group, DateTimeOffset Time, byte[] Value, string? Before = null, string? After = null) : WriteOp(Key);
}

/// <summary>The outcome of a transaction: whether every compare held (and so every write applied), the store
/// revision after it, and whether it changed anything. A store may make no revision for a transaction that changed
/// nothing (etcd: deletes of absent keys only): <see cref="Revision"/> is then the latest revision, somebody else's.</summary>
public sealed record TxnResult(bool Succeeded, long Revision, bool Changed = true)
{
    /// <summary>Where the store says which of its deletes found no key (etcd does): their positions among the
    /// transaction's writes, empty when every delete found its key. Null where the store does not say.</summary>
    public IReadOnlySet<int>? DeletedNothing { get; init; }

    public bool Equals(TxnResult? other) =>
        other is not null && Succeeded == other.Succeeded && Revision == other.Revision && Changed == other.Changed
        && (DeletedNothing is null ? other.DeletedNothing is null : other.DeletedNothing is not null && DeletedNothing.SetEquals(other.DeletedNothing));

    public override int GetHashCode() => HashCode.Combine(Succeeded, Revision, Changed, DeletedNothing?.Count);
}

/// <summary>A change seen by a watch: a put (with the new value) or a delete (value empty).</summary>
public sealed record WatchEvent(WatchEventType Type, KeyValue Kv);

public enum WatchEventType
{
    Put,
    Delete,
}