namespace MetaService.Cli.Tests;

/// <summary>The reserve and pool commands against the real server.</summary>
public sealed class ReservePoolEndToEndTests : ServerTest
{
    private static string FaasSpec(string name) => $$"""
        {"name":"{{name}}","runtime":"python3.9","kind":"faas","handler":"handler.main","cpu":600,"memory":512,"timeout":60}
        """;

    [Fact]
    public async Task Reserve_CreateGetUpdateDelete_RoundTrip()
    {
        var yrmeta = new Yrcmd(Server);
        var name = "0@cli@fn-" + Guid.NewGuid().ToString("N")[..8];
        var deployed = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("faas.json", FaasSpec(name)));

        var created = await yrmeta.RunAsync("reserve", "create", "--function", name, "--version-number", "latest", "--label", "label001", "--min", "1", "--max", "10", "-o", "json");
        var updated = await yrmeta.RunAsync("reserve", "update", "--function", name, "--version-number", "latest", "--label", "label001", "--min", "2", "--max", "20");
        var listed = await yrmeta.RunAsync("reserve", "get", "--function", name, "--version-number", "latest");
        var deleted = await yrmeta.RunAsync("reserve", "delete", "--function", name, "--version-number", "latest", "--label", "label001");
        var empty = await yrmeta.RunAsync("reserve", "get", "--function", name, "--version-number", "latest", "-o", "json");

        Assert.Equal(0, deployed.ExitCode);
        Assert.Equal(0, created.ExitCode);
        Assert.Equal(10, (int)created.Json()["instanceConfigInfos"]![0]!["maxInstance"]!);
        Assert.Equal(0, updated.ExitCode);
        Assert.Contains("label001  cluster001  2    20", listed.Out, StringComparison.Ordinal);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(0, (int)empty.Json()["total"]!);
    }

    [Fact]
    public async Task Reserve_ForAnUnknownFunction_Exits1WithTheServersCode()
    {
        var yrmeta = new Yrcmd(Server);

        var run = await yrmeta.RunAsync("reserve", "create", "--function", "0@cli@missing", "--version-number", "latest", "--label", "label001", "--max", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("4115", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pool_CreateGetDelete_RoundTrip()
    {
        var yrmeta = new Yrcmd(Server);
        var id = "pool-" + Guid.NewGuid().ToString("N")[..8];

        var created = await yrmeta.RunAsync("pool", "create", "--id", id, "--size", "2", "--image", "busybox");
        var listed = await yrmeta.RunAsync("pool", "get", "--id", id, "-o", "json");
        var again = await yrmeta.RunAsync("pool", "create", "--id", id, "--size", "2");
        var deleted = await yrmeta.RunAsync("pool", "delete", "--id", id);
        var afterDelete = await yrmeta.RunAsync("pool", "get", "--id", id, "-o", "json");

        Assert.Equal(0, created.ExitCode);
        Assert.Equal(2, (int)listed.Json()[0]!["max_size"]!);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(6, (int)afterDelete.Json()[0]!["status"]!);
    }

    [Fact]
    public async Task PoolUpdate_OfANewPool_Exits1_TheStatusDoesNotAllowIt()
    {
        var yrmeta = new Yrcmd(Server);
        var id = "pool-" + Guid.NewGuid().ToString("N")[..8];
        await yrmeta.RunAsync("pool", "create", "--id", id, "--size", "1");

        var run = await yrmeta.RunAsync("pool", "update", id, "--size", "3");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not allowed to update", run.Error, StringComparison.Ordinal);
    }
}