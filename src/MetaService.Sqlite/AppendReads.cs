using MetaService.Core.Storage;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// The embedded store's append log, read side (<see cref="AppendWrites"/> writes it): a page newest first is the rows
/// of the key (or group) index below the position (both generations, skipping index rows of forgotten rows:
/// <see cref="AppendIndexes"/>), merged with the rows appended since the last indexing (at most
/// <see cref="AppendWrites.IndexEvery"/>), in one statement so both are read in one snapshot. Each row comes with the
/// values it keeps, joined from the change log. Trimming finds the rows to go here and has the writer forget them, a
/// batch at a time, apart from other writes.
/// </summary>
internal sealed class AppendReads(StoreReads reads, StoreWriter writer) : IAppendLog
{
    /// <summary>How many batches of rows a trim by count gathers, from the keys over the limit, before it forgets them in
    /// id order: the most ids it holds at once.</summary>
    private const int InIdOrder = 64;

    /// <summary>The page cache of a trim's reads by count (<see cref="ReadSnapshot"/>), in KiB: 16 MiB, 2,048 pages of
    /// 8 KB. A trim of 32 keys every 10,000 entries (the H1 suite's store, ~26,000 appended rows, 38 a page) reads about
    /// 1,000 pages of the append log and its indexes, every key's rows interleaved on the same pages. Read statement by
    /// statement, each key read them from the file again: the readers' threads read 75,000 pages from the file over 8 s
    /// of the suite's updates, 2,000 with the trim's reads in one snapshot (bench/README.md, session 45).</summary>
    private const int TrimCacheKiB = 16 * 1024;

    /// <summary>Keys in the order SQLite keeps BLOBs: byte by byte, as etcd's.</summary>
    private static readonly Comparer<byte[]> ByteOrder = Comparer<byte[]>.Create(static (a, b) => a.AsSpan().SequenceCompareTo(b));

    private const string Columns = """
        SELECT h.id, h.rev, h.time, h.key, h.value,
               b.key, b.value, b.create_rev, b.rev, b.version,
               a.key, a.value, a.create_rev, a.rev, a.version
        FROM appended h LEFT JOIN log b ON b.id = h.before_log LEFT JOIN log a ON a.id = h.after_log
        """;

    public async Task<IReadOnlyList<Appended>> ReadAsync(AppendScope scope, string name, long? beforeId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var (column, index) = scope == AppendScope.Key ? ("key", "appended_keys") : ("grp", "appended_groups");
        await using var connection = await reads.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            {Columns}
            WHERE h.id IN (
                SELECT id FROM appended WHERE id > (SELECT value FROM meta WHERE name = 'appended_indexed') AND id < $before AND {column} = $name
                UNION ALL
                {AppendIndexes.Rows(index, "id", $"{column} = $name AND id < $before", "ORDER BY id DESC LIMIT $limit")})
            ORDER BY h.id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$name", Keys.Encode(name));
        command.Parameters.AddWithValue("$before", beforeId ?? long.MaxValue);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<Appended?> ReadAtAsync(string key, long revision, CancellationToken cancellationToken = default)
    {
        await using var connection = await reads.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            {Columns}
            WHERE h.id IN (
                {AppendIndexes.Rows("appended_keys", "id", "key = $key AND rev = $rev")}
                UNION ALL
                SELECT id FROM appended WHERE id > (SELECT value FROM meta WHERE name = 'appended_indexed') AND key = $key AND rev = $rev)
            ORDER BY h.id LIMIT 1
            """;
        command.Parameters.AddWithValue("$rev", revision);
        command.Parameters.AddWithValue("$key", Keys.Encode(key));
        var found = await ReadAllAsync(command, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<int> TrimAsync(int keepPerKey, DateTimeOffset appendedBefore, int batch, long keysAppendedAfter, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keepPerKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(keysAppendedAfter);

        // Every row indexed first, so that each key's count is whole.
        await ForgetAsync([], cancellationToken);
        var forgotten = 0;
        var due = new List<long>();
        byte[]? after = [];
        while (after is not null)
        {
            var page = await TrimPageAsync(keepPerKey, after, keysAppendedAfter, batch, due, cancellationToken);
            forgotten += page.Forgotten;
            after = page.Next;
        }

        forgotten += await ForgetInIdOrderAsync(due, batch, cancellationToken);

        var cutoff = appendedBefore.ToUnixTimeMilliseconds();
        while (true)
        {
            var old = await OldestAsync(cutoff, batch, cancellationToken);
            if (old.Count == 0)
            {
                return forgotten;
            }

            forgotten += await ForgetAsync(old, cancellationToken);
        }
    }

    /// <summary>Gathers into <paramref name="due"/> the rows past the newest <paramref name="keep"/> of one page of the
    /// keys over that limit after <paramref name="after"/>, and has them forgotten in id order whenever
    /// <see cref="InIdOrder"/> batches of them are gathered; returns the page's last key (null after the last page) and
    /// how many rows went. The page's reads share one snapshot and its page cache (<see cref="ReadSnapshot"/>), which ends
    /// before the writer forgets (the next key's rows are read in a new one): none outlives the reads of one page.</summary>
    private async Task<(byte[]? Next, int Forgotten)> TrimPageAsync(int keep, byte[] after, long appendedAfter, int batch, List<long> due, CancellationToken cancellationToken)
    {
        var forgotten = 0;
        ReadSnapshot? snapshot = await ReadSnapshot.OpenAsync(reads, TrimCacheKiB, cancellationToken);
        try
        {
            var (keys, more) = await OverLimitAsync(snapshot, keep, after, appendedAfter, batch, cancellationToken);
            foreach (var key in keys)
            {
                due.AddRange(await PastNewestAsync(snapshot, key, keep, cancellationToken));
                if (due.Count >= batch * InIdOrder)
                {
                    await snapshot.DisposeAsync();
                    snapshot = null;
                    forgotten += await ForgetInIdOrderAsync(due, batch, cancellationToken);
                    snapshot = await ReadSnapshot.OpenAsync(reads, TrimCacheKiB, cancellationToken);
                }
            }

            return (more ? keys[^1] : null, forgotten);
        }
        finally
        {
            if (snapshot is not null)
            {
                await snapshot.DisposeAsync();
            }
        }
    }

    public async Task<long> NewestIdAsync(CancellationToken cancellationToken = default)
    {
        // As the writer takes the next id: never below the indexed ids, though trimming may have removed the newest rows.
        await using var connection = await reads.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT max((SELECT coalesce(max(id), 0) FROM appended), (SELECT value FROM meta WHERE name = 'appended_indexed'))";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Keys with more than <paramref name="keep"/> rows after <paramref name="after"/> (of those with a row above
    /// <paramref name="appendedAfter"/> when it is not 0), at most <paramref name="limit"/>, and whether there may be
    /// more. Each generation's rows are counted key by key in key order, a stream each (the index's own order: no sort),
    /// merged here, and the pass stops at the last key it needs; one statement over both would sort every key after
    /// <paramref name="after"/> at every call.</summary>
    private static async Task<(List<byte[]> Keys, bool More)> OverLimitAsync(ReadSnapshot snapshot, int keep, byte[] after, long appendedAfter, int limit, CancellationToken cancellationToken)
    {
        // Both counts in one snapshot: a turn of the generations between them would count moved rows twice or not at all.
        var appended = appendedAfter > 0 ? "AND key IN (SELECT key FROM appended WHERE id > $since)" : "";
        var generations = AppendIndexes.Generations;
        var commands = new List<SqliteCommand>();
        var readers = new List<SqliteDataReader>();
        var heads = new (byte[] Key, long Rows)?[generations.Count];
        try
        {
            foreach (var g in generations)
            {
                var command = snapshot.Command($"SELECT key, count(*) FROM {AppendIndexes.Table("appended_keys", g)} i WHERE key > $after {appended} AND {AppendIndexes.Live("i", g)} GROUP BY key ORDER BY key");
                commands.Add(command);
                command.Parameters.AddWithValue("$after", after);
                command.Parameters.AddWithValue("$since", appendedAfter);
                readers.Add(await command.ExecuteReaderAsync(cancellationToken));
                heads[g] = Next(readers[g]);
            }

            var keys = new List<byte[]>();
            while (keys.Count < limit && heads.Any(head => head is not null))
            {
                var key = heads.OfType<(byte[] Key, long Rows)>().Select(head => head.Key).Min(ByteOrder)!;
                var rows = 0L;
                foreach (var g in generations)
                {
                    if (heads[g] is { } head && head.Key.AsSpan().SequenceEqual(key))
                    {
                        rows += head.Rows;
                        heads[g] = Next(readers[g]);
                    }
                }

                if (rows > keep)
                {
                    keys.Add(key);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            return (keys, keys.Count == limit);
        }
        finally
        {
            readers.ForEach(reader => reader.Dispose());
            commands.ForEach(command => command.Dispose());
        }

        static (byte[] Key, long Rows)? Next(SqliteDataReader reader) => reader.Read() ? ((byte[])reader[0], reader.GetInt64(1)) : null;
    }

    private static async Task<List<long>> PastNewestAsync(ReadSnapshot snapshot, byte[] key, int keep, CancellationToken cancellationToken)
    {
        await using var command = snapshot.Command($"SELECT id FROM ({AppendIndexes.Rows("appended_keys", "id", "key = $a")}) ORDER BY id DESC LIMIT -1 OFFSET $b");
        return await IdsAsync(command, key, keep, cancellationToken);
    }

    /// <summary>The oldest rows appended before <paramref name="cutoff"/> (UTC milliseconds), at most
    /// <paramref name="limit"/>: rows are appended in time order, give or take a clock's step.</summary>
    private async Task<List<long>> OldestAsync(long cutoff, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await reads.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM (SELECT id, time FROM appended ORDER BY id LIMIT $a) WHERE time < $b";
        return await IdsAsync(command, limit, cutoff, cancellationToken);
    }

    /// <summary>Forgets <paramref name="ids"/> (the rows of many keys) in id order, <paramref name="batch"/> at a time, and
    /// empties the list. Rows are appended in id order with the keys interleaved, so one key's rows lie one to a page:
    /// forgotten key by key, each page of <c>appended</c> (and of the group index) was written again for every key it
    /// holds, about one page per row forgotten (measured in session 37, bench/README.md). In id order, each page is
    /// written once.</summary>
    private async Task<int> ForgetInIdOrderAsync(List<long> ids, int batch, CancellationToken cancellationToken)
    {
        ids.Sort();
        var forgotten = 0;
        foreach (var chunk in ids.Chunk(batch))
        {
            forgotten += await ForgetAsync(chunk, cancellationToken);
        }

        ids.Clear();
        return forgotten;
    }

    /// <summary>Has the writer index what waits and forget <paramref name="ids"/>, a batch apart from other writes.</summary>
    private async Task<int> ForgetAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await writer.EnqueueAsync([], [new AppendUpkeep(ids)], cancellationToken);
        return ids.Count;
    }

    /// <summary>The ids <paramref name="command"/> reads with its parameters <c>$a</c> and <c>$b</c>.</summary>
    private static async Task<List<long>> IdsAsync(SqliteCommand command, object a, object b, CancellationToken cancellationToken)
    {
        command.Parameters.AddWithValue("$a", a);
        command.Parameters.AddWithValue("$b", b);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static async Task<List<Appended>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var found = new List<Appended>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (reader.Read())
        {
            found.Add(new Appended(
                reader.GetInt64(0),
                reader.GetInt64(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                Keys.Decode((byte[])reader[3]),
                (byte[])reader[4],
                Kept(reader, 5),
                Kept(reader, 10)));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return found;
    }

    /// <summary>A kept value's columns from <paramref name="first"/> on: key, value, create_rev, rev, version (null when
    /// the row names none).</summary>
    private static KeyValue? Kept(SqliteDataReader reader, int first) => reader.IsDBNull(first) ? null : StoreReads.ReadKv(reader, first);
}