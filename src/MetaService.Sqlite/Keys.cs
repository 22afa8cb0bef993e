using System.Text;

namespace MetaService.Sqlite;

/// <summary>Keys are stored as UTF-8 BLOBs so that SQLite orders them byte-wise, as etcd does.</summary>
internal static class Keys
{
    public static byte[] Encode(string key) => Encoding.UTF8.GetBytes(key);

    public static string Decode(byte[] key) => Encoding.UTF8.GetString(key);

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
}