namespace MetaService.Cli.Tests;

public sealed class ExitCodeTests : ServerTest
{
    [Fact]
    public async Task NotFound_Exits1_WithTheServersCodeMessageAndAHint()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();

        var run = await yrmeta.RunAsync("function", "get", name);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        // A 0-<service>-<name> function is named by its bare name, as the original names it.
        Assert.Contains($"error: 4115 function [{name["0-cli-".Length..]}] is not found. check input parameters (HTTP 404)", run.Error, StringComparison.Ordinal);
        Assert.Contains("hint: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaleRevisionId_Exits1_With4134()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)));

        var run = await yrmeta.RunAsync("function", "update", name, "--revision-id", "1", "-f", Specs.Write("b.json", """{"cpu":700}"""));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: 4134 revisionID is not the same (HTTP 412)", run.Error, StringComparison.Ordinal);
        Assert.Contains("hint: the function changed since it was read", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidSpec_RefusedByTheServer_Exits1_With4104()
    {
        var yrmeta = new Yrcmd(Server);

        var run = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(Spec.Name(), cpu: 1)));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: 4104 ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("function", "frobnicate")]
    [InlineData("function", "deploy")]
    [InlineData("function", "get", "x", "--output", "xml")]
    [InlineData("function", "list", "--page-size", "0")]
    [InlineData("reserve", "get", "--function", "0@svc@fn")]
    public async Task BadCommandLines_Exit2(params string[] args)
    {
        var yrmeta = new Yrcmd(Server);

        var run = await yrmeta.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("hint: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadableSpec_Exits2()
    {
        var yrmeta = new Yrcmd(Server);

        var broken = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.yaml", "name: [unclosed"));
        var wrongType = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("b.json", """{"name":"x","cpu":"lots"}"""));
        var missing = await yrmeta.RunAsync("function", "deploy", "-f", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json"));

        Assert.Equal(2, broken.ExitCode);
        Assert.Equal(2, wrongType.ExitCode);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("hint: yrmeta function deploy --help", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadServerUrl_Exits2()
    {
        var yrmeta = new Yrcmd(Server, new Dictionary<string, string> { ["YRMETA_SERVER"] = "ftp://example" });

        var run = await yrmeta.RunAsync("function", "list");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--server 'ftp://example' is not an http(s) URL", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServer_Exits3()
    {
        var yrmeta = Yrcmd.Network();

        var run = await yrmeta.RunAsync("function", "list", "--server", "http://127.0.0.1:1");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("error: cannot reach http://127.0.0.1:1/", run.Error, StringComparison.Ordinal);
        Assert.Contains("hint: start the server", run.Error, StringComparison.Ordinal);
    }
}