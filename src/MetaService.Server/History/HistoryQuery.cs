using System.Globalization;

using MetaService.Core;
using MetaService.Core.History;

namespace MetaService.Server.History;

/// <summary>The query of the history routes: <c>limit</c> (1 to 500, default 50), and on the trail <c>name</c>,
/// <c>operation</c>, <c>since</c> and <c>until</c> (RFC 3339 or the original's <c>yyyy-MM-dd HH:mm:ss.fff UTC</c>).</summary>
public static class HistoryQuery
{
    public static Outcome<int> Limit(IQueryCollection query)
    {
        var values = query["limit"];
        if (values.Count == 0)
        {
            return HistoryReader.DefaultLimit;
        }

        return values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= HistoryReader.MaxLimit
            ? limit
            : MetaError.InvalidParam($"limit must be a whole number from 1 to {HistoryReader.MaxLimit}, once");
    }

    public static Outcome<TrailQuery> Trail(IQueryCollection query)
    {
        if (!Limit(query).TryGet(out var limit, out var error) || !Time(query, "since").TryGet(out var since, out error) || !Time(query, "until").TryGet(out var until, out error))
        {
            return error;
        }

        string? operation = query["operation"];
        if (!string.IsNullOrEmpty(operation) && !HistoryOperations.All.Contains(operation))
        {
            return MetaError.InvalidParam($"operation '{operation}' is not one of {string.Join(", ", HistoryOperations.All)}");
        }

        string? name = query["name"];
        return new TrailQuery(string.IsNullOrEmpty(name) ? null : name, string.IsNullOrEmpty(operation) ? null : operation, since, until, limit, query["continue"]);
    }

    private static Outcome<DateTimeOffset?> Time(IQueryCollection query, string name)
    {
        var values = query[name];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return new Outcome<DateTimeOffset?>(null, null);
        }

        var text = values[0]!;
        if (values.Count == 1
            && (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time)))
        {
            return time;
        }

        return MetaError.InvalidParam($"{name} '{text}' is not a time: give RFC 3339 (2026-12-03T10:00:00Z) or 2026-12-03 10:00:00.000 UTC, once");
    }
}