using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// Watches' reads of the change-log table, for positions older than what the in-memory feed holds: a page of changes
/// at a time, in revision then write order, never ending inside a revision.
/// </summary>
internal sealed class ChangeLogReads(StoreReads reads)
{
    /// <summary>The most changes one read returns (more when one revision holds more).</summary>
    public const int Page = 10_000;

    private const string Columns = "SELECT key, value, create_rev, rev, version, id FROM log";
    private long _reads;

    /// <summary>How many times a watch read the table.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>The changes under the prefix from <paramref name="from"/> on, at most <see cref="Page"/> of them but
    /// never part of a revision, the revision of the snapshot they were read in, and whether they are every change up
    /// to that revision.</summary>
    public async Task<(List<WatchEvent> Events, long Snapshot, bool Complete)> ReadAsync(byte[] prefix, byte[]? end, long from, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        await using var connection = await reads.OpenAsync(cancellationToken);
        await using var snapshot = connection.BeginTransaction(deferred: true);

        // Checked in the snapshot the log is read in: a compaction committed before it shows here. Rows the compaction
        // kept because a key still points at them are older than the compacted revision, so no read returns them.
        var revision = StoreSchema.ReadMeta(connection, "revision", snapshot);
        var compacted = StoreSchema.ReadMeta(connection, "compacted", snapshot);
        if (from <= compacted)
        {
            throw new RevisionCompactedException(from, compacted);
        }

        await using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        var range = end is null ? string.Empty : " AND key < $end";
        command.CommandText = Columns + " WHERE rev >= $rev AND key >= $from" + range + " ORDER BY rev, id LIMIT " + Page;
        command.Parameters.AddWithValue("$rev", from);
        command.Parameters.AddWithValue("$from", prefix);
        if (end is not null)
        {
            command.Parameters.AddWithValue("$end", end);
        }

        var events = new List<WatchEvent>();
        var lastId = await ReadEventsAsync(command, events, cancellationToken);
        var complete = events.Count < Page;
        if (!complete)
        {
            var last = events[^1].Kv.ModRevision;
            if (events[0].Kv.ModRevision != last)
            {
                // The page may end inside a revision: leave that revision to the next read.
                events.RemoveAll(e => e.Kv.ModRevision == last);
            }
            else
            {
                // One revision fills the page: read the rest of it, so that it is never cut in two.
                command.CommandText = Columns + " WHERE rev = $rev AND id > $id AND key >= $from" + range + " ORDER BY id";
                command.Parameters["$rev"].Value = last;
                command.Parameters.AddWithValue("$id", lastId);
                await ReadEventsAsync(command, events, cancellationToken);
            }
        }

        return (events, revision, complete);
    }

    /// <summary>Appends the log rows the command reads; returns the id of the last.</summary>
    private static async Task<long> ReadEventsAsync(SqliteCommand command, List<WatchEvent> events, CancellationToken cancellationToken)
    {
        long id = -1;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new WatchEvent(reader.IsDBNull(1) ? WatchEventType.Delete : WatchEventType.Put, StoreReads.ReadKv(reader)));
            id = reader.GetInt64(5);
        }

        return id;
    }
}