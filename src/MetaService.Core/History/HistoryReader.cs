using System.Text.Json;

using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.History;

/// <summary>
/// Reads the history: a function's entries newest first, one entry by its revision, and the tenant's trail (functions
/// since deleted included), each page continued from an opaque token. On a store with an append log the entries are read
/// from it first, newest first, and then those an earlier MetaService kept at keys (<see cref="HistoryKeys"/>; every one
/// of them is older); elsewhere from the keys alone. A trail read with filters reads at most <see cref="ScanBudget"/>
/// entries and then answers what it found with a token to go on, so no request reads the whole trail. The changes of
/// appended entries are made from the values they keep when read, and the reader keeps those it made last, up to
/// <paramref name="changesCacheBytes"/> (<see cref="HistoryOptions.ChangesCacheBytes"/>; an entry never changes).
/// </summary>
public sealed partial class HistoryReader(IMetaStore store, long changesCacheBytes = HistoryOptions.DefaultChangesCacheBytes)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int ScanBudget = 5_000;

    private readonly BoundedCache<long, HistoryChange[]> _changes = new(changesCacheBytes);

    /// <summary>The bytes the changes kept count for now.</summary>
    internal long CachedChangesBytes => _changes.Bytes;

    /// <summary>A page of at most <paramref name="limit"/> entries of a function (0: every one).</summary>
    public async Task<Outcome<HistoryPage>> FunctionAsync(Tenant tenant, string pathName, int limit, string? token, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        var prefix = HistoryKeys.FunctionPrefix(tenant, reference.Name);
        if (!Position.Of(token, prefix).TryGet(out var position, out error))
        {
            return error;
        }

        // A page never carries snapshots (they hold secrets; one entry's route answers its snapshot masked).
        var entries = new List<HistoryEntry>();

        // The revision the page answers: read before the append log, else the keys' range's.
        long? revision = null;
        if (store.Appends is { } log && position.KeyAfter is null)
        {
            revision = await store.GetRevisionAsync(cancellationToken);
            var rows = await log.ReadAsync(AppendScope.Key, HistoryKeys.Stream(tenant, reference.Name), position.BeforeId, limit > 0 ? limit + 1 : int.MaxValue, cancellationToken);
            var snapshots = new Snapshots(_changes);
            entries.AddRange(rows.Take(limit > 0 ? limit : rows.Count).Select(row => snapshots.Complete(row, AppendedEntry.Decode(row, tenant))));
            if (limit > 0 && (rows.Count > limit || (rows.Count == limit && await AnyKeyAsync(prefix, cancellationToken))))
            {
                return new HistoryPage(entries, HistoryKeys.Token(rows[limit - 1].Id), revision.Value);
            }

            if (limit > 0 && entries.Count == limit)
            {
                return new HistoryPage(entries, null, revision.Value);
            }
        }

        var range = await store.RangeAsync(prefix, limit > 0 ? limit - entries.Count : 0, position.KeyAfter, cancellationToken);
        entries.AddRange(range.Items.Select(Read));
        return new HistoryPage(entries, range.More && range.Items.Count > 0 ? HistoryKeys.Token(range.Items[^1].Key, prefix) : null, revision ?? range.Revision);
    }

    /// <summary>The entry of <paramref name="revision"/> of a function, with its snapshot; null when there is none. Found
    /// in the append log by its revision, else among the function's keys (as many as its retention keeps).</summary>
    public async Task<Outcome<HistoryEntry?>> OneAsync(Tenant tenant, string pathName, long revision, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        if (store.Appends is { } log && await log.ReadAtAsync(HistoryKeys.Stream(tenant, reference.Name), revision, cancellationToken) is { } row)
        {
            return new Snapshots(_changes).Complete(row, AppendedEntry.Decode(row, tenant)) with { Snapshot = RecordOf(row.After) };
        }

        var prefix = HistoryKeys.FunctionPrefix(tenant, reference.Name);
        string? after = null;
        while (true)
        {
            var page = await store.RangeKeysAsync(prefix, 1000, after, cancellationToken);
            foreach (var key in page.Items)
            {
                if (key.ModRevision == revision)
                {
                    if (await store.GetAsync(key.Key, cancellationToken) is not { } kv)
                    {
                        return new Outcome<HistoryEntry?>(null, null);
                    }

                    var snapshot = await store.GetAsync(HistoryKeys.SnapshotKeyOf(key.Key), cancellationToken)
                        ?? await store.GetAsync(HistoryKeys.EarlierSnapshotKeyOf(key.Key), cancellationToken);
                    return Read(kv) with { Snapshot = snapshot is null ? null : JsonSerializer.Deserialize(snapshot.Value, MetaJson.Default.FunctionRecord) };
                }
            }

            if (!page.More || page.Items.Count == 0)
            {
                return new Outcome<HistoryEntry?>(null, null);
            }

            after = page.Items[^1].Key;
        }
    }

    public async Task<Outcome<HistoryPage>> TrailAsync(Tenant tenant, TrailQuery query, CancellationToken cancellationToken)
    {
        var prefix = HistoryKeys.TrailPrefix(tenant);
        if (!Position.Of(query.Continue, prefix).TryGet(out var position, out var error))
        {
            return error;
        }

        var scan = new TrailScan(query);

        // The revision the read answers: read before the append log, else the keys' first page's.
        long? revision = null;
        if (store.Appends is { } log && position.KeyAfter is null)
        {
            revision = await store.GetRevisionAsync(cancellationToken);
            var before = position.BeforeId;
            var snapshots = new Snapshots(_changes);
            while (true)
            {
                var asked = Math.Min(query.Limit * 2, MaxLimit);
                var rows = await log.ReadAsync(AppendScope.Group, HistoryKeys.TrailStream(tenant), before, asked, cancellationToken);
                foreach (var row in rows)
                {
                    before = row.Id;
                    if (scan.IsPast(row.Time.ToUnixTimeMilliseconds()))
                    {
                        return new HistoryPage(scan.Entries, null, revision.Value);
                    }

                    var stored = AppendedEntry.Decode(row, tenant);
                    if (scan.Admits(row.Time, stored.Entry))
                    {
                        scan.Entries.Add(snapshots.Complete(row, stored));
                    }

                    if (scan.Done)
                    {
                        var more = !ReferenceEquals(row, rows[^1]) || rows.Count == asked || await AnyKeyAsync(prefix, cancellationToken);
                        return new HistoryPage(scan.Entries, more ? HistoryKeys.Token(row.Id) : null, revision.Value);
                    }
                }

                if (rows.Count < asked)
                {
                    break;
                }
            }
        }

        var after = position.KeyAfter;
        if (after is null && query.Until is { } until)
        {
            after = HistoryKeys.TrailStartAfter(tenant, until);
        }

        while (true)
        {
            var page = await store.RangeAsync(prefix, Math.Min(query.Limit * 2, MaxLimit), after, cancellationToken);
            revision ??= page.Revision;
            foreach (var kv in page.Items)
            {
                after = kv.Key;
                if (HistoryKeys.TrailMillis(kv.Key, prefix) is { } millis && scan.IsPast(millis))
                {
                    return new HistoryPage(scan.Entries, null, revision.Value);
                }

                var entry = Read(kv);
                if (scan.Admits(null, entry))
                {
                    scan.Entries.Add(entry);
                }

                if (scan.Done)
                {
                    var more = !ReferenceEquals(kv, page.Items[^1]) || page.More;
                    return new HistoryPage(scan.Entries, more ? HistoryKeys.Token(kv.Key, prefix) : null, revision.Value);
                }
            }

            if (!page.More || page.Items.Count == 0)
            {
                return new HistoryPage(scan.Entries, null, revision.Value);
            }
        }
    }

    /// <summary>Whether any entry is kept at keys below <paramref name="prefix"/> (by an earlier MetaService).</summary>
    private async Task<bool> AnyKeyAsync(string prefix, CancellationToken cancellationToken) =>
        (await store.RangeKeysAsync(prefix, 1, null, cancellationToken)).Items.Count > 0;

    private static FunctionRecord? RecordOf(KeyValue? kept) => kept is null ? null : FunctionEntry.Decode(kept.Key, kept.Value);

    private static HistoryEntry Read(KeyValue kv) =>
        (JsonSerializer.Deserialize(kv.Value, HistoryJson.Default.HistoryEntry) ?? throw new InvalidDataException($"the history entry at {kv.Key} is empty"))
            with
        { Revision = kv.ModRevision };

    /// <summary>
    /// Completes appended entries as answered: each with its revision, and its changes, when they are not stored, from
    /// the reader's cache or made from the values the log kept with it (and then cached). A function's entries follow
    /// each other (one's record before is the next older one's after), so each value is decoded once for a page.
    /// </summary>
    private sealed class Snapshots(BoundedCache<long, HistoryChange[]> cache)
    {
        private readonly Dictionary<(string Key, long Revision), byte[]?> _encoded = [];

        public HistoryEntry Complete(Appended row, StoredEntry stored) =>
            stored.Entry with { Revision = row.Revision, Changes = stored.DerivedChanges ? Derived(row) : stored.Entry.Changes };

        /// <summary>The entry's changes, in a list of the answer's own (the cache keeps its copy unchanged).</summary>
        private List<HistoryChange> Derived(Appended row)
        {
            if (!cache.TryGet(row.Id, out var changes))
            {
                changes = [.. RecordChanges.Between(Encoded(row.Before), Encoded(row.After), [])];
                cache.Keep(row.Id, changes, RecordChanges.Cost(changes));
            }

            return [.. changes];
        }

        private byte[]? Encoded(KeyValue? kept)
        {
            if (kept is null)
            {
                return null;
            }

            if (!_encoded.TryGetValue((kept.Key, kept.ModRevision), out var encoded))
            {
                encoded = RecordChanges.Encode(RecordOf(kept));
                _encoded[(kept.Key, kept.ModRevision)] = encoded;
            }

            return encoded;
        }
    }
}