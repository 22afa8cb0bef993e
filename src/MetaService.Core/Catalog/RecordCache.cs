namespace MetaService.Core.Catalog;

/// <summary>
/// The function records this process wrote or decoded last, each with the mod revision it is stored at, bounded in
/// bytes: each record counts its stored size plus <see cref="EntryOverhead"/>, and the least recently used go first.
/// An update starts from the draft it finds here and a get answers from it, instead of reading and decoding the record
/// from the store again. A record is immutable once built, so handing the same instance to several requests is safe;
/// the mod revision says whether it is still current. The catalog owns the only instance.
/// </summary>
internal sealed class RecordCache(long capacityBytes)
{
    /// <summary>What one kept record costs beyond its stored size: the decoded objects' headers and the bookkeeping.</summary>
    public const int EntryOverhead = 512;

    private readonly BoundedCache<string, Item> _records = new(capacityBytes);

    /// <summary>The bytes the kept records count for now.</summary>
    public long Bytes => _records.Bytes;

    /// <summary>The record stored at <paramref name="key"/> at exactly <paramref name="modRevision"/>, when kept.</summary>
    public Records.FunctionRecord? Find(string key, long modRevision) =>
        _records.TryGet(key, out var item) && item.ModRevision == modRevision ? item.Record : null;

    /// <summary>Keeps <paramref name="record"/> (<paramref name="storedBytes"/> long in the store) as the value of
    /// <paramref name="key"/> at <paramref name="modRevision"/>, unless a newer revision of the key is kept already. A
    /// record that alone would fill the cache is not kept.</summary>
    public void Keep(string key, long modRevision, Records.FunctionRecord record, int storedBytes) =>
        _records.Keep(key, new Item(modRevision, record), (long)storedBytes + EntryOverhead, kept => kept.ModRevision <= modRevision);

    private readonly record struct Item(long ModRevision, Records.FunctionRecord Record);
}