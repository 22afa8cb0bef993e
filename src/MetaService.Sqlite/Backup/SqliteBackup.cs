using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite.Backup;

/// <summary>
/// Online backup and restore of the embedded store's file. A backup is SQLite's backup API run from a connection of
/// its own: it copies every page in one step, inside one read transaction, so it is the store as of one commit of
/// the writer (which batches whole transactions, the revision counter with them) while the server goes on writing.
/// The result is itself a store file (WAL mode, the change log included), written beside its final name, fsynced
/// and renamed into place, so a backup file is either whole or absent.
/// </summary>
public static class SqliteBackup
{
    /// <summary>Copies the store in <paramref name="dataDirectory"/> (served or not) to <paramref name="toFile"/>.</summary>
    public static SqliteStoreInfo Backup(string dataDirectory, string toFile, bool overwrite)
    {
        var source = Path.Combine(Path.GetFullPath(dataDirectory), StoreFile.FileName);
        if (!File.Exists(source))
        {
            throw new MaintenanceRefusedException($"there is no store in {dataDirectory} ({source} does not exist): give the server's --data-dir");
        }

        toFile = Path.GetFullPath(toFile);
        if (File.Exists(toFile) && !overwrite)
        {
            throw new MaintenanceRefusedException($"{toFile} exists: choose another file, or add --force to replace it");
        }

        using (var from = StoreFile.Open(source, SqliteOpenMode.ReadWrite))
        {
            return CopyInto(from, toFile, "the backup");
        }
    }

    /// <summary>
    /// Puts the store of <paramref name="fromFile"/> (a backup) into <paramref name="dataDirectory"/>. Refuses while a
    /// server has that store open, and refuses to replace a store that holds anything unless <paramref name="force"/>.
    /// The restored store keeps the backup's keys and their revisions; when it replaces a store that had got further
    /// (a revision at or past the backup's), its revision is set past the replaced one and its history marked
    /// compacted, so the revision never goes back and no watch replays changes that no longer lead to these keys.
    /// </summary>
    public static SqliteStoreInfo Restore(string fromFile, string dataDirectory, bool force)
    {
        fromFile = Path.GetFullPath(fromFile);
        if (!File.Exists(fromFile))
        {
            throw new MaintenanceRefusedException($"{fromFile} does not exist: give a file made by the backup command");
        }

        var directory = Path.GetFullPath(dataDirectory);
        PrivateFiles.CreateDirectory(directory);
        var target = Path.Combine(directory, StoreFile.FileName);
        using var held = File.Exists(target) ? LockTarget(target) : null;
        var replaced = held is null ? null : StoreFile.Inspect(held, target);
        if (replaced is { Revision: > 0 } && !force)
        {
            throw new MaintenanceRefusedException(
                $"{target} already holds a store at revision {replaced.Revision} ({replaced.Keys} keys): restore into an empty directory, or add --force to replace it");
        }

        var temporary = Path.Combine(directory, $"{StoreFile.FileName}.restore-{Guid.NewGuid():N}");
        SqliteStoreInfo restored;
        try
        {
            // Read-write although only read: a read-only connection to a WAL file leaves -wal and -shm files beside it.
            using (var from = StoreFile.Open(fromFile, SqliteOpenMode.ReadWrite))
            {
                StoreFile.Inspect(from, fromFile);
                restored = CopyInto(from, temporary, "the restored store", past: replaced?.Revision ?? 0);
            }

            if (held is not null)
            {
                // Leaving WAL mode under the lock checkpoints and removes the old file's WAL, which must not outlive
                // it: SQLite would replay it into the restored file.
                StoreFile.Execute(held, "PRAGMA journal_mode=DELETE");
            }

            File.Delete(target + "-wal");
            File.Delete(target + "-shm");
            File.Move(temporary, target, overwrite: true);
            StoreFile.SyncDirectory(directory);
        }
        finally
        {
            StoreFile.DeleteWithCompanions(temporary);
        }

        return restored;
    }

    /// <summary>Whether a server (or another program) has the store in <paramref name="dataDirectory"/> open.</summary>
    public static bool InUse(string dataDirectory)
    {
        var path = Path.Combine(Path.GetFullPath(dataDirectory), StoreFile.FileName);
        if (!File.Exists(path))
        {
            return false;
        }

        using var locked = StoreFile.TryLockExclusive(path);
        return locked is null;
    }

    private static SqliteConnection LockTarget(string target) =>
        StoreFile.TryLockExclusive(target)
            ?? throw new MaintenanceRefusedException($"{target} is open in a running server (or another program): stop it first, then restore");

    /// <summary>Backs <paramref name="from"/> up into <paramref name="file"/> through a temporary file beside it, as a
    /// WAL-mode store, fsynced, then renamed into place. When <paramref name="past"/> is at or beyond the copy's revision,
    /// the copy's revision becomes <paramref name="past"/> + 1 and its history is dropped (see <see cref="Restore"/>).</summary>
    private static SqliteStoreInfo CopyInto(SqliteConnection from, string file, string what, long past = 0)
    {
        var directory = Path.GetDirectoryName(file)!;
        var temporary = Path.Combine(directory, $"{Path.GetFileName(file)}.partial-{Guid.NewGuid():N}");
        try
        {
            SqliteStoreInfo info;
            using (var to = StoreFile.Open(temporary, SqliteOpenMode.ReadWriteCreate))
            {
                // One step (the provider passes -1): all pages under one read transaction of the source, so the copy is
                // one commit's state even while the server writes; WAL readers do not hold the writer up.
                from.BackupDatabase(to);
                info = StoreFile.Inspect(to, what);
                if (past >= info.Revision && past > 0)
                {
                    info = Bump(to, past + 1);
                }

                // The server opens the file in WAL mode with synchronous=FULL anyway; the mode is set here so that the
                // file is that store as it is. Closing the last connection checkpoints and removes the WAL.
                StoreFile.Execute(to, "PRAGMA journal_mode=WAL");
            }

            StoreFile.SyncFile(temporary);
            File.Move(temporary, file, overwrite: true);
            StoreFile.SyncDirectory(directory);
            return info;
        }
        finally
        {
            StoreFile.DeleteWithCompanions(temporary);
        }
    }

    private static SqliteStoreInfo Bump(SqliteConnection store, long revision)
    {
        StoreSchema.MigrateEarlierLayout(store);
        StoreSchema.ClearHistory(store, revision);
        return StoreFile.Inspect(store, "the restored store");
    }
}