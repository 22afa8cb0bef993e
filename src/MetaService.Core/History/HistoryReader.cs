using System.Text.Json;

using MetaService.Core.Functions;
using MetaService.Core.Storage;

namespace MetaService.Core.History;

/// <summary>
/// Reads the history: a function's entries newest first, one entry by its revision, and the tenant's trail (functions
/// since deleted included), each page one forward range of keys that sort newest first, continued from an opaque token.
/// A trail read with filters reads at most <see cref="ScanBudget"/> keys and then answers what it found with a token to
/// go on, so no request reads the whole trail.
/// </summary>
public sealed class HistoryReader(IMetaStore store)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int ScanBudget = 5_000;

    public async Task<Outcome<HistoryPage>> FunctionAsync(Tenant tenant, string pathName, int limit, string? token, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        var prefix = HistoryKeys.FunctionPrefix(tenant, reference.Name);
        if (!After(token, prefix).TryGet(out var after, out error))
        {
            return error;
        }

        var range = await store.RangeAsync(prefix, limit, after, cancellationToken);
        // A page never carries snapshots (they hold secrets, and live under keys of their own; one entry's route answers
        // its snapshot masked).
        var entries = range.Items.Select(Read).ToList();
        return new HistoryPage(entries, range.More && range.Items.Count > 0 ? HistoryKeys.Token(range.Items[^1].Key, prefix) : null, range.Revision);
    }

    /// <summary>The entry of <paramref name="revision"/> of a function, with its snapshot; null when there is none. Found
    /// among the function's keys (as many as its retention keeps), then read alone.</summary>
    public async Task<Outcome<HistoryEntry?>> OneAsync(Tenant tenant, string pathName, long revision, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
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
        if (!After(query.Continue, prefix).TryGet(out var after, out var error))
        {
            return error;
        }

        if (after is null && query.Until is { } until)
        {
            after = HistoryKeys.TrailStartAfter(tenant, until);
        }

        var since = query.Since?.ToUnixTimeMilliseconds();
        var entries = new List<HistoryEntry>();
        var scanned = 0;
        long revision = 0;
        while (true)
        {
            var page = await store.RangeAsync(prefix, Math.Min(query.Limit * 2, MaxLimit), after, cancellationToken);
            revision = revision == 0 ? page.Revision : revision;
            foreach (var kv in page.Items)
            {
                scanned++;
                after = kv.Key;
                if (since is not null && HistoryKeys.TrailMillis(kv.Key, prefix) < since)
                {
                    return new HistoryPage(entries, null, revision);
                }

                var entry = Read(kv);
                if ((query.Name is null || entry.Name == query.Name) && (query.Operation is null || entry.Operation == query.Operation))
                {
                    entries.Add(entry);
                }

                if (entries.Count == query.Limit || scanned >= ScanBudget)
                {
                    var more = !ReferenceEquals(kv, page.Items[^1]) || page.More;
                    return new HistoryPage(entries, more ? HistoryKeys.Token(kv.Key, prefix) : null, revision);
                }
            }

            if (!page.More || page.Items.Count == 0)
            {
                return new HistoryPage(entries, null, revision);
            }
        }
    }

    private static Outcome<string?> After(string? token, string prefix)
    {
        if (string.IsNullOrEmpty(token))
        {
            return new Outcome<string?>(null, null);
        }

        return HistoryKeys.KeyOf(token, prefix) is { } key
            ? key
            : MetaError.InvalidParam("continue is not a token this list gave: pass the continue value of the previous page as it was");
    }

    private static HistoryEntry Read(KeyValue kv) =>
        (JsonSerializer.Deserialize(kv.Value, HistoryJson.Default.HistoryEntry) ?? throw new InvalidDataException($"the history entry at {kv.Key} is empty"))
            with
        { Revision = kv.ModRevision };
}

/// <summary>A page of entries, newest first, the token of the next page (null: none) and the store revision read at.</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Entries, string? Continue, long Revision);

/// <summary>What a trail read asks for: filters on the name, the operation and the time, a page size and where to go on.</summary>
public sealed record TrailQuery(string? Name, string? Operation, DateTimeOffset? Since, DateTimeOffset? Until, int Limit, string? Continue);