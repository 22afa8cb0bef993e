using System.Globalization;
using System.Text;

namespace MetaService.Server.Observability;

/// <summary>
/// Text a caller chose (a path, a tenant, a host), made safe to print on one log line: control and other invisible
/// characters become <c>\r</c>, <c>\n</c>, <c>\t</c> or <c>\uXXXX</c>, and <c>\</c> becomes <c>\\</c>, so that a
/// <c>%0D%0A</c> in a path cannot start a forged line and the printed text still says exactly what was sent.
/// Text longer than <see cref="MaxLength"/> characters is cut there, saying how long it was.
/// </summary>
public static class Printable
{
    public const int MaxLength = 256;

    public static string Of(string text)
    {
        if (text.Length <= MaxLength && !text.AsSpan().ContainsAny(Special) && !NeedsEscape(text))
        {
            return text;
        }

        var printed = new StringBuilder(Math.Min(text.Length, MaxLength) + 16);
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, MaxLength)))
        {
            _ = c switch
            {
                '\\' => printed.Append(@"\\"),
                '\r' => printed.Append(@"\r"),
                '\n' => printed.Append(@"\n"),
                '\t' => printed.Append(@"\t"),
                _ when Escaped(c) => printed.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => printed.Append(c),
            };
        }

        return text.Length <= MaxLength ? printed.ToString() : printed.Append(CultureInfo.InvariantCulture, $"…({text.Length} characters)").ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create("\\\r\n\t");

    private static bool NeedsEscape(string text)
    {
        foreach (var c in text)
        {
            if (Escaped(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Control, format (e.g. right-to-left overrides), line and paragraph separators, unassigned and private-use characters.</summary>
    private static bool Escaped(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}