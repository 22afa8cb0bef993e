namespace MetaService.Sqlite;

/// <summary>
/// The store's directory and file are made readable by their owner only (0700, 0600): they hold every function's
/// environment and secrets. SQLite gives its WAL and shared-memory files the database file's mode. A directory or
/// file that exists keeps the mode it has (the operator's choice).
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, OwnerOnly | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Creates <paramref name="path"/> empty (an empty file is an empty SQLite database) unless it exists.</summary>
    public static void CreateFile(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile by another opener: its mode stands.
        }
    }
}