using System.Net;
using System.Text.Json;

using static MetaService.Server.Tests.AliasRequests;

namespace MetaService.Server.Tests;

/// <summary>
/// Proof that openYuanrong would route as intended: the published key is read back from the store and resolved with the
/// consumers' own algorithm (<see cref="AliasConsumer"/>, from §2.6 of the reference): smooth weighted round robin with
/// weight × 100, and header rules.
/// </summary>
public sealed class AliasProofTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private static readonly Dictionary<string, string> NoHeaders = [];

    [Fact]
    public async Task Weights20And80_Give200And800Of1000Picks()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v2","routingConfig":{"v1":20,"v2":80}}""");

        var counts = AliasConsumer.Count(await ReadAsync(name, "prod"), 1000);

        Assert.Equal(200, counts[Formats.FunctionUrn(name) + ":v1"]);
        Assert.Equal(800, counts[Formats.FunctionUrn(name) + ":v2"]);
    }

    [Fact]
    public async Task ThreeWay50And30And20_Gives500And300And200()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2", "v3");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1","routingConfig":{"v3":20,"v1":50,"v2":30}}""");

        var counts = AliasConsumer.Count(await ReadAsync(name, "prod"), 1000);

        Assert.Equal(500, counts[Formats.FunctionUrn(name) + ":v1"]);
        Assert.Equal(300, counts[Formats.FunctionUrn(name) + ":v2"]);
        Assert.Equal(200, counts[Formats.FunctionUrn(name) + ":v3"]);
    }

    [Fact]
    public async Task WithoutRoutingConfig_AllTrafficGoesToTheFunctionVersion()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v2"}""");

        var counts = AliasConsumer.Count(await ReadAsync(name, "prod"), 10);

        Assert.Equal(10, counts[Formats.FunctionUrn(name) + ":v2"]);
    }

    [Fact]
    public async Task RuleIn_SendsMatchingRequestsToTheGrayVersion_AndOthersToTheFunctionVersion()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1","routingType":"rule","routingRules":{"ruleLogic":"and","rules":["x-user:in:a,b"],"grayVersion":"v2"}}""");
        var consumer = new AliasConsumer(await ReadAsync(name, "prod"));
        var urn = Formats.FunctionUrn(name);

        Assert.Equal(urn + ":v2", consumer.Resolve(new Dictionary<string, string> { ["x-user"] = "a" }));
        Assert.Equal(urn + ":v2", consumer.Resolve(new Dictionary<string, string> { ["x-user"] = "b" }));
        Assert.Equal(urn + ":v1", consumer.Resolve(new Dictionary<string, string> { ["x-user"] = "c" }));
        Assert.Equal(urn + ":v1", consumer.Resolve(new Dictionary<string, string> { ["x-other"] = "a" }));
        Assert.Equal(urn + ":v1", consumer.Resolve(NoHeaders));
    }

    [Fact]
    public async Task TheKeyHasTheTenSegmentsTheConsumersFilterOn_AndIsGoneAfterDelete()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");
        var segments = PublishedKey(name, "prod").Split('/');

        using var deleted = await api.DeleteAliasAsync(name, "prod");

        Assert.Equal(10, segments.Length);
        Assert.Equal(("aliases", "tenant", "function"), (segments[2], segments[5], segments[7]));
        await Wire.OkAsync(deleted);
        Assert.Null(await factory.Store.PublishedAsync(name, "prod"));
    }

    [Fact]
    public async Task AfterARefusedVersionDelete_RoutingIsUnchanged()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v2","routingConfig":{"v1":20,"v2":80}}""");
        var before = (await ReadAsync(name, "prod")).GetRawText();

        await factory.Store.NothingWrittenAsync(async () =>
        {
            using var refused = await api.DeleteAsync(name, "v1");
            return await Wire.AssertErrorAsync(refused, HttpStatusCode.Conflict, 4105);
        });

        Assert.Equal(before, (await ReadAsync(name, "prod")).GetRawText());
        Assert.Equal(200, AliasConsumer.Count(await ReadAsync(name, "prod"), 1000)[Formats.FunctionUrn(name) + ":v1"]);
        Assert.NotNull(await factory.Store.GetAsync($"/repo/FunctionVersion/yrk/default//{name}/v1/", TestContext.Current.CancellationToken));
    }

    private async Task<JsonElement> ReadAsync(string name, string alias) =>
        await factory.Store.PublishedAsync(name, alias) ?? throw new Xunit.Sdk.XunitException($"{PublishedKey(name, alias)} is not in the store");
}