using System.Runtime.InteropServices;
using System.Text;

using Google.Protobuf;

using MetaService.Core.Storage;

namespace MetaService.Etcd;

/// <summary>Maps the store's keys to etcd keys: <c>/&lt;azPrefix&gt;</c> + key on the way in, stripped on the way out.</summary>
internal sealed class EtcdKeys
{
    private readonly byte[] _prefix;

    public EtcdKeys(string? keyPrefix) =>
        _prefix = string.IsNullOrEmpty(keyPrefix?.Trim('/')) ? [] : Encoding.UTF8.GetBytes("/" + keyPrefix.Trim('/'));

    public ByteString Key(string key) => UnsafeByteOperations.UnsafeWrap(Encode(key, extra: 0));

    /// <summary>The etcd key after <paramref name="key"/>: <paramref name="key"/> followed by a zero byte.</summary>
    public ByteString After(string key) => UnsafeByteOperations.UnsafeWrap(Encode(key, extra: 1));

    /// <summary>The range end of every key that starts with <paramref name="prefix"/> (etcd's <c>range_end</c>).</summary>
    public ByteString PrefixEnd(string prefix) =>
        KeyOrder.PrefixEnd(Encode(prefix, extra: 0)) is { } end ? UnsafeByteOperations.UnsafeWrap(end) : ByteString.CopyFrom(0);

    public string Strip(ByteString key)
    {
        var bytes = key.Span;
        return Encoding.UTF8.GetString(bytes.StartsWith(_prefix) ? bytes[_prefix.Length..] : bytes);
    }

    /// <summary>The store's view of an etcd key-value. The value is the message's own array when it has one to itself
    /// (as parsed messages do): neither is ever written to, so there is no need to copy it.</summary>
    public KeyValue ToKeyValue(Mvccpb.KeyValue kv) =>
        new(Strip(kv.Key), Bytes(kv.Value), kv.CreateRevision, kv.ModRevision, kv.Version);

    private static byte[] Bytes(ByteString value) =>
        MemoryMarshal.TryGetArray(value.Memory, out var whole) && whole.Offset == 0 && whole.Count == whole.Array!.Length
            ? whole.Array
            : value.ToByteArray();

    /// <summary>The UTF-8 of the key prefix and <paramref name="key"/>, with <paramref name="extra"/> zero bytes after.</summary>
    private byte[] Encode(string key, int extra)
    {
        var bytes = new byte[_prefix.Length + Encoding.UTF8.GetByteCount(key) + extra];
        _prefix.CopyTo(bytes, 0);
        Encoding.UTF8.GetBytes(key, bytes.AsSpan(_prefix.Length));
        return bytes;
    }
}