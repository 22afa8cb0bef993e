using System.Runtime.InteropServices;

using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite.Backup;

/// <summary>What a store file holds: its revision, the newest revision its change log has compacted away, and its keys.</summary>
public sealed record SqliteStoreInfo(long Revision, long Compacted, long Keys);

/// <summary>An operator's command that would lose or corrupt data, refused; the message says why and how to go on.</summary>
public sealed class MaintenanceRefusedException(string message) : Exception(message);

/// <summary>File-level helpers of backup and restore: unpooled connections (closing one really closes the file), the
/// check that no server has the store open, and fsync of files and directories (a rename is durable only once its
/// directory is).</summary>
internal static class StoreFile
{
    public const string FileName = "meta.db";

    /// <summary>O_RDONLY, which opens a directory too (O_DIRECTORY differs between architectures and is not needed).</summary>
    private const int OpenReadOnly = 0;

    /// <summary>A connection of its own to <paramref name="path"/>: not pooled, so disposing it releases the file and its
    /// locks; a short busy timeout, since the only contention maintenance expects is a server it must refuse to share with.</summary>
    public static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = 2,
        }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Opens <paramref name="path"/> with an exclusive lock that it keeps until disposed, or returns null when another
    /// connection has the file open. Every connection to a WAL database keeps a shared lock on it for as long as it is
    /// open (SQLite holds it so that nobody can leave WAL mode under it), so a running server, in this process or
    /// another, makes the exclusive lock fail.
    /// </summary>
    public static SqliteConnection? TryLockExclusive(string path)
    {
        var connection = Open(path, SqliteOpenMode.ReadWrite);
        try
        {
            // In WAL mode BEGIN EXCLUSIVE takes only the WAL's write lock; it is the first read in exclusive locking mode
            // that takes the file's exclusive lock (SQLite then keeps the WAL index in its own memory).
            // One statement per command: sent as one batch, the attempt did not fail while a store had the file open.
            Execute(connection, "PRAGMA locking_mode=EXCLUSIVE");
            Scalar<long>(connection, "SELECT count(*) FROM sqlite_master");
            Execute(connection, "BEGIN EXCLUSIVE");
            Execute(connection, "COMMIT");
            return connection;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            // SQLITE_BUSY, SQLITE_LOCKED: somebody has it.
            connection.Dispose();
            return null;
        }
    }

    /// <summary>The revision, compaction mark and key count of a store file, checking first that it is one (SQLite's
    /// integrity check and the store's tables).</summary>
    public static SqliteStoreInfo Inspect(SqliteConnection connection, string what)
    {
        var integrity = Scalar<string>(connection, "PRAGMA integrity_check");
        if (integrity != "ok")
        {
            throw new MaintenanceRefusedException($"{what} is damaged (SQLite integrity check: {integrity})");
        }

        var tables = Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('kv', 'log', 'meta')");
        if (tables != 3)
        {
            throw new MaintenanceRefusedException($"{what} is an SQLite file but not a MetaService store (it lacks the kv, log and meta tables)");
        }

        return new SqliteStoreInfo(
            Scalar<long>(connection, "SELECT value FROM meta WHERE name = 'revision'"),
            Scalar<long>(connection, "SELECT value FROM meta WHERE name = 'compacted'"),
            Scalar<long>(connection, "SELECT count(*) FROM kv"));
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }

    /// <summary>Deletes <paramref name="path"/> and the WAL and shared-memory files SQLite may keep beside it.</summary>
    public static void DeleteWithCompanions(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Flushes the file's data and metadata to the disk.</summary>
    public static void SyncFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Flushes a directory, so that a file created or renamed in it stays after a power loss. .NET opens no
    /// directory handle, hence libc; on other systems than Linux and macOS it does nothing.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = OpenPath(directory, OpenReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open the directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"cannot flush the directory {directory} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>open(2); the marshaller passes the path as UTF-8 with its terminating zero.</summary>
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}