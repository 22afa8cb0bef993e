using System.Text.Json;

using MetaService.Cli.Output;
using MetaService.Cli.Specs;
using MetaService.Client;

namespace MetaService.Cli.Tests;

/// <summary>
/// The reserve and pool commands up to the wire: argument checks, spec files and output formats
/// (<see cref="ReservePoolEndToEndTests"/> runs them against the server). No server is involved here: each
/// run points at a closed port, so a run that sent a request would exit 3, not 2.
/// </summary>
public sealed class ReservePoolCommandTests : IDisposable
{
    private const string ClosedPort = "http://127.0.0.1:1";
    private readonly SpecFolder _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public async Task ReserveCreate_WithoutFileOrFunction_Exits2()
    {
        var run = await Yrcmd.Network().RunAsync("reserve", "create", "--label", "label001", "--server", ClosedPort);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("give --file, or --function, --version-number and --label", run.Error, StringComparison.Ordinal);
        Assert.Contains("hint: yrmeta reserve create --help", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PoolDelete_WithoutFilter_Exits2()
    {
        var run = await Yrcmd.Network().RunAsync("pool", "delete", "--server", ClosedPort);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("give --id or --group", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PoolUpdate_WithoutSize_Exits2()
    {
        var run = await Yrcmd.Network().RunAsync("pool", "update", "pool1", "--server", ClosedPort);

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public void ReserveSpec_ReadsTheDocExample_FromYaml()
    {
        var path = _specs.Write("reserve.yaml", """
            funcName: 0@faaspy@hello
            version: latest
            instanceLabel: label001
            instanceConfigInfos:
              - clusterId: cluster001
                maxInstance: 101
                minInstance: 0
            """);

        var request = SpecFile.Read(path, ClientJson.Info<ReserveInstanceRequest>(ClientJson.Lenient));

        Assert.Equal("0@faaspy@hello", request.FuncName);
        Assert.Equal("label001", request.InstanceLabel);
        Assert.Equal(new InstanceConfigInfo { ClusterId = "cluster001", MaxInstance = 101, MinInstance = 0 }, Assert.Single(request.InstanceConfigInfos!));
    }

    [Fact]
    public void PoolSpec_ReadsSnakeCaseMembers()
    {
        var path = _specs.Write("pools.json", """{"pools":[{"id":"pool1","group":"g1","size":2,"max_size":4,"idle_recycle_time":{"reserved":-1,"scaled":30}}]}""");

        var pools = SpecFile.Read(path, PoolJson.Default.PoolCreateRequest).Pools;

        var pool = Assert.Single(pools);
        Assert.Equal(("pool1", "g1", 2, 4), (pool.Id, pool.Group, pool.Size, pool.MaxSize));
        Assert.Equal(30, pool.IdleRecycleTime!.Scaled);
    }

    [Fact]
    public void ReserveTable_HasOneRowPerLabelAndCluster()
    {
        var labels = new[]
        {
            new ReserveInstanceLabel { InstanceLabel = "label001", InstanceConfigInfos = [new() { ClusterId = "cluster001", MinInstance = 1, MaxInstance = 10 }, new() { ClusterId = "cluster002", MinInstance = 0, MaxInstance = 5 }] },
        };
        using var writer = new StringWriter();

        ReserveCommands.Table(labels).Write(writer);

        Assert.Equal(
            "LABEL     CLUSTER     MIN  MAX\nlabel001  cluster001  1    10\nlabel001  cluster002  0    5\n",
            writer.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Pools_PrintAsTableJsonAndYaml()
    {
        List<Pool> pools = [new Pool { Id = "pool1", Group = "default", Size = 2, MaxSize = 4, ReadyCount = 1, Status = 4, Scalable = true }];
        var info = ClientJson.Info<List<Pool>>(PoolJson.Indented);
        using var table = new StringWriter();
        using var json = new StringWriter();
        using var yaml = new StringWriter();

        new Printer(table, TextWriter.Null, OutputFormat.Table).Print(pools, info, PoolCommands.Table);
        new Printer(json, TextWriter.Null, OutputFormat.Json).Print(pools, info, PoolCommands.Table);
        new Printer(yaml, TextWriter.Null, OutputFormat.Yaml).Print(pools, info, PoolCommands.Table);

        Assert.Contains("pool1  default  2     4    1      Running  yes", table.ToString(), StringComparison.Ordinal);
        Assert.Equal(4, JsonDocument.Parse(json.ToString()).RootElement[0].GetProperty("max_size").GetInt32());
        Assert.Equal(4L, (long)YamlText.Read(new StringReader(yaml.ToString()))![0]!["max_size"]!);
    }
}