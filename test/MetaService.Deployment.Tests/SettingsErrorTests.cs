namespace MetaService.Deployment.Tests;

/// <summary>A wrong setting stops the process with exit code 1 and one line on standard error that names the key
/// (no stack trace); a misspelled key is warned about once, naming the key it most likely meant.</summary>
public sealed class SettingsErrorTests : IDisposable
{
    private readonly string _directory = Tools.NewDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("--store etcdx", "Store:Kind 'etcdx' is unknown")]
    [InlineData("--Meta:VersionMax abc", "Meta:VersionMax is 'abc', which is not a valid whole number")]
    [InlineData("--Meta:MaxCpu 100", "Meta:MinCpu (300) must be positive and not above Meta:MaxCpu (100)")]
    [InlineData("--Store:Sqlite:MaxBatch 0", "Store:Sqlite:MaxBatch is 0: give 1 (one fsync per write) to 10000")]
    [InlineData("--store etcd --etcd-endpoints http://127.0.0.1:1 --Store:View:ChangeFeedBytes 0", "Store:View:ChangeFeedBytes is 0: give at least 1 byte")]
    [InlineData("--store etcd --etcd-endpoints http://127.0.0.1:1 --Store:View:CachedPrefixes:0 /repo/", "Store:View:CachedPrefixes holds '/repo/', which covers the function records")]
    [InlineData("--Server:AnswerCacheBytes -5", "Server:AnswerCacheBytes is -5: give 0 (no answers kept) or a number of bytes")]
    [InlineData("--Server:MaxRequestBodyBytes 0", "Server:MaxRequestBodyBytes is 0: give a positive number of bytes")]
    [InlineData("--Server:ShutdownTimeoutSeconds soon", "Server:ShutdownTimeoutSeconds is 'soon'")]
    [InlineData("--store etcd --etcd-endpoints http://127.0.0.1:1 --Store:Etcd:RequestTimeout 00:00:01", "etcd at http://127.0.0.1:1 (Store:Etcd:Endpoints) is unreachable")]
    [InlineData("--Meta:MaxTimeout 10", "Meta:DefaultTimeout (900) must be between 1 and Meta:MaxTimeout (10)")]
    public async Task WrongSetting_PrintsOneLineNamingTheKey_AndExits1(string arguments, string expected)
    {
        await using var server = ChildServer.Start(["--data-dir", _directory, "--urls", "http://127.0.0.1:0", .. arguments.Split(' ')]);

        var exit = await server.ExitCodeAsync();

        Assert.Equal(1, exit);
        var line = Assert.Single(server.Errors);
        Assert.StartsWith("MetaService cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAddressInUse_PrintsOneLineNamingIt_AndExits1()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        await using var server = ChildServer.Start(["--data-dir", _directory, "--urls", $"http://127.0.0.1:{port}"]);

        var exit = await server.ExitCodeAsync();

        Assert.Equal(1, exit);
        var line = Assert.Single(server.Errors);
        Assert.StartsWith("MetaService cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("another program listens there", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigFileWithAWrongMember_PrintsOneLineNamingTheMember_AndExits1()
    {
        var file = Path.Combine(_directory, "config.json");
        await File.WriteAllTextAsync(file, """{"etcd":{"servers":["127.0.0.1:2379"]},"function":{"versionMax":"many"}}""", TestContext.Current.CancellationToken);
        await using var server = ChildServer.Start(["-config_path", file]);

        var exit = await server.ExitCodeAsync();

        Assert.Equal(1, exit);
        Assert.Equal($"MetaService cannot start: {file}: function.versionMax must be a whole number; it is \"many\"", Assert.Single(server.Errors));
    }

    [Theory]
    [InlineData("-config_path")]
    [InlineData("--config_path")]
    [InlineData("-config_path=")]
    [InlineData("--config_path=")]
    public async Task ConfigPath_IsTakenInEveryFormOfGosFlagPackage(string flag)
    {
        var file = Path.Combine(_directory, "missing-config.json");
        string[] arguments = flag.EndsWith('=') ? [flag + file] : [flag, file];
        await using var server = ChildServer.Start(arguments);

        var exit = await server.ExitCodeAsync();

        Assert.Equal(1, exit);
        Assert.Contains(file + " (-config_path) does not exist", Assert.Single(server.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisspelledKeys_AreWarnedOnce_WithTheLikelyKey()
    {
        await using var server = ChildServer.Start(["--data-dir", _directory, "--urls", "http://127.0.0.1:0", "--Meta:VersonMax", "3", "--Store:Sqlite:MaxBach", "9", "--Server:Nonsense", "1"]);

        await server.ListeningAsync();

        Assert.Single(server.Output, l => l.Contains("Meta:VersonMax is not a setting and is ignored (did you mean Meta:VersionMax?)", StringComparison.Ordinal));
        Assert.Single(server.Output, l => l.Contains("Store:Sqlite:MaxBach is not a setting and is ignored (did you mean Store:Sqlite:MaxBatch?)", StringComparison.Ordinal));
        Assert.Single(server.Output, l => l.Contains("Server:Nonsense is not a setting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartLine_NamesTheEmbeddedStoreFile_AndTheListenUrl()
    {
        await using var server = ChildServer.Start(["--data-dir", _directory, "--urls", "http://127.0.0.1:0"]);

        var listening = await server.ListeningAsync();

        var line = Assert.Single(server.Output, l => l.Contains(", listening on ", StringComparison.Ordinal));
        Assert.Matches(@"^\s*MetaService \S+ on the embedded store " + System.Text.RegularExpressions.Regex.Escape(Path.Combine(_directory, "meta.db")) + ", listening on http://127.0.0.1:[0-9]+$", line);
        Assert.NotEqual(0, listening.Port);
    }

    [Fact]
    public async Task AccessLine_CarriesItsTraceIdOnce()
    {
        await using var server = ChildServer.Start(["--data-dir", _directory, "--urls", "http://127.0.0.1:0"]);
        using var http = new Http(await server.ListeningAsync());
        var traceId = "trace-" + Guid.NewGuid().ToString("N");

        await http.SendAsync(HttpMethod.Get, "/serverless/v1/functions/" + Http.Name(), traceId: traceId);

        await server.WaitForAsync(l => l.Contains("trace=" + traceId, StringComparison.Ordinal));
        Assert.Single(server.Output, l => l.Contains(traceId, StringComparison.Ordinal));
    }
}