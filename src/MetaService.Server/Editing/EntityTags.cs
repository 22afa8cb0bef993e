using MetaService.Core;

namespace MetaService.Server.Editing;

/// <summary>
/// Entity tags (RFC 9110 §8.8.3, §13.1.1–2): a function version's ETag is its revisionId, quoted. <c>If-Match</c>
/// takes strong tags only (weak comparison would be meaningless for a write) and no <c>*</c> (every route that reads
/// it needs the function to exist already); <c>If-None-Match</c> takes weak tags too (weak comparison) and no
/// <c>*</c> (a get of something that exists would always answer 304). Anything else is a 400, before anything runs.
/// </summary>
public static class EntityTags
{
    public static string Of(string revisionId) => $"\"{revisionId}\"";

    /// <summary>The revisionIds <c>If-Match</c> names; null without the header.</summary>
    public static Outcome<IReadOnlyList<string>?> IfMatch(HttpRequest request) => Parse(request, "If-Match", weakAllowed: false);

    /// <summary>The revisionIds <c>If-None-Match</c> names; null without the header.</summary>
    public static Outcome<IReadOnlyList<string>?> IfNoneMatch(HttpRequest request) => Parse(request, "If-None-Match", weakAllowed: true);

    private static Outcome<IReadOnlyList<string>?> Parse(HttpRequest request, string header, bool weakAllowed)
    {
        if (!request.Headers.TryGetValue(header, out var values))
        {
            return new Outcome<IReadOnlyList<string>?>(null, null);
        }

        var text = string.Join(",", values.OfType<string>());
        var tags = new List<string>();
        var at = 0;
        while (true)
        {
            at = SkipBlanks(text, at);
            if (at == text.Length)
            {
                break;
            }

            if (text[at] == '*')
            {
                return MetaError.InvalidParam($"{header}: * is not accepted here: send the ETag of the function (\"<revisionId>\") you read");
            }

            var weak = string.CompareOrdinal(text, at, "W/", 0, 2) == 0;
            if (weak && !weakAllowed)
            {
                return MetaError.InvalidParam($"{header} needs strong ETags: send \"<revisionId>\" without W/");
            }

            var open = weak ? at + 2 : at;
            var close = open < text.Length && text[open] == '"' ? text.IndexOf('"', open + 1) : -1;
            if (close < 0 || !IsOpaque(text.AsSpan(open + 1, close - open - 1)))
            {
                return Malformed(header);
            }

            tags.Add(text[(open + 1)..close]);
            at = close + 1;
            while (at < text.Length && text[at] is ' ' or '\t')
            {
                at++;
            }

            if (at < text.Length && text[at] != ',')
            {
                return Malformed(header);
            }

        }

        return tags.Count == 0 ? Malformed(header) : new Outcome<IReadOnlyList<string>?>(tags, null);
    }

    private static MetaError Malformed(string header) =>
        MetaError.InvalidParam($"{header} must be a comma-separated list of quoted ETags, e.g. {header}: \"20240416124531639\"");

    /// <summary>etagc: '!' and '#' to '~' and non-ASCII, no '"', no blanks or controls.</summary>
    private static bool IsOpaque(ReadOnlySpan<char> tag)
    {
        foreach (var c in tag)
        {
            if (c is < '!' or '"' or '\x7f')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Skips blanks and the empty elements a list may have (RFC 9110 §5.6.1).</summary>
    private static int SkipBlanks(string text, int at)
    {
        while (at < text.Length && text[at] is ' ' or '\t' or ',')
        {
            at++;
        }

        return at;
    }
}