using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Catalog;

/// <summary>
/// One stored function version as the catalog holds it: its key, mod revision and names. The record itself stays
/// in the store (100k records would cost ~200 MB here). An entry never changes: a new mod revision is a new entry.
/// </summary>
public sealed class FunctionEntry
{
    private FunctionEntry(string key, long modRevision, string product, string name, string version)
    {
        Key = key;
        ModRevision = modRevision;
        Product = product;
        Name = name;
        Version = version;
    }

    public string Key { get; }

    public long ModRevision { get; }

    public string Product { get; }

    public string Name { get; }

    public string Version { get; }

    /// <summary>The stored form of <paramref name="record"/> (<see cref="RecordFormat"/>).</summary>
    public static byte[] Encode(FunctionRecord record) => RecordFormat.Encode(record);

    public static FunctionRecord Decode(string key, byte[] value) => RecordFormat.Decode(key, value);

    /// <summary>An entry for a record key <c>/repo/FunctionVersion/yrk/{tenant}/{product}/{name}/{version}/</c>, with
    /// the prefix of its tenant; false for any other key.</summary>
    public static bool TryCreate(string key, long modRevision, out FunctionEntry entry, out string tenantPrefix)
    {
        entry = null!;
        tenantPrefix = "";
        if (!key.StartsWith(PlatformKeys.RecordRoot, StringComparison.Ordinal) || key.Length < 2 || key[^1] != '/')
        {
            return false;
        }

        var versionAt = key.LastIndexOf('/', key.Length - 2);
        var nameAt = versionAt > 0 ? key.LastIndexOf('/', versionAt - 1) : -1;
        var productAt = nameAt > 0 ? key.LastIndexOf('/', nameAt - 1) : -1;
        if (productAt < PlatformKeys.RecordRoot.Length)
        {
            return false;
        }

        tenantPrefix = key[..(productAt + 1)];
        entry = new FunctionEntry(key, modRevision, key[(productAt + 1)..nameAt], key[(nameAt + 1)..versionAt], key[(versionAt + 1)..^1]);
        return true;
    }
}
/// <summary>A function record with the key and mod revision it is stored at.</summary>
public readonly record struct StoredRecord(string Key, long ModRevision, FunctionRecord Record);