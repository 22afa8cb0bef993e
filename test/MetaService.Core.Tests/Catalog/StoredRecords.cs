using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Tests.Catalog;

/// <summary>Function records put straight into a store (as another writer, or the original, would), for the catalog to
/// load or follow.</summary>
internal static class StoredRecords
{
    /// <summary>A valid record of <paramref name="name"/> at <paramref name="version"/> with <paramref name="description"/>.</summary>
    public static FunctionRecord Record(Tenant tenant, string name, string version, string description = "") =>
        FunctionRules.BuildDraft(new FunctionRequest { Name = name, Runtime = "python3.9", Cpu = 300, Memory = 128, Description = description }, tenant, new MetaOptions(), TimeProvider.System).Value! with
        { Version = version };

    /// <summary>Puts the record of <paramref name="name"/> at <paramref name="version"/>; returns the revision.</summary>
    public static Task<long> PutAsync(IMetaStore store, Tenant tenant, string name, string version, string description = "") =>
        PutAsync(store, PlatformKeys.Record(tenant, name, version), RecordFormat.Encode(Record(tenant, name, version, description)));

    public static async Task<long> PutAsync(IMetaStore store, string key, byte[] value) =>
        (await store.TxnAsync([], [new WriteOp.Put(key, value)], Xunit.TestContext.Current.CancellationToken)).Revision;

    public static async Task<long> DeleteAsync(IMetaStore store, string key) =>
        (await store.TxnAsync([], [new WriteOp.Delete(key)], Xunit.TestContext.Current.CancellationToken)).Revision;
}