using System.Net;

namespace MetaService.Deployment.Tests;

/// <summary>Started as openYuanrong starts meta_service, from our copies of the Helm chart's and the process deployment's
/// files: the server listens where they say, on the etcd and prefix they name, with their limits, and says at start
/// what it does not use and that authentication is off.</summary>
public sealed class OriginalConfigTests : IDisposable
{
    private readonly string _directory = Tools.NewDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task HelmConfigMap_ListensOnPodIpAndPort_AndAppliesItsLimits()
    {
        var log = OriginalFiles.Render("helm-log.json", _directory, new Dictionary<string, string> { ["logPath"] = _directory });

        // The chart's container gets POD_IP from Kubernetes and its file has no server.ip: the original listens on POD_IP.
        var (server, listening, port) = await ChildServer.StartOnFreePortAsync(port => ChildServer.Start(
            ["-config_path", HelmConfig(port), "-log_config_path", log], new Dictionary<string, string> { ["POD_IP"] = "127.0.0.1" }));
        await using var stopped = server;

        Assert.Equal(new Uri($"http://127.0.0.1:{port}"), listening);
        using var http = new Http(listening);
        var (tooSmall, refusal) = await http.SendAsync(HttpMethod.Post, "/serverless/v1/functions", Http.Function(Http.Name(), cpu: 400));
        Assert.Equal(HttpStatusCode.BadRequest, tooSmall);
        Assert.Contains("[500, 4000]", (string)refusal!["message"]!, StringComparison.Ordinal);
        var (unknownRuntime, _) = await http.SendAsync(HttpMethod.Post, "/serverless/v1/functions", Http.Function(Http.Name(), runtime: "python3.12"));
        Assert.Equal(HttpStatusCode.BadRequest, unknownRuntime);
        var name = Http.Name();
        var (created, function) = await http.SendAsync(HttpMethod.Post, "/serverless/v1/functions", Http.Function(name));
        Assert.Equal(HttpStatusCode.OK, created);
        Assert.Equal(50, (int)function!["function"]!["maxInstance"]!);
        Assert.Equal(10, (int)function["function"]!["concurrentNum"]!);
        Assert.Equal(HttpStatusCode.Conflict, await PublishThreeAsync(http, name));
    }

    [Fact]
    public async Task ProcessDeploymentFile_KeepsRecordsUnderItsAzPrefix_AndListensOnItsIp()
    {
        var prefix = "az-" + Guid.NewGuid().ToString("N")[..8];
        var etcd = OriginalFiles.HostPort(SharedEtcd.Cluster.ClientUrls[0]);
        var log = OriginalFiles.Render("process-log.json", _directory, new Dictionary<string, string> { ["logConfigPath"] = _directory, ["logLevel"] = "INFO" });

        // Exactly as install.sh starts the original: --flag=value.
        var (server, listening, port) = await ChildServer.StartOnFreePortAsync(port => ChildServer.Start(
            [$"--config_path={ProcessConfig(etcd, etcd, prefix, port)}", $"--log_config_path={log}"]));
        await using var stopped = server;
        using var http = new Http(listening);
        var name = Http.Name();
        var (created, _) = await http.SendAsync(HttpMethod.Post, "/serverless/v1/functions", Http.Function(name, runtime: "python3.14"));

        Assert.Equal(new Uri($"http://127.0.0.1:{port}"), listening);
        Assert.Equal(HttpStatusCode.OK, created);
        var keys = await SharedEtcd.Cluster.EtcdctlAsync(["get", "--prefix", "--keys-only", $"/{prefix}/"], TestContext.Current.CancellationToken);
        Assert.Contains($"/{prefix}/repo/FunctionVersion/", keys, StringComparison.Ordinal);
        Assert.Contains(name, keys, StringComparison.Ordinal);
        Assert.Contains($"on etcd http://{etcd} (prefix /{prefix}), listening on http://127.0.0.1:{port}", server.OutputText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartLog_ListsTheUnusedMembersOnce_AndWarnsThatAuthenticationIsOff()
    {
        var etcd = OriginalFiles.HostPort(SharedEtcd.Cluster.ClientUrls[0]);
        var log = OriginalFiles.Render("process-log.json", _directory, new Dictionary<string, string> { ["logConfigPath"] = _directory, ["logLevel"] = "INFO" });

        var (server, _, _) = await ChildServer.StartOnFreePortAsync(port => ChildServer.Start(["-config_path", ProcessConfig(etcd, etcd, "az-unused", port), "-log_config_path", log]));
        await using var stopped = server;

        var unused = Assert.Single(server.Output, l => l.Contains("openYuanrong settings MetaService does not use", StringComparison.Ordinal));
        foreach (var member in new[] { "bucket", "fileServer", "trigger", "compatibleRuntimeType", "scc", "function.package", "function.aliasMax", "mutualTLSConfig", "filepath", "rolling" })
        {
            Assert.Contains(member, unused, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("function.versionMax", unused, StringComparison.Ordinal);
        Assert.Single(server.Output, l => l.Contains("authentication is off", StringComparison.Ordinal) && l.Contains("mutualSSLConfig", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("INFO", true)]
    [InlineData("WARN", false)]
    public async Task LogLevelOfTheLogFile_IsTheDefaultLevel_AndTheStartLineStays(string level, bool informationShown)
    {
        var etcd = OriginalFiles.HostPort(SharedEtcd.Cluster.ClientUrls[0]);
        var log = OriginalFiles.Render("process-log.json", _directory, new Dictionary<string, string> { ["logConfigPath"] = _directory, ["logLevel"] = level });

        var (server, _, _) = await ChildServer.StartOnFreePortAsync(port => ChildServer.Start(["-config_path", ProcessConfig(etcd, etcd, "az-level", port), "-log_config_path", log]));
        await using var stopped = server;

        // The host's "Now listening on" (Information) is written before the start line, on the same queue.
        Assert.Equal(informationShown, server.Output.Any(l => l.Contains("Now listening on", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MetaEtcdOtherThanEtcd_IsRefused_InOneLine()
    {
        var etcd = OriginalFiles.HostPort(SharedEtcd.Cluster.ClientUrls[0]);
        var config = OriginalFiles.Render("process-config.json", _directory, OriginalFiles.ProcessValues(etcd, "10.9.9.9:2379", "az1", Tools.FreePort()));
        await using var server = ChildServer.Start(["-config_path", config]);

        var exit = await server.ExitCodeAsync();

        Assert.Equal(1, exit);
        var line = Assert.Single(server.Errors);
        Assert.Contains("metaEtcd", line, StringComparison.Ordinal);
        Assert.Contains("one etcd", line, StringComparison.Ordinal);
    }

    private string HelmConfig(int port) => OriginalFiles.Render("helm-config.json", _directory, new Dictionary<string, string>
    {
        ["etcdAddr"] = OriginalFiles.HostPort(SharedEtcd.Cluster.ClientUrls[0]),
        ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private string ProcessConfig(string etcd, string metaEtcd, string prefix, int port) =>
        OriginalFiles.Render("process-config.json", _directory, OriginalFiles.ProcessValues(etcd, metaEtcd, prefix, port));

    /// <summary>Publishes three versions of <paramref name="name"/>; answers the third's status (the files allow two).</summary>
    private static async Task<HttpStatusCode> PublishThreeAsync(Http http, string name)
    {
        var status = HttpStatusCode.OK;
        for (var version = 1; version <= 3; version++)
        {
            var (_, current) = await http.SendAsync(HttpMethod.Get, "/serverless/v1/functions/" + name);
            var revision = (string)current!["function"]!["revisionId"]!;
            await http.SendAsync(HttpMethod.Put, "/serverless/v1/functions/" + name, $$"""{"revisionId":"{{revision}}","description":"v{{version}}"}""");
            (_, current) = await http.SendAsync(HttpMethod.Get, "/serverless/v1/functions/" + name);
            (status, _) = await http.SendAsync(HttpMethod.Post, $"/serverless/v1/functions/{name}/versions",
                $$"""{"revisionId":"{{(string)current!["function"]!["revisionId"]!}}","versionNumber":"v{{version}}"}""");
        }

        return status;
    }
}