namespace MetaService.Cli.Tests;

/// <summary><c>yrmeta alias create|get|list|update|delete|rollback|shift</c> against the real server.</summary>
public sealed class AliasCommandTests : ServerTest
{
    private async Task<(Yrcmd Yrmeta, string Name)> FunctionWithVersionsAsync(params string[] versions)
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        Assert.Equal(0, (await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write(name + ".json", Spec.Json(name)))).ExitCode);
        foreach (var version in versions)
        {
            var published = await yrmeta.RunAsync("function", "publish", name, "--version-number", version);
            Assert.True(published.ExitCode == 0, published.Error);
        }

        return (yrmeta, name);
    }

    [Fact]
    public async Task CreateShiftRollbackListDelete_RoundTrip()
    {
        var (yrmeta, name) = await FunctionWithVersionsAsync("v1", "v2", "v3");

        var created = await yrmeta.RunAsync("alias", "create", name, "prod", "--function-version", "v1", "--weights", "v1=20,v2=80", "-o", "json");
        var shifted = await yrmeta.RunAsync("alias", "shift", name, "prod", "--to", "v3", "--percent", "20", "-o", "json");
        var rolled = await yrmeta.RunAsync("alias", "rollback", name, "prod", "-o", "json");
        var listed = await yrmeta.RunAsync("alias", "list", name);
        var deleted = await yrmeta.RunAsync("alias", "delete", name, "prod");
        var gone = await yrmeta.RunAsync("alias", "get", name, "prod");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Equal(80, (int)created.Json()["routingConfig"]!["v2"]!);
        Assert.True(shifted.ExitCode == 0, shifted.Error);
        Assert.Equal(16, (int)shifted.Json()["routingConfig"]!["v1"]!);
        Assert.Equal(64, (int)shifted.Json()["routingConfig"]!["v2"]!);
        Assert.Equal(20, (int)shifted.Json()["routingConfig"]!["v3"]!);
        Assert.Equal(0, rolled.ExitCode);
        Assert.Null(rolled.Json()["routingConfig"]!["v3"]);
        Assert.Contains("v1=20,v2=80", listed.Out, StringComparison.Ordinal);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("4117", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateWithARule_AndBadWeights_AreReported()
    {
        var (yrmeta, name) = await FunctionWithVersionsAsync("v1", "v2");
        Assert.Equal(0, (await yrmeta.RunAsync("alias", "create", name, "gray", "--function-version", "v1")).ExitCode);

        var rule = await yrmeta.RunAsync("alias", "update", name, "gray", "--rule", "x-user:in:a,b", "--gray", "v2", "-o", "json");
        var badSyntax = await yrmeta.RunAsync("alias", "update", name, "gray", "--weights", "v1:50");
        var badSum = await yrmeta.RunAsync("alias", "update", name, "gray", "--weights", "v1=50,v2=40");

        Assert.True(rule.ExitCode == 0, rule.Error);
        Assert.Equal("rule", (string?)rule.Json()["routingType"]);
        Assert.Equal("v2", (string?)rule.Json()["routingRules"]!["grayVersion"]);
        Assert.NotEqual(0, badSyntax.ExitCode);
        Assert.Contains("--weights", badSyntax.Error, StringComparison.Ordinal);
        Assert.Equal(1, badSum.ExitCode);
        Assert.Contains("4103", badSum.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v3", 20, "v1=16,v2=64,v3=20")]
    [InlineData("v3", 100, "v3=100")]
    [InlineData("v2", 50, "v1=50,v2=50")]
    [InlineData("v1", 0, "v1=0,v2=100")]
    public void Shift_GivesTheTargetItsShare_AndSplitsTheRestInProportion(string to, int percent, string expected)
    {
        var weights = AliasShift.Weights(new Dictionary<string, int> { ["v1"] = 20, ["v2"] = 80 }, "v1", to, percent);

        Assert.Equal(expected, string.Join(",", weights.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key}={w.Value}")));
    }
}