namespace MetaService.Cli.Tests;

/// <summary>Each refusal's hint fits that refusal, and a spec's mistake is reported at its line.</summary>
public sealed class HintTests : ServerTest
{
    [Fact]
    public async Task PublishingATakenVersionNumber_HintsAnotherNumber()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)));
        await yrmeta.RunAsync("function", "publish", name, "--version-number", "v1");
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("b.json", Spec.Json(name, cpu: 700)));

        var run = await yrmeta.RunAsync("function", "publish", name, "--version-number", "v1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: 4114 ", run.Error, StringComparison.Ordinal);
        Assert.Contains("hint: that version number is already published: publish under another number", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishingAStaleRevisionId_HintsToPublishTheCurrentDraft()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)));

        var run = await yrmeta.RunAsync("function", "publish", name, "--version-number", "v1", "--revision-id", "20000101000000000");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: 4134 revisionId is non latest version", run.Error, StringComparison.Ordinal);
        Assert.Contains("hint: the draft changed since that revisionId was read", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("get it again", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishingAPublishedDraftAgain_UnderAnotherNumber_Succeeds()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)));
        await yrmeta.RunAsync("function", "publish", name, "--version-number", "v1");

        var run = await yrmeta.RunAsync("function", "publish", name, "--version-number", "v2");

        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task UpdatingAPoolThePlatformHasNotTakenUp_HintsToRetryLater()
    {
        var yrmeta = new Yrcmd(Server);
        var id = "pool-" + Guid.NewGuid().ToString("N")[..8];
        await yrmeta.RunAsync("pool", "create", "--id", id, "--size", "1");

        var run = await yrmeta.RunAsync("pool", "update", id, "--size", "3");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: 4104 pool status is 0 , not allowed to update", run.Error, StringComparison.Ordinal);
        Assert.Contains("hint: the platform has not taken up the pool's last change yet", run.Error, StringComparison.Ordinal);
        Assert.Contains("retry later", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABrokenYamlSpec_IsReportedAtItsLineAndColumn()
    {
        var yrmeta = new Yrcmd(Server);
        var path = Specs.Write("broken.yaml", "name: a\nruntime: python3.9\nenvironment:\n  A: \"x\n  B: y\n");

        var run = await yrmeta.RunAsync("function", "deploy", "-f", path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {path}: line 4, column ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AYamlValueOfTheWrongType_IsReportedAtItsLine()
    {
        var yrmeta = new Yrcmd(Server);
        var path = Specs.Write("wrong.yaml", "name: a\nruntime: python3.9\ncpu: lots\n");

        var run = await yrmeta.RunAsync("function", "deploy", "-f", path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {path}: line 3, column 6: cpu has a value of the wrong type", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABrokenJsonSpec_IsReportedAtItsLine()
    {
        var yrmeta = new Yrcmd(Server);
        var path = Specs.Write("broken.json", "{\"name\":\"a\",\n \"cpu\": 5,,\n}");

        var run = await yrmeta.RunAsync("function", "deploy", "-f", path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {path}: line 2, column ", run.Error, StringComparison.Ordinal);
    }
}