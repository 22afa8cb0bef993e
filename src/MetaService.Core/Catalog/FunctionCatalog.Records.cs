using MetaService.Core.Records;

namespace MetaService.Core.Catalog;

/// <summary>The records behind the catalog's entries: kept decoded when recent, else read from the store.</summary>
public sealed partial class FunctionCatalog
{
    /// <summary>The record of <paramref name="entry"/> at its mod revision: kept decoded, or read from the store. When the
    /// store holds a later revision (written since the catalog's read), the record at the entry's revision is read from
    /// the store's history, so that a page read at one revision shows every row as of that revision (a watch from it then
    /// repeats nothing); what the store holds now when it no longer keeps that revision, or when the version is gone.</summary>
    private async ValueTask<StoredRecord?> AtAsync(FunctionEntry entry, bool keep, CancellationToken cancellationToken)
    {
        var key = entry.Key;
        if (_recent.Find(key, entry.ModRevision) is { } recent)
        {
            return new StoredRecord(key, entry.ModRevision, recent);
        }

        var now = await ReadAsync(key, keep, cancellationToken);
        return now is { } stored && stored.ModRevision > entry.ModRevision && await store.GetAtAsync(key, entry.ModRevision, cancellationToken) is { } then
            ? new StoredRecord(key, then.ModRevision, FunctionEntry.Decode(then.Key, then.Value))
            : now;
    }

    /// <summary>The record the store holds at <paramref name="key"/> now; null when there is none.</summary>
    public async Task<StoredRecord?> ReadAsync(string key, bool keep, CancellationToken cancellationToken)
    {
        var kv = await store.GetAsync(key, cancellationToken);
        if (kv is null)
        {
            return null;
        }

        var record = FunctionEntry.Decode(kv.Key, kv.Value);
        if (keep)
        {
            _recent.Keep(kv.Key, kv.ModRevision, record, kv.Value.Length);
        }

        return new StoredRecord(kv.Key, kv.ModRevision, record);
    }

    /// <summary>Keeps a record this process has just written at <paramref name="modRevision"/>, whose stored form is
    /// <paramref name="storedBytes"/> long.</summary>
    public void Keep(string key, long modRevision, FunctionRecord record, int storedBytes) => _recent.Keep(key, modRevision, record, storedBytes);

    /// <summary>The bytes the decoded records kept count for (for tests and diagnostics).</summary>
    internal long CachedRecordBytes => _recent.Bytes;
}