using MetaService.Core.Aliases;
using MetaService.Core.Catalog;
using MetaService.Core.Publishing;
using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Functions;

/// <summary>
/// The keys each function write touches, as the original touches them: the version record, its status record when a
/// version is made, the platform's keys, and on delete every table the original clears.
/// </summary>
internal static class FunctionWrites
{
    /// <summary>The record of <paramref name="record"/> and its platform keys (create, update, publish).</summary>
    public static IEnumerable<WriteOp> Put(FunctionRecord record, MetaOptions options) =>
        PlatformValues.Puts(record, options).Prepend(new WriteOp.Put(Key(record), FunctionEntry.Encode(record)));

    /// <summary>The status record the original writes when a version is made (create, publish).</summary>
    public static WriteOp PutStatus(FunctionRecord record) =>
        new WriteOp.Put(PlatformKeys.Status(TenantOf(record), record.Name, record.Version), RecordFormat.EncodeStatus());

    /// <summary>The length of the value <paramref name="writes"/> put at <paramref name="key"/> (0 when none does).</summary>
    public static int StoredSize(IReadOnlyList<WriteOp> writes, string key)
    {
        foreach (var write in writes)
        {
            if (write is WriteOp.Put put && put.Key == key)
            {
                return put.Value.Length;
            }
        }

        return 0;
    }

    public static string Key(FunctionRecord record) => PlatformKeys.Record(TenantOf(record), record.Name, record.Version);

    /// <summary>Every key of a function: its records and statuses, the platform's keys in every cluster, the original's
    /// tables below its name, and MetaService's own keys of it.</summary>
    public static IEnumerable<WriteOp> DeleteAll(Tenant tenant, string name, MetaOptions options)
    {
        yield return new WriteOp.DeletePrefix(PlatformKeys.FunctionRecords(tenant, name));
        yield return new WriteOp.DeletePrefix(PlatformKeys.FunctionStatuses(tenant, name));
        yield return new WriteOp.DeletePrefix(PlatformKeys.PublishedVersions("/sn/functions", tenant, name));
        yield return new WriteOp.DeletePrefix(PlatformKeys.PublishedVersions("/yr/functions", tenant, name));
        foreach (var cluster in options.AllClusters())
        {
            yield return new WriteOp.DeletePrefix(PlatformKeys.InstanceVersions(cluster, tenant, name));
        }

        foreach (var table in PlatformKeys.FunctionTables(tenant, name))
        {
            yield return new WriteOp.DeletePrefix(table);
        }

        yield return new WriteOp.DeletePrefix(PlatformKeys.ReserveLabelGuards(tenant, name));
        yield return new WriteOp.DeletePrefix(PlatformKeys.LegacyReserveLabelGuards(tenant, name));
        yield return new WriteOp.DeletePrefix(PlatformKeys.Aliases(tenant, name));
        foreach (var own in AliasKeys.DeleteOwn(tenant, name))
        {
            yield return own;
        }

        yield return new WriteOp.DeletePrefix(PlatformKeys.Triggers(tenant, name));
        yield return new WriteOp.Delete(PlatformKeys.FunctionChain(tenant, name));
    }

    /// <summary>Every key of one published version. A version whose record cannot be read may be of either kind, so
    /// both of its possible platform keys go.</summary>
    public static IEnumerable<WriteOp> DeleteVersion(Tenant tenant, string name, StoredVersion version, MetaOptions options)
    {
        yield return new WriteOp.Delete(version.Key);
        yield return new WriteOp.Delete(PlatformKeys.Status(tenant, name, version.Version));
        var kinds = version.Record is { } record ? [record.Kind] : new[] { FunctionKinds.Faas, "" };
        foreach (var kind in kinds)
        {
            yield return new WriteOp.Delete(PlatformKeys.Published(kind, tenant, name, version.Version));
        }

        foreach (var cluster in options.AllClusters())
        {
            var instance = PlatformKeys.Instance(cluster, tenant, name, version.Version);
            yield return new WriteOp.Delete(instance);

            // Reserved-instance labels live below the version's instance key.
            yield return new WriteOp.DeletePrefix(instance + "/");
        }

        foreach (var table in PlatformKeys.VersionTables(tenant, name, version.Version))
        {
            yield return new WriteOp.DeletePrefix(table);
        }

        yield return new WriteOp.Delete(PlatformKeys.ReserveLabelGuard(tenant, name, version.Version));
    }

    private static Tenant TenantOf(FunctionRecord record) => new(record.TenantId, record.ProductId);
}

/// <summary>One stored version of a function: its key, mod revision and version (from the key), and its record, or
/// null when the record cannot be read.</summary>
public readonly record struct StoredVersion(string Key, long ModRevision, string Version, FunctionRecord? Record)
{
    public bool IsDraft => FunctionKinds.IsDraftVersion(Version);
}