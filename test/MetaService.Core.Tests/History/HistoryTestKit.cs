using MetaService.Core.History;
using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Tests.History;

/// <summary>What the history tests share: records to write, and writes applied to the store as a service applies them
/// (the entry's puts in the write's own transaction).</summary>
internal static class HistoryTestKit
{
    public static readonly DateTimeOffset Start = new(2026, 5, 9, 2, 25, 49, 477, TimeSpan.Zero);

    public static readonly Tenant Alice = new("alice", "shop");

    public static FunctionRecord Record(string name, string version = FunctionKinds.DraftOther, string revisionId = "20260509022549477", Tenant? tenant = null) => new()
    {
        TenantId = (tenant ?? Alice).TenantId,
        ProductId = (tenant ?? Alice).ProductId,
        Name = name,
        Version = version,
        Runtime = "python3.9",
        Handler = "h.handler",
        Cpu = 300,
        Memory = 128,
        RevisionId = revisionId,
        CreateTime = "2026-05-09 02:25:49.477 UTC",
        PublishTime = "2026-05-09 02:25:49.477 UTC",
        Environment = new() { ["TOKEN"] = "s3cr3t" },
    };

    /// <summary>Applies the entry of <paramref name="write"/> (with the record itself, as a write does) in one transaction;
    /// returns its revision.</summary>
    public static async Task<long> WriteAsync(IMetaStore store, HistoryLog log, Tenant tenant, HistoryWrite write, CancellationToken cancellationToken)
    {
        var writes = (await log.WritesAsync(store, tenant, write, cancellationToken)).ToList();
        if (write.After is { } after)
        {
            writes.Add(new WriteOp.Put(PlatformKeys.Record(tenant, after.Name, after.Version), RecordFormat.Encode(after)));
        }

        var result = await store.TxnAsync([], writes, cancellationToken);
        return result.Revision;
    }

    /// <summary>Every key under <paramref name="prefix"/>.</summary>
    public static async Task<List<string>> KeysAsync(IMetaStore store, string prefix, CancellationToken cancellationToken) =>
        [.. (await store.RangeAsync(prefix, 0, null, cancellationToken)).Items.Select(kv => kv.Key)];
}