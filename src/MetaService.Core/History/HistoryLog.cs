using System.Text.Json;

using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.History;

/// <summary>
/// Makes the history entry of a write: the two puts (the function's key, the tenant trail's) that join the write's own
/// transaction, so an entry exists exactly when its write does. The caller's principal, address and trace id come from
/// <paramref name="context"/> (the server's request); without one a write is <c>anonymous</c>.
/// </summary>
public sealed class HistoryLog(HistoryOptions options, TimeProvider clock, Func<WriteContext>? context = null)
{
    public HistoryOptions Options => options;

    /// <summary>The puts of one entry; none when the history is off.</summary>
    public async Task<IReadOnlyList<WriteOp>> WritesAsync(IMetaStore store, Tenant tenant, HistoryWrite write, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return [];
        }

        // The sequence only has to sort this entry after the function's earlier ones: the store's revision now is at least
        // the revision each of them was written at (a read of it sees every write answered before), and this write's own
        // revision is above it. On the embedded store that costs nothing; on etcd one count-only read.
        var sequence = await store.GetRevisionAsync(cancellationToken) + 1;
        var now = clock.GetUtcNow();
        var leaf = HistoryKeys.NewLeaf(sequence, now);
        var caller = context?.Invoke() ?? WriteContext.None;
        var snapshot = RecordChanges.Encode(write.After);
        var entry = new HistoryEntry
        {
            Time = Timestamps.Format(now),
            Operation = write.Operation,
            Name = write.Name,
            Version = write.Version,
            RevisionIdBefore = write.Before?.RevisionId ?? "",
            RevisionIdAfter = write.After?.RevisionId ?? "",
            Actor = new HistoryActor(tenant.TenantId, caller.Principal, caller.RemoteAddress),
            TraceId = caller.TraceId,
            Changes = write.Changes ?? RecordChanges.Between(RecordChanges.Encode(write.Before), snapshot, []),
        };
        var key = HistoryKeys.FunctionPrefix(tenant, write.Name) + leaf;
        var value = JsonSerializer.SerializeToUtf8Bytes(entry, HistoryJson.Default.HistoryEntry);
        List<WriteOp> writes = [new WriteOp.Put(key, value), new WriteOp.Put(HistoryKeys.TrailKey(tenant, now, write.Name, leaf), value)];
        if (snapshot is not null)
        {
            writes.Add(new WriteOp.Put(HistoryKeys.SnapshotKeyOf(key), snapshot));
        }

        return writes;
    }
}

/// <summary>What a write changed: the operation, the function and version, the record before and after (null where none
/// is), and the changes when they are not those between the two records (reserved instances).</summary>
public sealed record HistoryWrite(string Operation, string Name, string Version, FunctionRecord? Before, FunctionRecord? After, List<HistoryChange>? Changes = null);

/// <summary>A service without a history log writes no entries.</summary>
public static class HistoryLogs
{
    public static Task<IReadOnlyList<WriteOp>> WritesOrNoneAsync(this HistoryLog? log, IMetaStore store, Tenant tenant, HistoryWrite write, CancellationToken cancellationToken) =>
        log is null ? Task.FromResult<IReadOnlyList<WriteOp>>([]) : log.WritesAsync(store, tenant, write, cancellationToken);
}