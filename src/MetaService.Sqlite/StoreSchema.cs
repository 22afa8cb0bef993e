using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>
/// The store file's tables. Each value is written once, in the change log: a key's row in <c>kv</c> holds its etcd
/// bookkeeping and the id of the <c>log</c> row that holds its current value. A put therefore writes its value once
/// (the log row) and a small <c>kv</c> row; watches read the same log rows. Compaction drops log rows older than the
/// retained history unless a key's row still points at them or an appended row keeps them (<see cref="AppendWrites"/>);
/// a value kept that way is dropped when its key is next written or deleted, or when the appended row goes.
/// </summary>
/// <remarks>
/// <c>kv</c> is a <c>WITHOUT ROWID</c> table: its rows are a key and four integers, so a keys-only range reads one
/// b-tree in key order. <c>log</c> is a rowid table, and a point read of a value is one descent by id. Log ids grow with
/// the writes, so within a revision they give the order of its changes. A new file has pages of <see cref="PageSize"/>.
/// </remarks>
internal static class StoreSchema
{
    /// <summary>The page size of a new file: 8 KB, where SQLite's default is 4 KB. A function record is about 2.4 KB, so a
    /// 4 KB page of the log holds one and leaves 40 % of it unused, and every update writes a whole page for it to the
    /// WAL; an 8 KB page holds three. Measured in session 22 (`bench/README.md`): 6–20 % more durable updates, and a
    /// lower p99, than with 4 KB; 16 KB pages wrote more for no more updates. A file made with another
    /// page size keeps it (a WAL file's page size cannot change).</summary>
    public const int PageSize = 8192;

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS kv(key BLOB PRIMARY KEY, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, version INTEGER NOT NULL, log_id INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS log(id INTEGER PRIMARY KEY, rev INTEGER NOT NULL, key BLOB NOT NULL, value BLOB, create_rev INTEGER NOT NULL, version INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS log_rev ON log(rev);
        CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT OR IGNORE INTO meta(name, value) VALUES ('revision', 0), ('compacted', 0);
        CREATE TABLE IF NOT EXISTS appended(id INTEGER PRIMARY KEY, rev INTEGER NOT NULL, time INTEGER NOT NULL, key BLOB NOT NULL, grp BLOB NOT NULL, value BLOB NOT NULL, before_log INTEGER, after_log INTEGER);
        CREATE TABLE IF NOT EXISTS appended_keys(key BLOB NOT NULL, id INTEGER NOT NULL, rev INTEGER NOT NULL, PRIMARY KEY(key, id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS appended_groups(grp BLOB NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(grp, id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS appended_refs(log_id INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(log_id, id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS appended_keys_1(key BLOB NOT NULL, id INTEGER NOT NULL, rev INTEGER NOT NULL, PRIMARY KEY(key, id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS appended_groups_1(grp BLOB NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(grp, id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS appended_refs_1(log_id INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(log_id, id)) WITHOUT ROWID;
        INSERT OR IGNORE INTO meta(name, value) VALUES ('appended_indexed', 0), ('appended_generation', 0), ('appended_swapped', 0), ('appended_moved', 0), ('appended_moved_rows', 0);
        """;

    /// <summary>Creates the tables of a new file, or brings a file of the earlier layout (values held in <c>kv</c>
    /// and again in <c>log</c>) to this one.</summary>
    public static void Prepare(SqliteConnection connection)
    {
        // The page size first: it takes effect only while the file is still empty, before WAL mode writes its header.
        Execute(connection, $"PRAGMA page_size={PageSize}; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        MigrateEarlierLayout(connection);
    }

    /// <summary>Brings a file of an earlier layout to this one: values held in <c>kv</c>, or no append log yet.</summary>
    public static void MigrateEarlierLayout(SqliteConnection connection)
    {
        if (IsEarlierLayout(connection))
        {
            Migrate(connection);
            return;
        }

        Execute(connection, Tables);
    }

    /// <summary>Drops the change history (every log row that no key points at and no appended row keeps) and sets the store's revision, which is
    /// then also the compacted one: a watch must start after it.</summary>
    public static void ClearHistory(SqliteConnection connection, long revision)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            DELETE FROM log WHERE NOT EXISTS (SELECT 1 FROM kv WHERE kv.key = log.key AND kv.log_id = log.id) AND NOT {AppendWrites.LogRowKept};
            UPDATE meta SET value = $r WHERE name IN ('revision', 'compacted');
            """;
        command.Parameters.AddWithValue("$r", revision);
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    public static long ReadMeta(SqliteConnection connection, string name, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE name = $n";
        command.Parameters.AddWithValue("$n", name);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Whether the file has the earlier layout, each value held in its <c>kv</c> row.</summary>
    public static bool IsEarlierLayout(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM pragma_table_info('kv') WHERE name = 'value'";
        return (long)command.ExecuteScalar()! > 0;
    }

    /// <summary>
    /// In one transaction: each key's value becomes a log row of its mod revision, and the earlier history is dropped
    /// (the store is compacted at its revision, as etcd's compaction would leave it). Watches are in-process and start
    /// at the revision the server reads when it starts, so none is cut off.
    /// </summary>
    private static void Migrate(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            DROP INDEX IF EXISTS kv_keys;
            ALTER TABLE kv RENAME TO kv_earlier;
            ALTER TABLE log RENAME TO log_earlier;
            {Tables}
            INSERT INTO log(rev, key, value, create_rev, version) SELECT mod_rev, key, value, create_rev, version FROM kv_earlier ORDER BY mod_rev, key;
            INSERT INTO kv(key, create_rev, mod_rev, version, log_id) SELECT key, create_rev, rev, version, id FROM log;
            DROP TABLE kv_earlier;
            DROP TABLE log_earlier;
            UPDATE meta SET value = (SELECT value FROM meta WHERE name = 'revision') WHERE name = 'compacted';
            """;
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}