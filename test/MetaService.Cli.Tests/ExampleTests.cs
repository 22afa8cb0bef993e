namespace MetaService.Cli.Tests;

/// <summary>Every file of <c>examples/</c> is accepted by a real server, so the examples stay valid.</summary>
public sealed class ExampleTests : ServerTest
{
    private static string Example(string file) => Path.Combine(Repository.Root, "examples", file);

    [Theory]
    [InlineData("faas-function.json", "faas-function.yaml", "0@demo@hello")]
    [InlineData("yrlib-function.json", "yrlib-function.yaml", "0-demo-worker")]
    public async Task AFunctionSpec_DeploysFromJson_AndItsYamlTwinIsTheSameFunction(string json, string yaml, string name)
    {
        var yrmeta = new Yrcmd(Server);

        var fromJson = await yrmeta.RunAsync("function", "deploy", "-f", Example(json));
        var fromYaml = await yrmeta.RunAsync("function", "deploy", "-f", Example(yaml));

        Assert.Equal(0, fromJson.ExitCode);
        Assert.StartsWith($"created {name}", fromJson.Out, StringComparison.Ordinal);
        Assert.Equal(0, fromYaml.ExitCode);
        Assert.StartsWith($"unchanged {name}", fromYaml.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReserveInstanceBody_ReservesInstancesForTheFaasExample()
    {
        var yrmeta = new Yrcmd(Server);
        await yrmeta.RunAsync("function", "deploy", "-f", Example("faas-function.yaml"));

        var run = await yrmeta.RunAsync("reserve", "create", "-f", Example("reserve-instance.json"), "-o", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("label001", (string)run.Json()["reserveInsBaseInfo"]!["instanceLabel"]!);
    }

    [Fact]
    public async Task ThePodPoolBody_CreatesItsPool()
    {
        var yrmeta = new Yrcmd(Server);

        var created = await yrmeta.RunAsync("pool", "create", "-f", Example("pod-pools.json"));
        var listed = await yrmeta.RunAsync("pool", "get", "--id", "pool-demo", "-o", "json");

        Assert.Equal(0, created.ExitCode);
        Assert.Equal(4, (int)listed.Json()[0]!["max_size"]!);
    }
}

/// <summary>The repository's files, found from the test assembly's folder.</summary>
internal static class Repository
{
    public static string Root { get; } = Find(AppContext.BaseDirectory);

    private static string Find(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MetaService.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no MetaService.slnx above {start}");
    }
}