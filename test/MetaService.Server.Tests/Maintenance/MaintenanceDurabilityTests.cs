using System.Text.RegularExpressions;

using MetaService.Core.Storage;
using MetaService.Sqlite;

namespace MetaService.Server.Tests.Maintenance;

/// <summary>
/// A backup or a restore is renamed into place, and a rename lasts through a power cut only once its directory is
/// synced: the commands run under <c>strace</c>, and every rename into the test's folders must be followed by a sync
/// of the directory it renamed into, and preceded by a sync of the file it renames (a missing sync leaves no other
/// trace a test can see).
/// </summary>
public sealed partial class MaintenanceDurabilityTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "metaservice-maintenance-sync-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("restore")]
    public async Task EveryRename_IsFollowedByASyncOfItsDirectory(string command)
    {
        var data = Path.Combine(_root, "data");
        var backup = Path.Combine(_root, "backups", "backup.db");
        Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = data }))
        {
            await store.TxnAsync([], [new WriteOp.Put("/a", [1])], TestContext.Current.CancellationToken);
        }

        string[] arguments = command == "backup"
            ? ["backup", "--data-dir", data, "--to", backup]
            : ["restore", "--from", backup, "--data-dir", Path.Combine(_root, "restored")];
        if (command == "restore")
        {
            Assert.Equal(0, await RunServerAsync(["backup", "--data-dir", data, "--to", backup]));
        }

        var trace = Path.Combine(_root, "trace.txt");
        string[] strace = ["-f", "-qq", "-y", "-e", "signal=none", "-e", "trace=rename,renameat,renameat2,fsync,fdatasync", "-o", trace];
        var code = await SystemTools.RunAsync(SystemTools.Path("strace"), [.. strace, "dotnet", ServerDll, .. arguments], TimeSpan.FromMinutes(2));

        Assert.Equal(0, code);
        var lines = File.ReadAllLines(trace);
        var renames = lines.Select((line, at) => (Match: Rename().Match(line), At: at))
            .Where(r => r.Match.Success && r.Match.Groups["to"].Value.StartsWith(_root, StringComparison.Ordinal))
            .Select(r => (To: r.Match.Groups["to"].Value, r.At))
            .ToList();
        Assert.True(renames.Count >= (command == "backup" ? 1 : 2), $"{command} renamed {renames.Count} files into place:\n{string.Join('\n', lines)}");
        foreach (var (to, at) in renames)
        {
            var directory = Path.GetDirectoryName(to)!;
            Assert.True(
                lines.Skip(at + 1).Any(l => Sync().Match(l) is { Success: true } sync && sync.Groups["path"].Value == directory),
                $"{command}: the rename to {to} was not followed by a sync of {directory}:\n{string.Join('\n', lines)}");
        }

        // And what is renamed into place was synced first (under this name or one it had before a rename).
        var synced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (Sync().Match(line) is { Success: true } sync)
            {
                synced.Add(sync.Groups["path"].Value);
            }
            else if (Rename().Match(line) is { Success: true } rename && rename.Groups["to"].Value.StartsWith(_root, StringComparison.Ordinal))
            {
                Assert.True(synced.Contains(rename.Groups["from"].Value), $"{command}: {rename.Groups["from"].Value} was renamed into place before its data was synced:\n{string.Join('\n', lines)}");
                synced.Add(rename.Groups["to"].Value);
            }
        }
    }

    private static string ServerDll => typeof(MetaService.Server.Functions.FunctionsApi).Assembly.Location;

    private static Task<int> RunServerAsync(string[] arguments) => SystemTools.RunAsync("dotnet", [ServerDll, .. arguments], TimeSpan.FromMinutes(2));

    [GeneratedRegex("""rename(?:at2?)?\((?:AT_FDCWD, )?"(?<from>[^"]+)", (?:AT_FDCWD, )?"(?<to>[^"]+)".*= 0$""")]
    private static partial Regex Rename();

    [GeneratedRegex(@"f(?:data)?sync\(\d+<(?<path>[^>]+)>\)\s+= 0$")]
    private static partial Regex Sync();
}