namespace MetaService.Core.Storage;

/// <summary>
/// A store's log of appended records: small values that transactions add beside their keys with
/// <see cref="WriteOp.Append"/>, committed or rolled back with them. A record has no key of its own: no key range lists
/// it, no watch sees it, and it takes no revision of its own (it carries its transaction's). It is read by the
/// key (<see cref="WriteOp.Key"/>) or the <see cref="WriteOp.Append.Group"/> it was appended under, newest first. While
/// it exists the store keeps the values it names (the value its <c>Before</c> key held before the transaction, and the
/// one its <c>After</c> key held after it), even once compaction has passed them. Only a store that offers one
/// (<see cref="IMetaStore.Appends"/>) accepts appends.
/// </summary>
public interface IAppendLog
{
    /// <summary>The records appended under <paramref name="name"/> (a key or a group, as <paramref name="scope"/> says),
    /// newest first, those with an id below <paramref name="beforeId"/> when given, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Appended>> ReadAsync(AppendScope scope, string name, long? beforeId, int limit, CancellationToken cancellationToken = default);

    /// <summary>The record appended under <paramref name="key"/> by the transaction of <paramref name="revision"/>, or null.</summary>
    Task<Appended?> ReadAtAsync(string key, long revision, CancellationToken cancellationToken = default);

    /// <summary>Removes, in batches of at most <paramref name="batch"/> apart from other writes, every record past the
    /// newest <paramref name="keepPerKey"/> of its key and every record appended before <paramref name="appendedBefore"/>,
    /// and releases the values they kept; returns how many.</summary>
    Task<int> TrimAsync(int keepPerKey, DateTimeOffset appendedBefore, int batch, CancellationToken cancellationToken = default) =>
        TrimAsync(keepPerKey, appendedBefore, batch, keysAppendedAfter: 0, cancellationToken);

    /// <summary>As <see cref="TrimAsync(int, DateTimeOffset, int, CancellationToken)"/>, but by count only the keys that
    /// have a record with an id above <paramref name="keysAppendedAfter"/> (0: every key): a pass after an earlier one
    /// reads what was appended since, not every key. By age, every record goes.</summary>
    Task<int> TrimAsync(int keepPerKey, DateTimeOffset appendedBefore, int batch, long keysAppendedAfter, CancellationToken cancellationToken = default);

    /// <summary>The id of the newest record appended (0: none yet); ids only grow.</summary>
    Task<long> NewestIdAsync(CancellationToken cancellationToken = default);
}

/// <summary>What an append log read goes by: the record's key, or its group.</summary>
public enum AppendScope
{
    Key,
    Group,
}

/// <summary>One appended record: its id (the order of appends), its transaction's revision, when it was appended, its key,
/// its value, and the values it keeps (null where it named none, or the key held none).</summary>
public sealed record Appended(long Id, long Revision, DateTimeOffset Time, string Key, byte[] Value, KeyValue? Before, KeyValue? After);