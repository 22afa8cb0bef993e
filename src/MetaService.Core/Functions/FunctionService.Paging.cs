using MetaService.Core.Catalog;
using MetaService.Core.Records;

namespace MetaService.Core.Functions;

/// <summary>Lists in key order, continued after the last key a page gave (<c>limit</c> and <c>continue</c>), and the
/// filters that read a version's record (<c>kind</c>, <c>runtime</c>, <c>updatedSince</c>).</summary>
public sealed partial class FunctionService
{
    /// <summary>How many entries a filtered page looks at per pass, at least.</summary>
    private const int FilteredPass = 256;

    /// <summary>The versions of the tenant matching <paramref name="query"/> and <paramref name="filter"/>, most recently
    /// changed first, paged by index (the original's order).</summary>
    public async Task<Outcome<FunctionPage>> ListAsync(Tenant tenant, FunctionQuery query, ListFilter filter, CancellationToken cancellationToken)
    {
        var version = string.IsNullOrEmpty(query.VersionNumber) ? query.Qualifier : query.VersionNumber;
        var (rows, revision) = await catalog.AtOneRevisionAsync(() => catalog.MatchAsync(tenant, query.Name, version, cancellationToken), cancellationToken);
        if (filter.NeedsRecords)
        {
            var kept = new List<FunctionEntry>();
            foreach (var entry in rows)
            {
                if (await MatchesAsync(entry, filter, cancellationToken))
                {
                    kept.Add(entry);
                }
            }

            rows = kept;
        }

        return Page(rows, query.Page) with { Revision = revision };
    }

    /// <summary>At most <see cref="KeyPaging.Limit"/> matching versions after <see cref="KeyPaging.After"/>, in key order,
    /// and where the next page starts (null: this is the last). Holds at most one pass of entries, whatever the tenant's
    /// size: a version that exists from the first page to the last is listed exactly once, whatever changes meanwhile.</summary>
    public async Task<Outcome<KeyPage>> ListAfterAsync(Tenant tenant, FunctionQuery query, ListFilter filter, KeyPaging paging, CancellationToken cancellationToken)
    {
        var version = string.IsNullOrEmpty(query.VersionNumber) ? query.Qualifier : query.VersionNumber;
        var rows = new List<FunctionEntry>();
        var after = paging.After;
        long? revision = null;

        // Each pass starts after the last entry the previous one looked at, so the loop ends with the tenant's entries.
        while (rows.Count <= paging.Limit)
        {
            var take = filter.NeedsRecords ? Math.Max(paging.Limit + 1 - rows.Count, FilteredPass) : paging.Limit + 1 - rows.Count;
            var (batch, read) = await catalog.PageAsync(tenant, query.Name, version, after, take, cancellationToken);
            revision ??= read;
            foreach (var entry in batch)
            {
                if (rows.Count > paging.Limit)
                {
                    break;
                }

                if (!filter.NeedsRecords || await MatchesAsync(entry, filter, cancellationToken))
                {
                    rows.Add(entry);
                }
            }

            if (batch.Count < take)
            {
                break;
            }

            after = batch[^1].Rest;
        }

        return Cut(rows, paging.Limit, revision ?? catalog.AppliedRevision);
    }

    /// <summary>The versions of one function in key order, after <see cref="KeyPaging.After"/> (a version number).</summary>
    public async Task<Outcome<KeyPage>> ListVersionsAfterAsync(Tenant tenant, string pathName, KeyPaging paging, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        var (versions, revision) = await catalog.AtOneRevisionAsync(() => catalog.VersionsAsync(tenant, reference.Name, cancellationToken), cancellationToken);
        versions.RemoveAll(v => paging.After is not null && string.CompareOrdinal(v.Rest, paging.After) <= 0);
        versions.Sort((a, b) => string.CompareOrdinal(a.Rest, b.Rest));
        return Cut(versions.Take(paging.Limit + 1).ToList(), paging.Limit, revision);
    }

    private static KeyPage Cut(List<FunctionEntry> rows, int limit, long revision)
    {
        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveRange(limit, rows.Count - limit);
        }

        return new KeyPage(rows.Count == 0 ? null : rows, more ? rows[^1].Rest : null, revision);
    }

    /// <summary>Whether the version's record passes <paramref name="filter"/>; a version deleted meanwhile or unreadable does not.</summary>
    private async ValueTask<bool> MatchesAsync(FunctionEntry entry, ListFilter filter, CancellationToken cancellationToken)
    {
        try
        {
            return await catalog.RecordOfAsync(entry, cancellationToken) is { } stored && filter.Matches(stored.Record);
        }
        catch (UnreadableRecordException e)
        {
            _unreadable.Report(e, entry.ModRevision);
            return false;
        }
    }
}

/// <summary>The list filters that read a version's record: its kind, its runtime, and when it last changed (its update
/// time, or its creation time when never updated) at or after a moment.</summary>
public sealed record ListFilter(string? Kind, string? Runtime, DateTimeOffset? UpdatedSince)
{
    public static ListFilter None { get; } = new(null, null, null);

    public bool NeedsRecords => !string.IsNullOrEmpty(Kind) || !string.IsNullOrEmpty(Runtime) || UpdatedSince is not null;

    public bool Matches(FunctionRecord record) =>
        (string.IsNullOrEmpty(Kind) || record.Kind == Kind)
        && (string.IsNullOrEmpty(Runtime) || record.Runtime == Runtime)
        // The stored times are "yyyy-MM-dd HH:mm:ss.fff UTC": their ordinal order is their time order.
        && (UpdatedSince is not { } since || string.CompareOrdinal(record.UpdateTime.Length > 0 ? record.UpdateTime : record.CreateTime, Timestamps.Format(since)) >= 0);
}

/// <summary>A page in key order: at most <paramref name="Limit"/> rows after <paramref name="After"/> (the part of a record
/// key after the tenant's prefix, or a version number for one function's versions; null: from the first).</summary>
public readonly record struct KeyPaging(int Limit, string? After);

/// <summary>A page in key order, where the next one starts (null: none), and the catalog revision it was read at.</summary>
public sealed record KeyPage(IReadOnlyList<FunctionEntry>? Functions, string? Next, long Revision);