using System.Text.Json;

using static MetaService.Server.Tests.AliasRequests;

namespace MetaService.Server.Tests;

/// <summary>The published alias key read from a real etcd with <c>etcdctl</c>, as an openYuanrong operator or consumer sees it,
/// and resolved with the consumers' algorithm (<see cref="AliasConsumer"/>).</summary>
public sealed class AliasEtcdctlTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private async Task<string> EtcdctlGetAsync(string key) =>
        (await SharedEtcd.Cluster.EtcdctlAsync(["get", $"/t{factory.Id}{key}", "--print-value-only"], TestContext.Current.CancellationToken)).Trim();

    [Fact]
    public async Task Weights20And80_ReadWithEtcdctl_Give200And800Of1000Picks_AndTheKeyIsGoneAfterDelete()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v2","routingConfig":{"v1":20,"v2":80}}""");

        var value = await EtcdctlGetAsync(PublishedKey(name, "prod"));
        var counts = AliasConsumer.Count(JsonDocument.Parse(value).RootElement, 1000);
        using var deleted = await api.DeleteAliasAsync(name, "prod");
        await Wire.OkAsync(deleted);
        var after = await EtcdctlGetAsync(PublishedKey(name, "prod"));

        Assert.Equal(200, counts[Formats.FunctionUrn(name) + ":v1"]);
        Assert.Equal(800, counts[Formats.FunctionUrn(name) + ":v2"]);
        Assert.Equal("", after);
    }

    [Fact]
    public async Task ARule_ReadWithEtcdctl_RoutesMatchingHeadersToTheGrayVersion()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        await api.CreateAliasOkAsync(name, """{"name":"gray","functionVersion":"v1","routingType":"rule","routingRules":{"ruleLogic":"or","rules":["x-user:in:a,b","x-level:>=:5"],"grayVersion":"v2"}}""");

        var consumer = new AliasConsumer(JsonDocument.Parse(await EtcdctlGetAsync(PublishedKey(name, "gray"))).RootElement);
        var urn = Formats.FunctionUrn(name);

        Assert.Equal(urn + ":v2", consumer.Resolve(new Dictionary<string, string> { ["x-user"] = "b" }));
        Assert.Equal(urn + ":v2", consumer.Resolve(new Dictionary<string, string> { ["x-level"] = "7" }));
        Assert.Equal(urn + ":v1", consumer.Resolve(new Dictionary<string, string> { ["x-user"] = "z", ["x-level"] = "4" }));
    }
}