namespace MetaService.Cli.Tests;

/// <summary><c>yrmeta token create|list|revoke</c> and <c>--token</c>/<c>YRMETA_TOKEN</c> against a server in mode token.</summary>
public sealed class TokenCommandTests : IAsyncLifetime
{
    private readonly ServerFactory _server = new();
    private readonly SpecFolder _specs = new();
    private string _admin = "";

    public async ValueTask InitializeAsync()
    {
        _admin = await _server.StartWithAdminTokenAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _specs.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task CreateUseListRevoke_RoundTrip()
    {
        var asAdmin = new Yrcmd(_server, new Dictionary<string, string> { ["YRMETA_TOKEN"] = _admin });
        var anonymous = new Yrcmd(_server);
        var name = Spec.Name();

        var created = await asAdmin.RunAsync("token", "create", "--tenant", "alice", "--role", "editor", "--description", "ci", "-o", "json");
        var token = (string)created.Json()["token"]!;
        var id = (string)created.Json()["id"]!;
        var deployed = await anonymous.RunAsync("function", "deploy", "-f", _specs.Write("fn.json", Spec.Json(name)), "--tenant", "alice", "--token", token);
        var listed = await asAdmin.RunAsync("token", "list");
        var revoked = await asAdmin.RunAsync("token", "revoke", id);
        var refused = await anonymous.RunAsync("function", "list", "--tenant", "alice", "--token", token);

        Assert.Equal(0, created.ExitCode);
        Assert.Contains("shown this once", created.Error, StringComparison.Ordinal);
        Assert.Equal(0, deployed.ExitCode);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(id, listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed.Out, StringComparison.Ordinal);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("190401", refused.Error, StringComparison.Ordinal);
        Assert.Contains("YRMETA_TOKEN", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAToken_Exits1_WithTheHint()
    {
        var run = await new Yrcmd(_server).RunAsync("token", "list");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("190401", run.Error, StringComparison.Ordinal);
        Assert.Contains("--token or YRMETA_TOKEN", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditor_CannotListTokens()
    {
        var asAdmin = new Yrcmd(_server, new Dictionary<string, string> { ["YRMETA_TOKEN"] = _admin });
        var editor = (string)(await asAdmin.RunAsync("token", "create", "--role", "editor", "-o", "json")).Json()["token"]!;

        var run = await new Yrcmd(_server, new Dictionary<string, string> { ["YRMETA_TOKEN"] = editor }).RunAsync("token", "list");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("role admin is required", run.Error, StringComparison.Ordinal);
    }
}