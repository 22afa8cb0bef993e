using System.Text;

using MetaService.Core.Storage;

namespace MetaService.Sqlite;

/// <summary>Keys are stored as UTF-8 BLOBs so that SQLite orders them byte-wise, as etcd does.</summary>
internal static class Keys
{
    public static byte[] Encode(string key) => Encoding.UTF8.GetBytes(key);

    public static string Decode(byte[] key) => Encoding.UTF8.GetString(key);

    /// <inheritdoc cref="KeyOrder.PrefixEnd(byte[])"/>
    public static byte[]? PrefixEnd(byte[] prefix) => KeyOrder.PrefixEnd(prefix);
}