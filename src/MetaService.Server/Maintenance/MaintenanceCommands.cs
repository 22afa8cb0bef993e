using MetaService.Core.Storage;
using MetaService.Sqlite.Backup;

using Microsoft.Data.Sqlite;

namespace MetaService.Server.Maintenance;

/// <summary>
/// The server's maintenance sub-commands, run instead of the web host: <c>backup</c> (an online copy of the embedded
/// store's file), <c>restore</c> (a backup file back into a data directory) and <c>copy</c> (every key from one store to
/// another, embedded or etcd). Exit codes as <c>yrmeta</c>'s: 0 done, 1 refused or failed, 2 usage.
/// </summary>
public static class MaintenanceCommands
{
    public const int Done = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    /// <summary>Environment variable that carries the etcd password (a command line is visible to every user).</summary>
    public const string EtcdPasswordVariable = "METASERVICE_ETCD_PASSWORD";

    private static readonly HashSet<string> Force = ["--force"];

    /// <summary>Whether <paramref name="args"/> name a maintenance command rather than start the server.</summary>
    public static bool Handles(string[] args) => args is ["backup" or "restore" or "copy", ..];

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (options, help) = args[0] switch
        {
            "backup" => (new HashSet<string> { "--data-dir", "--to" }, MaintenanceHelp.Backup),
            "restore" => (new HashSet<string> { "--data-dir", "--from" }, MaintenanceHelp.Restore),
            _ => (new HashSet<string> { "--from", "--to", "--prefix", "--from-key-prefix", "--to-key-prefix", "--etcd-user", "--etcd-ca-file", "--etcd-cert-file", "--etcd-key-file" }, MaintenanceHelp.Copy),
        };
        var parsed = MaintenanceArgs.Parse(args[1..], options, Force, out var problem);
        if (parsed is null || parsed.Help)
        {
            await (parsed is null ? error : output).WriteLineAsync((problem is null ? "" : $"error: {problem}\n\n") + help);
            return parsed is null ? Usage : Done;
        }

        try
        {
            var message = args[0] switch
            {
                "backup" => Backup(parsed),
                "restore" => Restore(parsed),
                _ => await CopyAsync(parsed, cancellationToken),
            };
            await output.WriteLineAsync(message);
            return Done;
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"error: {e.Message}\n\n{help}");
            return Usage;
        }
        catch (Exception e) when (e is MaintenanceRefusedException or StoreUnavailableException or SqliteException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return Failed;
        }
    }

    private static string Backup(MaintenanceArgs args)
    {
        var directory = Required(args, "--data-dir");
        var file = Required(args, "--to");
        var info = SqliteBackup.Backup(directory, file, args.Flag("--force"));
        return $"backed up the store in {Path.GetFullPath(directory)} at revision {info.Revision} ({info.Keys} keys) to {Path.GetFullPath(file)}";
    }

    private static string Restore(MaintenanceArgs args)
    {
        var file = Required(args, "--from");
        var directory = Required(args, "--data-dir");
        var info = SqliteBackup.Restore(file, directory, args.Flag("--force"));
        return $"restored {Path.GetFullPath(file)} into {Path.GetFullPath(directory)}: revision {info.Revision}, {info.Keys} keys";
    }

    private static async Task<string> CopyAsync(MaintenanceArgs args, CancellationToken cancellationToken)
    {
        var from = Location(Required(args, "--from"), args.Value("--from-key-prefix"), "--from");
        var to = Location(Required(args, "--to"), args.Value("--to-key-prefix"), "--to");
        if (from.SameAs(to))
        {
            throw new UsageException($"--from and --to are the same store ({from})");
        }

        var user = args.Value("--etcd-user");
        var password = user is null ? null : Environment.GetEnvironmentVariable(EtcdPasswordVariable);
        if (user is not null && string.IsNullOrEmpty(password))
        {
            throw new UsageException($"--etcd-user needs the password in the environment variable {EtcdPasswordVariable}");
        }

        var access = new EtcdAccess(
            user,
            password,
            args.Value("--etcd-ca-file"),
            args.Value("--etcd-cert-file"),
            args.Value("--etcd-key-file"));
        var prefix = args.Value("--prefix") ?? "";
        var force = args.Flag("--force");
        // The source first: a source that is not there then leaves no target store behind.
        var (revision, keys, owner) = await from.OpenSourceAsync(prefix, access, cancellationToken);
        await using (owner)
        {
            await using var target = to.OpenTarget(access);
            await StoreCopy.EnsureEmptyAsync(target, prefix, to.ToString(), force, cancellationToken);
            var totals = await StoreCopy.CopyAsync(keys, target, force, cancellationToken);
            return $"copied {totals.Keys} keys ({totals.Bytes} bytes of values) under '{prefix}' from {from} as of its revision {revision} to {to}, now at revision {totals.TargetRevision}";
        }
    }

    private static StoreLocation Location(string text, string? keyPrefix, string option) =>
        StoreLocation.Parse(text, keyPrefix, out var problem) ?? throw new UsageException($"{option}: {problem}");

    private static string Required(MaintenanceArgs args, string name) =>
        args.Value(name) ?? throw new UsageException($"{name} is required");

    private sealed class UsageException(string message) : Exception(message);
}