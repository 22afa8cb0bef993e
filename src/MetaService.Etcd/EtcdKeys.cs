using System.Text;

using Google.Protobuf;

using MetaService.Core.Storage;

namespace MetaService.Etcd;

/// <summary>Maps the store's keys to etcd keys: <c>/&lt;azPrefix&gt;</c> + key on the way in, stripped on the way out.</summary>
internal sealed class EtcdKeys(string? keyPrefix)
{
    private readonly string _prefix = string.IsNullOrEmpty(keyPrefix?.Trim('/')) ? "" : "/" + keyPrefix.Trim('/');

    public ByteString Key(string key) => ByteString.CopyFromUtf8(_prefix + key);

    /// <summary>The etcd key after <paramref name="key"/>: <paramref name="key"/> followed by a zero byte.</summary>
    public ByteString After(string key) => ByteString.CopyFrom([.. Encoding.UTF8.GetBytes(_prefix + key), 0]);

    /// <summary>The range end of every key that starts with <paramref name="prefix"/> (etcd's <c>range_end</c>).</summary>
    public ByteString PrefixEnd(string prefix) =>
        KeyOrder.PrefixEnd(Encoding.UTF8.GetBytes(_prefix + prefix)) is { } end ? ByteString.CopyFrom(end) : ByteString.CopyFrom(0);

    public string Strip(ByteString key)
    {
        var text = key.ToStringUtf8();
        return text.StartsWith(_prefix, StringComparison.Ordinal) ? text[_prefix.Length..] : text;
    }

    public KeyValue ToKeyValue(Mvccpb.KeyValue kv) =>
        new(Strip(kv.Key), kv.Value.ToByteArray(), kv.CreateRevision, kv.ModRevision, kv.Version);
}