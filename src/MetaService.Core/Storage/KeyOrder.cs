namespace MetaService.Core.Storage;

/// <summary>
/// The order of keys in every store: the bytes of their UTF-8 encoding, as etcd compares them.
/// </summary>
public sealed class KeyOrder : IComparer<string>
{
    public static KeyOrder Instance { get; } = new();

    /// <summary>Compares two keys as their UTF-8 bytes would compare, without encoding them: UTF-16
    /// code units compare like code points (and so like UTF-8) once surrogates are moved above U+FFFF.</summary>
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            if (x[i] != y[i])
            {
                return CodePointRank(x[i]) - CodePointRank(y[i]);
            }
        }

        return x.Length - y.Length;
    }

    /// <summary>The smallest key greater than every key that starts with <paramref name="prefix"/>, or null
    /// when there is none (a prefix of only 0xFF bytes).</summary>
    public static byte[]? PrefixEnd(byte[] prefix)
    {
        var end = (byte[])prefix.Clone();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xFF)
            {
                end[i]++;
                return end[..(i + 1)];
            }
        }

        return null;
    }

    private static int CodePointRank(char c) => c switch
    {
        >= '\uE000' => c - 0x800,
        >= '\uD800' => c + 0x2000,
        _ => c,
    };
}