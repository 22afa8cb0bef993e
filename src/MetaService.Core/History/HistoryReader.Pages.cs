namespace MetaService.Core.History;

/// <summary>The reader's pages: where one starts (its token), what a trail read filters and counts, and what a page
/// answers.</summary>
public sealed partial class HistoryReader
{
    /// <summary>Where a page starts: before an entry of the append log, or after a key (then the append log is done).</summary>
    private sealed record Position(long? BeforeId, string? KeyAfter)
    {
        public static Outcome<Position> Of(string? token, string prefix)
        {
            if (string.IsNullOrEmpty(token))
            {
                return new Position(null, null);
            }

            if (HistoryKeys.AppendedIdOf(token) is { } id)
            {
                return new Position(id, null);
            }

            return HistoryKeys.KeyOf(token, prefix) is { } key
                ? new Position(null, key)
                : MetaError.InvalidParam("continue is not a token this list gave: pass the continue value of the previous page as it was");
        }
    }

    /// <summary>A trail read's filters and what it has gathered: whether an entry's time is past <c>since</c>, whether an
    /// entry is admitted, and whether the page is full or the scan budget spent.</summary>
    private sealed class TrailScan(TrailQuery query)
    {
        private int _scanned;

        public List<HistoryEntry> Entries { get; } = [];

        /// <summary>Whether an entry made at <paramref name="millis"/> (UTC milliseconds) is older than <c>since</c>.</summary>
        public bool IsPast(long millis) => query.Since is { } since && millis < since.ToUnixTimeMilliseconds();

        /// <summary>Counts the entry as scanned; whether it matches the filters (<paramref name="time"/>: when the read does not
        /// start at <c>until</c> by its keys).</summary>
        public bool Admits(DateTimeOffset? time, HistoryEntry entry)
        {
            _scanned++;
            return (time is null || query.Until is not { } until || time.Value.ToUnixTimeMilliseconds() <= until.ToUnixTimeMilliseconds())
                && (query.Name is null || entry.Name == query.Name) && (query.Operation is null || entry.Operation == query.Operation);
        }

        public bool Done => Entries.Count == query.Limit || _scanned >= ScanBudget;
    }
}

/// <summary>A page of entries, newest first, the token of the next page (null: none) and the store revision read at.</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Entries, string? Continue, long Revision);

/// <summary>What a trail read asks for: filters on the name, the operation and the time, a page size and where to go on.</summary>
public sealed record TrailQuery(string? Name, string? Operation, DateTimeOffset? Since, DateTimeOffset? Until, int Limit, string? Continue);