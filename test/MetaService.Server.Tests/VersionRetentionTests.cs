using System.Net;

namespace MetaService.Server.Tests;

/// <summary>A function's version retention: without it a publish at Meta:VersionMax is 4110 as in the original; with it the
/// publish prunes the oldest versions no alias routes to, in its own transaction.</summary>
public sealed class VersionRetentionTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private static string Path(Api api, string name) => $"{api.Root}/{Uri.EscapeDataString(name)}/retention";

    [Fact]
    public async Task WithoutRetention_APublishAtTheLimit_Is409With4110()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8");
        var revision = (string)(await api.GetOkAsync(name))["revisionId"]!;

        using var get = await api.SendAsync(HttpMethod.Get, Path(api, name), null);
        using var refused = await api.PublishAsync(name, new System.Text.Json.Nodes.JsonObject { ["revisionId"] = revision, ["versionNumber"] = "v9" });

        Assert.Equal(0, (int)(await Wire.OkAsync(get))["result"]!["keepVersions"]!);
        await Wire.AssertErrorAsync(refused, HttpStatusCode.Conflict, 4110);
    }

    [Fact]
    public async Task WithRetention_APublishPrunesTheOldestVersionsNoAliasRoutesTo()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2", "v3");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");
        using var set = await api.SendAsync(HttpMethod.Put, Path(api, name), """{"keepVersions":3}""");
        await Wire.OkAsync(set);
        var revision = (string)(await api.GetOkAsync(name))["revisionId"]!;

        await api.PublishOkAsync(name, revision, "v4");

        var versions = (await api.ListRowsAsync("?name=" + Uri.EscapeDataString(name))).Select(f => (string)f["versionNumber"]!).Order().ToList();
        Assert.Equal(["latest", "v1", "v3", "v4"], versions);
        Assert.Null(await factory.Store.GetAsync($"/sn/functions/business/yrk/tenant/default/function/{name}/version/v2", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WithRetention_WhenEveryOlderVersionIsRouted_APublishIs4110_AndWritesNothing()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1","routingConfig":{"v1":50,"v2":50}}""");
        using var set = await api.SendAsync(HttpMethod.Put, Path(api, name), """{"keepVersions":2}""");
        await Wire.OkAsync(set);
        var revision = (string)(await api.GetOkAsync(name))["revisionId"]!;

        await factory.Store.NothingWrittenAsync(async () =>
        {
            using var refused = await api.PublishAsync(name, new System.Text.Json.Nodes.JsonObject { ["revisionId"] = revision, ["versionNumber"] = "v3" });
            return await Wire.AssertErrorAsync(refused, HttpStatusCode.Conflict, 4110);
        });
    }

    [Fact]
    public async Task Retention_OutOfRange_Is400_AndWritesNothing()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1");

        await factory.Store.NothingWrittenAsync(async () =>
        {
            using var refused = await api.SendAsync(HttpMethod.Put, Path(api, name), """{"keepVersions":9}""");
            return await Wire.AssertErrorAsync(refused, HttpStatusCode.BadRequest, 4104);
        });
    }
}