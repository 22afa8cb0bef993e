using System.Text.Json;

using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.History;

/// <summary>
/// Makes the history entry of a write: the writes that join the write's own transaction, so an entry exists exactly when
/// its write does. On a store with an append log (the embedded store) one append of the entry's metadata; elsewhere the
/// entry at two keys and the record after the write at a third (<see cref="HistoryKeys"/>). The caller's principal, address and trace id come from
/// <paramref name="context"/> (the server's request); without one a write is <c>anonymous</c>.
/// </summary>
public sealed class HistoryLog(HistoryOptions options, TimeProvider clock, Func<WriteContext>? context = null)
{
    public HistoryOptions Options => options;

    /// <summary>The writes of one entry; none when the history is off.</summary>
    public async Task<IReadOnlyList<WriteOp>> WritesAsync(IMetaStore store, Tenant tenant, HistoryWrite write, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var caller = context?.Invoke() ?? WriteContext.None;
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
            Changes = write.Changes ?? [],
        };
        return store.Appends is null
            ? await KeyedAsync(store, tenant, write, entry, now, cancellationToken)
            : [Appended(tenant, write, entry, now)];
    }

    /// <summary>Where the store has an append log: the entry's metadata alone, appended. The record after the write is the
    /// value the same transaction puts (or the record's current one), which the log keeps while the entry exists; the
    /// field changes are made when the entry is read, from that value and the one before the write.</summary>
    private static WriteOp.Append Appended(Tenant tenant, HistoryWrite write, HistoryEntry entry, DateTimeOffset now)
    {
        var derived = write.Changes is null;
        var value = AppendedEntry.Encode(entry, derived);
        var before = derived && write.Before is { } earlier ? FunctionWrites.Key(earlier) : null;
        var after = write.After is { } later ? FunctionWrites.Key(later) : null;
        return new WriteOp.Append(HistoryKeys.Stream(tenant, write.Name), HistoryKeys.TrailStream(tenant), now, value, before, after);
    }

    /// <summary>Elsewhere (etcd): the entry with its changes at the function's key and the trail's, and the record after
    /// the write at a key of its own.</summary>
    private static async Task<IReadOnlyList<WriteOp>> KeyedAsync(IMetaStore store, Tenant tenant, HistoryWrite write, HistoryEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The sequence only has to sort this entry after the function's earlier ones: the store's revision now is at least
        // the revision each of them was written at (a read of it sees every write answered before), and this write's own
        // revision is above it. On etcd one count-only read.
        var sequence = await store.GetRevisionAsync(cancellationToken) + 1;
        var leaf = HistoryKeys.NewLeaf(sequence, now);
        var snapshot = RecordChanges.Encode(write.After);
        if (write.Changes is null)
        {
            entry = entry with { Changes = RecordChanges.Between(RecordChanges.Encode(write.Before), snapshot, []) };
        }

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