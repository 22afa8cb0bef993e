namespace MetaService.Cli.Tests;

/// <summary>
/// <c>yrmeta login</c> checks the credential against the server and saves a context only when the server takes it; the
/// file is 0600 in a 0700 folder; <c>context list</c> marks the current context and never prints a token;
/// <c>context use</c> switches; commands use the current context unless a flag or variable says otherwise, and never
/// send a context's token to another server.
/// </summary>
public sealed class ContextCommandTests : IAsyncLifetime
{
    private const string Server = "http://localhost";
    private readonly ServerFactory _server = new();
    private readonly SpecFolder _specs = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "yrmeta-config-" + Guid.NewGuid().ToString("N"));
    private string _admin = "";
    private string _alice = "";

    private string ConfigFile => Path.Combine(_folder, "yrmeta", "config.json");

    public async ValueTask InitializeAsync()
    {
        _admin = await _server.StartWithAdminTokenAsync();
        var created = await new Yrcmd(_server, Env(("YRMETA_TOKEN", _admin))).RunAsync("token", "create", "--tenant", "alice", "--role", "editor", "-o", "json");
        _alice = (string)created.Json()["token"]!;
    }

    public async ValueTask DisposeAsync()
    {
        _specs.Dispose();
        await _server.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Login_SavesAPrivateContext_ThatLaterCommandsUse()
    {
        var yrmeta = new Yrcmd(_server, Env(("XDG_CONFIG_HOME", _folder)));
        var name = Spec.Name();

        var login = await yrmeta.RunAsync("login", "--server", Server, "--token", _alice, "--tenant", "alice", "--context", "dev");
        var deployed = await yrmeta.RunAsync("function", "deploy", "-f", _specs.Write("fn.json", Spec.Json(name)));
        var listed = await yrmeta.RunAsync("function", "list", "-o", "json");
        var contexts = await yrmeta.RunAsync("context", "list");

        Assert.Equal(0, login.ExitCode);
        Assert.Contains("context dev saved", login.Out, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(ConfigFile)!));
        Assert.Equal(0, deployed.ExitCode);
        Assert.Contains(name, listed.Out, StringComparison.Ordinal);
        Assert.Contains("sn:cn:yrk:alice:", listed.Out, StringComparison.Ordinal);
        Assert.Matches(@"\*\s+dev\s+http://localhost\s+alice", contexts.Out);
        Assert.DoesNotContain(_alice, contexts.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yrm_unknownunknownunknownunknownunknownunknown12", "alice", "190401")]
    [InlineData(null, "bob", "190403")]
    public async Task Login_TheServerRefuses_SavesNothing(string? token, string tenant, string code)
    {
        var yrmeta = new Yrcmd(_server, Env(("XDG_CONFIG_HOME", _folder)));

        var login = await yrmeta.RunAsync("login", "--server", Server, "--token", token ?? _alice, "--tenant", tenant);

        Assert.Equal(1, login.ExitCode);
        Assert.Contains(code, login.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was saved", login.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(ConfigFile));
    }

    [Fact]
    public async Task Login_AnUnreachableServer_SavesNothing()
    {
        var login = await Yrcmd.Network(Env(("YRMETA_CONFIG", ConfigFile))).RunAsync("login", "--server", "http://127.0.0.1:1", "--token", _alice);

        Assert.Equal(3, login.ExitCode);
        Assert.Contains("nothing was saved", login.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(ConfigFile));
    }

    [Fact]
    public async Task FlagBeatsVariable_VariableBeatsContext()
    {
        var yrmeta = new Yrcmd(_server, Env(("YRMETA_CONFIG", ConfigFile)));
        var withVariable = new Yrcmd(_server, Env(("YRMETA_CONFIG", ConfigFile), ("YRMETA_TENANT", "bob")));
        await yrmeta.RunAsync("login", "--server", Server, "--token", _alice, "--tenant", "alice");

        var fromContext = await yrmeta.RunAsync("function", "list");
        var fromVariable = await withVariable.RunAsync("function", "list");
        var fromFlag = await withVariable.RunAsync("function", "list", "--tenant", "alice");
        var adminByFlag = await withVariable.RunAsync("token", "list", "--token", _admin);

        Assert.Equal(0, fromContext.ExitCode);
        Assert.Equal(1, fromVariable.ExitCode);
        Assert.Contains("tenant mismatch", fromVariable.Error, StringComparison.Ordinal);
        Assert.Equal(0, fromFlag.ExitCode);
        Assert.Equal(0, adminByFlag.ExitCode);
    }

    [Fact]
    public async Task AnotherServer_GetsNoneOfTheContextsValues()
    {
        var yrmeta = new Yrcmd(_server, Env(("YRMETA_CONFIG", ConfigFile)));
        await yrmeta.RunAsync("login", "--server", Server, "--token", _alice, "--tenant", "alice");

        var elsewhere = await yrmeta.RunAsync("function", "list", "--server", "http://127.0.0.2:31182");

        Assert.Equal(1, elsewhere.ExitCode);
        Assert.Contains("190401", elsewhere.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContextUse_Switches_AndAnUnknownNameIsAUsageError()
    {
        var yrmeta = new Yrcmd(_server, Env(("YRMETA_CONFIG", ConfigFile)));
        await yrmeta.RunAsync("login", "--server", Server, "--token", _admin, "--context", "ops");
        await yrmeta.RunAsync("login", "--server", Server, "--token", _alice, "--tenant", "alice", "--context", "dev");

        var asDev = await yrmeta.RunAsync("token", "list");
        var use = await yrmeta.RunAsync("context", "use", "ops");
        var asOps = await yrmeta.RunAsync("token", "list");
        var unknown = await yrmeta.RunAsync("context", "use", "prod");
        var listed = await yrmeta.RunAsync("context", "list", "-o", "json");

        Assert.Equal(1, asDev.ExitCode);
        Assert.Equal(0, use.ExitCode);
        Assert.Equal(0, asOps.ExitCode);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("dev, ops", unknown.Error, StringComparison.Ordinal);
        Assert.True((bool)listed.Json()[1]!["current"]!);
        Assert.DoesNotContain("token", listed.Out, StringComparison.OrdinalIgnoreCase);
    }

    private static Dictionary<string, string> Env(params (string Name, string Value)[] variables) => variables.ToDictionary(v => v.Name, v => v.Value);
}