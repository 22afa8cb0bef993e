using System.Globalization;

namespace MetaService.Core.Records;

/// <summary>
/// The time formats of the wire: timestamps <c>2024-05-09 02:25:49.477 UTC</c>, revisionIds
/// <c>yyyyMMddHHmmss</c> plus the milliseconds with trailing zeros dropped (14 to 17 digits, as
/// openYuanrong's Go layout <c>20060102150405.999</c> gives), default version numbers
/// <c>vYYYYMMDD-HHMMSS</c> in the server's local time.
/// </summary>
public static class Timestamps
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

    public static string DefaultVersionNumber(TimeProvider clock) =>
        "v" + clock.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    /// <summary>
    /// A revisionId for now, made later than <paramref name="previous"/> (by a millisecond when the clock
    /// has not moved past it), so that each function's revisionIds are unique and strictly increasing.
    /// </summary>
    public static string NextRevisionId(DateTimeOffset now, string? previous)
    {
        var millis = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        if (previous is not null && TryParseRevisionId(previous, out var last) && millis <= last)
        {
            millis = last.AddMilliseconds(1);
        }

        return FormatRevisionId(millis);
    }

    public static string FormatRevisionId(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var seconds = utc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        return utc.Millisecond == 0
            ? seconds
            : seconds + utc.Millisecond.ToString("000", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    public static bool TryParseRevisionId(string revisionId, out DateTimeOffset time)
    {
        time = default;
        if (revisionId.Length is < 14 or > 17 || !revisionId.All(char.IsAsciiDigit)
            || !DateTime.TryParseExact(revisionId[..14], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var seconds))
        {
            return false;
        }

        var fraction = revisionId[14..].PadRight(3, '0');
        time = new DateTimeOffset(seconds, TimeSpan.Zero).AddMilliseconds(int.Parse(fraction, CultureInfo.InvariantCulture));
        return true;
    }
}