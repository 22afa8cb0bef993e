using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Catalog;

/// <summary>
/// One stored function version as the catalog holds it: its key and mod revision. The key's tenant prefix
/// (<c>/repo/FunctionVersion/yrk/{tenant}/</c>) is one string shared by the tenant's entries, and the product, name and
/// version are read from the rest of the key when asked, so an entry holds one short string of its own (~150 bytes an
/// entry at a million). The record itself stays in the store. An entry never changes: a new mod revision is a new entry.
/// </summary>
public sealed class FunctionEntry
{
    private readonly string _tenantPrefix;

    // The key after the tenant prefix: {product}/{name}/{version}/.
    private readonly string _rest;

    // Where the name and the version begin in _rest; each part ends one character before the next begins.
    private readonly ushort _name;
    private readonly ushort _version;

    private FunctionEntry(string tenantPrefix, string rest, long modRevision, int name, int version)
    {
        _tenantPrefix = tenantPrefix;
        _rest = rest;
        ModRevision = modRevision;
        _name = (ushort)name;
        _version = (ushort)version;
    }

    /// <summary>The record's key (made when asked: compare with <see cref="KeyIs"/>).</summary>
    public string Key => string.Concat(_tenantPrefix, _rest);

    public long ModRevision { get; }

    /// <summary>The key after the tenant prefix: within a tenant, ordinal order of this is key order.</summary>
    internal string Rest => _rest;

    public string Product => _rest[..(_name - 1)];

    public string Name => _rest[_name..(_version - 1)];

    public string Version => _rest[_version..^1];

    /// <summary>Whether the version is a draft (<c>latest</c> or <c>$latest</c>), without making a string of it.</summary>
    public bool IsDraft => VersionIs(FunctionKinds.DraftFaas) || VersionIs(FunctionKinds.DraftOther);

    /// <summary>Whether the key is <paramref name="key"/>, without making a string of it.</summary>
    public bool KeyIs(string key) =>
        key.Length == _tenantPrefix.Length + _rest.Length && key.StartsWith(_tenantPrefix, StringComparison.Ordinal)
        && key.AsSpan(_tenantPrefix.Length).SequenceEqual(_rest);

    /// <summary>Whether <paramref name="other"/> is stored at the same key.</summary>
    public bool SameKeyAs(FunctionEntry other) => _rest == other._rest && _tenantPrefix == other._tenantPrefix;

    /// <summary>The ordinal order of two entries' keys, without making the keys (entries of one tenant share its prefix).</summary>
    public static int CompareKeys(FunctionEntry a, FunctionEntry b)
    {
        var prefixes = string.CompareOrdinal(a._tenantPrefix, b._tenantPrefix);
        if (prefixes == 0)
        {
            return string.CompareOrdinal(a._rest, b._rest);
        }

        return string.CompareOrdinal(a.Key, b.Key);
    }

    /// <summary>Whether the version is <paramref name="version"/>, without making a string of it.</summary>
    public bool VersionIs(string version) => _rest.AsSpan(_version, _rest.Length - 1 - _version).SequenceEqual(version);

    /// <summary>The stored form of <paramref name="record"/> (<see cref="RecordFormat"/>).</summary>
    public static byte[] Encode(FunctionRecord record) => RecordFormat.Encode(record);

    public static FunctionRecord Decode(string key, byte[] value) => RecordFormat.Decode(key, value);

    /// <summary>The tenant prefix of a record key <c>/repo/FunctionVersion/yrk/{tenant}/{product}/{name}/{version}/</c>
    /// (its length in <paramref name="length"/>); false for any other key.</summary>
    public static bool TryTenantPrefix(string key, out int length)
    {
        length = 0;
        if (!key.StartsWith(PlatformKeys.RecordRoot, StringComparison.Ordinal) || key.Length < 2 || key[^1] != '/' || key.Length > ushort.MaxValue)
        {
            return false;
        }

        var versionAt = key.LastIndexOf('/', key.Length - 2);
        var nameAt = versionAt > 0 ? key.LastIndexOf('/', versionAt - 1) : -1;
        var productAt = nameAt > 0 ? key.LastIndexOf('/', nameAt - 1) : -1;
        length = productAt + 1;
        return productAt >= PlatformKeys.RecordRoot.Length;
    }

    /// <summary>An entry for a record key whose tenant prefix <see cref="TryTenantPrefix"/> found; the prefix given is
    /// that tenant's shared string.</summary>
    public static FunctionEntry Create(string tenantPrefix, string key, long modRevision)
    {
        var rest = key[tenantPrefix.Length..];
        var versionAt = rest.LastIndexOf('/', rest.Length - 2);
        var nameAt = rest.LastIndexOf('/', versionAt - 1);
        return new FunctionEntry(tenantPrefix, rest, modRevision, nameAt + 1, versionAt + 1);
    }

    /// <summary>The product and name of a record key whose tenant prefix is <paramref name="prefixLength"/> long.</summary>
    public static (string Product, string Name) FunctionOf(string key, int prefixLength)
    {
        var versionAt = key.LastIndexOf('/', key.Length - 2);
        var nameAt = key.LastIndexOf('/', versionAt - 1);
        return (key[prefixLength..nameAt], key[(nameAt + 1)..versionAt]);
    }
}

/// <summary>A function record with the key and mod revision it is stored at.</summary>
public readonly record struct StoredRecord(string Key, long ModRevision, FunctionRecord Record);