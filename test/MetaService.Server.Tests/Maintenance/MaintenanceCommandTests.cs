using MetaService.Core.Storage;
using MetaService.Server.Maintenance;
using MetaService.Sqlite;

namespace MetaService.Server.Tests.Maintenance;

/// <summary>The backup, restore and copy commands on embedded stores: what each prints, its exit code, and what it
/// refuses before touching a store.</summary>
public sealed class MaintenanceCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "metaservice-maintenance-" + Guid.NewGuid().ToString("N"));

    private string Data => Path.Combine(_root, "data");

    private string Restored => Path.Combine(_root, "restored");

    private string BackupFile => Path.Combine(_root, "backup.db");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "backup" }, true)]
    [InlineData(new[] { "restore", "--help" }, true)]
    [InlineData(new[] { "copy", "--from", "x" }, true)]
    [InlineData(new[] { "--data-dir", "backup" }, false)]
    [InlineData(new[] { "serve" }, false)]
    [InlineData(new string[0], false)]
    public void Handles_OnlyACommandNameFirst(string[] args, bool handled)
    {
        Assert.Equal(handled, MaintenanceCommands.Handles(args));
    }

    [Fact]
    public async Task Backup_ThenRestore_GivesTheKeysBack_SayingWhereAndAtWhichRevision()
    {
        await PutAsync(Data, ("/a", [1]), ("/b", [2, 2]));

        var backup = await RunAsync("backup", "--data-dir", Data, "--to", BackupFile);
        var restore = await RunAsync("restore", "--from=" + BackupFile, "--data-dir=" + Restored);

        Assert.Equal((0, $"backed up the store in {Data} at revision 2 (2 keys) to {BackupFile}\n", ""), backup);
        Assert.Equal((0, $"restored {BackupFile} into {Restored}: revision 2, 2 keys\n", ""), restore);
        Assert.Equal(["/a", "/b"], await KeysAsync(Restored));
    }

    [Fact]
    public async Task Backup_OverAnExistingFile_IsRefused_UnlessForced()
    {
        await PutAsync(Data, ("/a", [1]));
        await File.WriteAllTextAsync(BackupFile, "not a backup", TestContext.Current.CancellationToken);

        var refused = await RunAsync("backup", "--data-dir", Data, "--to", BackupFile);
        var forced = await RunAsync("backup", "--data-dir", Data, "--to", BackupFile, "--force");

        Assert.Equal((1, "", $"error: {BackupFile} exists: choose another file, or add --force to replace it\n"), refused);
        Assert.Equal(0, forced.Code);
    }

    [Fact]
    public async Task Restore_OverAStore_IsRefused_UnlessForced()
    {
        await PutAsync(Data, ("/a", [1]));
        await PutAsync(Restored, ("/other", [1]), ("/other", [2]), ("/other", [3]));
        await RunAsync("backup", "--data-dir", Data, "--to", BackupFile);

        var refused = await RunAsync("restore", "--from", BackupFile, "--data-dir", Restored);
        var forced = await RunAsync("restore", "--from", BackupFile, "--data-dir", Restored, "--force");

        Assert.Equal(1, refused.Code);
        Assert.StartsWith("error: ", refused.Error, StringComparison.Ordinal);
        Assert.Contains("already holds a store at revision 3 (1 keys)", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, forced.Code);
        Assert.Equal(["/a"], await KeysAsync(Restored));
    }

    [Theory]
    [InlineData("backup", "--to", "--data-dir is required")]
    [InlineData("backup", "--data-dir", "--to is required")]
    [InlineData("restore", "--data-dir", "--from is required")]
    [InlineData("restore", "--from", "--data-dir is required")]
    public async Task ARequiredOptionLeftOut_IsAUsageError_WithTheHelp(string command, string given, string problem)
    {
        var usage = await RunAsync(command, given, Path.Combine(_root, "x"));

        Assert.Equal(2, usage.Code);
        Assert.Equal("", usage.Output);
        Assert.StartsWith($"error: {problem}\n\nMetaService.Server {command} ", usage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOptionGivenEmpty_CountsAsLeftOut()
    {
        var usage = await RunAsync("backup", "--data-dir=", "--to", BackupFile);

        Assert.Equal(2, usage.Code);
        Assert.StartsWith("error: --data-dir is required\n\n", usage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOptionWithoutItsValue_IsAUsageError()
    {
        var usage = await RunAsync("backup", "--data-dir", Data, "--to");

        Assert.Equal(2, usage.Code);
        Assert.StartsWith("error: --to needs a value\n\nMetaService.Server backup ", usage.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public async Task Help_GoesToTheOutput_EvenAfterOtherOptions(string asked)
    {
        var help = await RunAsync("restore", "--from", BackupFile, asked);

        Assert.Equal(0, help.Code);
        Assert.StartsWith("MetaService.Server restore --from FILE --data-dir DIR [--force]", help.Output, StringComparison.Ordinal);
        Assert.Equal("", help.Error);
    }

    [Fact]
    public async Task AFlagGivenAValue_IsNotAFlag()
    {
        var usage = await RunAsync("backup", "--force=yes");

        Assert.Equal(2, usage.Code);
        Assert.StartsWith("error: unknown option '--force=yes'", usage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_BetweenEmbeddedStores_CopiesEveryKey_AndSaysHowMany()
    {
        await PutAsync(Data, ("/repo/a", [1, 2, 3]), ("/repo/b", [4]), ("/yr/c", [5]));

        var copy = await RunAsync("copy", "--from", "sqlite:" + Data, "--to", "sqlite:" + Restored, "--prefix", "/repo/");

        Assert.Equal(
            (0, $"copied 2 keys (4 bytes of values) under '/repo/' from the embedded store in {Data} as of its revision 3 to the embedded store in {Restored}, now at revision 1\n", ""),
            copy);
        Assert.Equal(["/repo/a", "/repo/b"], await KeysAsync(Restored));
    }

    [Fact]
    public async Task Copy_WithoutAPrefix_CopiesEveryKey_AndIntoAStoreWithKeysOnlyWithForce()
    {
        await PutAsync(Data, ("/repo/a", [1]), ("/yr/c", [5]));
        await PutAsync(Restored, ("/yr/c", [9]), ("/other", [7]));

        var refused = await RunAsync("copy", "--from", "sqlite:" + Data, "--to", "sqlite:" + Restored);
        var forced = await RunAsync("copy", "--from", "sqlite:" + Data, "--to", "sqlite:" + Restored, "--force");

        Assert.Equal((1, "", $"error: the embedded store in {Restored} already holds keys under '' (e.g. /other): copy into an empty store, or add --force to overwrite the keys the source has (the target's other keys stay)\n"), refused);
        Assert.Equal(0, forced.Code);
        Assert.Equal(["/other", "/repo/a", "/yr/c"], await KeysAsync(Restored));
    }

    [Fact]
    public async Task Copy_IntoAnEmbeddedStoreThatIsOpen_IsRefused_AndWritesNothing()
    {
        await PutAsync(Data, ("/repo/a", [1]));
        await PutAsync(Restored, ("/other", [7]));
        long revision;
        await using (var open = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = Restored }))
        {
            var refused = await RunAsync("copy", "--from", "sqlite:" + Data, "--to", "sqlite:" + Restored, "--force");

            Assert.Equal((1, "", $"error: the embedded store in {Restored} is open in a running server: stop it first, or copy through that server's etcd\n"), refused);
            revision = await open.GetRevisionAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, revision);
        Assert.Equal(["/other"], await KeysAsync(Restored));
    }

    [Theory]
    [InlineData("sqlite:{data}", "sqlite:{data}", "--from and --to are the same store (the embedded store in {data})")]
    [InlineData("etcd:http://127.0.0.1:1,http://127.0.0.1:2", "etcd:HTTP://127.0.0.1:2", "--from and --to are the same store (etcd http://127.0.0.1:1,http://127.0.0.1:2)")]
    [InlineData("nowhere", "sqlite:{data}", "--from: 'nowhere' is not sqlite:DIR or etcd:URL[,URL…]")]
    [InlineData("sqlite:", "sqlite:{data}", "--from: 'sqlite:' is not sqlite:DIR or etcd:URL[,URL…]")]
    [InlineData("sqlite:{data}", "etcd: , ", "--to: etcd: needs the client URLs, e.g. etcd:http://127.0.0.1:2379")]
    public async Task Copy_OfStoresItCannotTellApart_OrName_IsAUsageError(string from, string to, string problem)
    {
        var usage = await RunAsync("copy", "--from", from.Replace("{data}", Data, StringComparison.Ordinal), "--to", to.Replace("{data}", Data, StringComparison.Ordinal));

        Assert.Equal(2, usage.Code);
        Assert.StartsWith($"error: {problem.Replace("{data}", Data, StringComparison.Ordinal)}\n\nMetaService.Server copy ", usage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_BetweenPrefixesOfOneEtcd_WhenTheyAreTheSame_IsAUsageError()
    {
        var usage = await RunAsync("copy", "--from", "etcd:http://127.0.0.1:1", "--from-key-prefix", "/az/", "--to", "etcd:http://127.0.0.1:1", "--to-key-prefix", "az");

        Assert.Equal(2, usage.Code);
        Assert.StartsWith("error: --from and --to are the same store (etcd http://127.0.0.1:1 (key prefix /az))", usage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_WithAKeyPrefixOnTheEmbeddedStore_IsAUsageError()
    {
        var usage = await RunAsync("copy", "--from", "sqlite:" + Data, "--to", "sqlite:" + Restored, "--to-key-prefix", "az");

        Assert.Equal(2, usage.Code);
        Assert.StartsWith("error: --to: a key prefix applies to etcd only\n\n", usage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_ToEtcdSettingsWithAProblem_FailsNamingIt()
    {
        await PutAsync(Data, ("/a", [1]));

        var failed = await RunAsync("copy", "--from", "sqlite:" + Data, "--to", "etcd:ftp://127.0.0.1:1");

        Assert.Equal((1, "", "error: Store:Etcd:Endpoints 'ftp://127.0.0.1:1' is not an http:// or https:// URL\n"), failed);
    }

    [Fact]
    public async Task Copy_ToEtcd_PassesTheUserItsPasswordAndTheTlsFiles_ToTheStoresSettings()
    {
        // Each file is missing, so the settings name each one; a user or password not passed would add a problem.
        await PutAsync(Data, ("/a", [1]));
        var (ca, cert, key) = (Path.Combine(_root, "ca.pem"), Path.Combine(_root, "cert.pem"), Path.Combine(_root, "key.pem"));
        Environment.SetEnvironmentVariable(MaintenanceCommands.EtcdPasswordVariable, "secret");
        try
        {
            var failed = await RunAsync(
                "copy", "--from", "sqlite:" + Data, "--to", "etcd:http://127.0.0.1:1", "--etcd-user", "root",
                "--etcd-ca-file", ca, "--etcd-cert-file", cert, "--etcd-key-file", key);

            Assert.Equal((1, "", $"error: Store:Etcd:CaFile '{ca}' does not exist; Store:Etcd:CertFile '{cert}' does not exist; Store:Etcd:KeyFile '{key}' does not exist\n"), failed);
        }
        finally
        {
            Environment.SetEnvironmentVariable(MaintenanceCommands.EtcdPasswordVariable, null);
        }
    }

    private static async Task PutAsync(string directory, params (string Key, byte[] Value)[] puts)
    {
        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = directory });
        foreach (var (key, value) in puts)
        {
            await store.TxnAsync([], [new WriteOp.Put(key, value)], TestContext.Current.CancellationToken);
        }
    }

    private static async Task<List<string>> KeysAsync(string directory)
    {
        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = directory });
        return [.. (await store.RangeAsync("/", cancellationToken: TestContext.Current.CancellationToken)).Items.Select(kv => kv.Key)];
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await MaintenanceCommands.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}