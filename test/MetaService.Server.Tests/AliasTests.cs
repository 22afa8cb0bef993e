using System.Net;
using System.Text.Json;

using static MetaService.Server.Tests.AliasRequests;
using static MetaService.Server.Tests.EditRequests;

namespace MetaService.Server.Tests;

/// <summary>The alias routes (issue 20): the original's models and codes, the published key written and deleted with the
/// alias, the fixes of §2.8 (a new revisionId on every change, checked in the transaction; routed versions protected),
/// and GET ?qualifier=&lt;alias&gt;.</summary>
public sealed class AliasTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Create_AnswersTheAlias_StoresTheOriginalsRecord_AndPublishesTheKeyTheConsumersRead()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");

        using var response = await api.CreateAliasAsync(name, """{"name":"prod","functionVersion":"v2","description":"canary","routingConfig":{"v2":80,"v1":20}}""");
        var alias = (await Wire.OkAsync(response))["result"]!;

        var urn = Formats.FunctionUrn(name);
        Assert.Equal($"{urn}:prod", (string?)alias["aliasUrn"]);
        Assert.Equal("prod", (string?)alias["name"]);
        Assert.Equal("v2", (string?)alias["functionVersion"]);
        Assert.Equal("canary", (string?)alias["description"]);
        Assert.Matches(Formats.RevisionId(), (string)alias["revisionId"]!);
        Assert.Equal(Tag((string)alias["revisionId"]!), ETagOf(response));
        Assert.Equal(20, (int)alias["routingConfig"]!["v1"]!);
        var record = JsonDocument.Parse((await factory.Store.GetAsync($"/repo/Alias/yrk/default//{name}/prod/", TestContext.Current.CancellationToken))!.Value).RootElement;
        Assert.Equal("prod", record.GetProperty("Name").GetString());
        Assert.Equal(name, record.GetProperty("FunctionName").GetString());
        Assert.Equal((string?)alias["revisionId"], record.GetProperty("RevisionID").GetString());
        Assert.Equal(80, record.GetProperty("RoutingConfig").GetProperty("v2").GetInt32());
        var published = (await factory.Store.PublishedAsync(name, "prod"))!.Value;
        Assert.Equal(
            $$"""{"aliasUrn":"{{urn}}:prod","functionUrn":"{{urn}}","functionVersionUrn":"{{urn}}:v2","name":"prod","functionVersion":"v2","revisionId":"{{alias["revisionId"]}}","description":"canary","routingconfig":[{"functionVersionUrn":"{{urn}}:v1","weight":20},{"functionVersionUrn":"{{urn}}:v2","weight":80}]}""",
            published.GetRawText());
    }

    [Fact]
    public async Task GetAndList_AnswerTheAliases_TotalCountsThemAll_AndPagesAreNewestFirst()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1");
        foreach (var alias in new[] { "a1", "a2", "a3" })
        {
            await api.CreateAliasOkAsync(name, $$"""{"name":"{{alias}}","functionVersion":"v1"}""");
        }

        var got = await api.GetAliasOkAsync(name, "a2");
        using var page = await api.SendAsync(HttpMethod.Get, api.AliasesPath(name) + "?pageIndex=1&pageSize=2", null);
        var result = (await Wire.OkAsync(page))["result"]!;

        Assert.Equal("a2", (string?)got["name"]);
        Assert.Equal(100, (int)got["routingConfig"]!["v1"]!);
        Assert.Equal(3, (int)result["total"]!);
        Assert.Equal(["a3", "a2"], result["aliases"]!.AsArray().Select(a => (string)a!["name"]!));
    }

    [Fact]
    public async Task Update_GivesANewRevisionId_RepublishesTheKey_AndAStaleRevisionIdIs412With4134()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        var created = await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");
        var first = (string)created["revisionId"]!;

        var updated = await api.UpdateAliasOkAsync(name, "prod", $$$"""{"revisionId":"{{{first}}}","functionVersion":"v2","routingConfig":{"v1":50,"v2":50}}""");
        using var stale = await api.UpdateAliasAsync(name, "prod", $$"""{"revisionId":"{{first}}","functionVersion":"v1"}""");

        Assert.NotEqual(first, (string?)updated["revisionId"]);
        await Wire.AssertErrorAsync(stale, HttpStatusCode.PreconditionFailed, 4134);
        var published = (await factory.Store.PublishedAsync(name, "prod"))!.Value;
        Assert.Equal((string?)updated["revisionId"], published.GetProperty("revisionId").GetString());
        Assert.Equal(2, published.GetProperty("routingconfig").GetArrayLength());
    }

    [Fact]
    public async Task EveryAliasWrite_AppendsAnEntryToTheFunctionsHistory_WithTheAliasChanges()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        var first = (string)(await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}"""))["revisionId"]!;
        var second = (string)(await api.UpdateAliasOkAsync(name, "prod", $$$"""{"revisionId":"{{{first}}}","functionVersion":"v2","routingConfig":{"v1":20,"v2":80}}"""))["revisionId"]!;
        using (var rolledBack = await api.SendAsync(HttpMethod.Post, $"{api.Root}/{Uri.EscapeDataString(name)}/aliases/prod/rollback", null))
        using (var deleted = await api.DeleteAliasAsync(name, "prod"))
        {
            await Wire.OkAsync(rolledBack);
            await Wire.OkAsync(deleted);
        }

        using var history = await api.SendAsync(HttpMethod.Get, $"{api.Root}/{Uri.EscapeDataString(name)}/history", null);
        var entries = (await Wire.OkAsync(history))["result"]!["entries"]!.AsArray().Where(e => ((string)e!["operation"]!).StartsWith("alias-", StringComparison.Ordinal)).ToList();

        Assert.Equal(["alias-delete", "alias-rollback", "alias-update", "alias-create"], entries.Select(e => (string)e!["operation"]!));
        var update = entries[2]!["changes"]!.AsArray();
        var version = Assert.Single(update, c => (string)c!["path"]! == "aliases.prod.FunctionVersion")!;
        Assert.Equal(("replace", "v1", "v2"), ((string)version["op"]!, (string)version["from"]!, (string)version["to"]!));
        Assert.Contains(update, c => (string)c!["path"]! == "aliases.prod.RevisionID" && (string)c["to"]! == second);
        Assert.All(entries[0]!["changes"]!.AsArray(), c => Assert.Equal("remove", (string)c!["op"]!));
    }

    [Fact]
    public async Task ConcurrentUpdates_WithOneRevisionId_OneWins()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        var revision = (string)(await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}"""))["revisionId"]!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            api.UpdateAliasAsync(name, "prod", $$"""{"revisionId":"{{revision}}","description":"d{{i}}","functionVersion":"v2"}""")));

        await Wire.AssertOneWinnerAsync(responses, HttpStatusCode.PreconditionFailed, 4134);
    }

    [Fact]
    public async Task IfMatch_OnUpdateDeleteAndRollback_IsCheckedAgainstTheAlias()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        var first = (string)(await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}"""))["revisionId"]!;

        using var byHeader = await api.UpdateAliasAsync(name, "prod", """{"functionVersion":"v2"}""", IfMatch(Tag(first)));
        var second = (string)(await Wire.OkAsync(byHeader))["result"]!["revisionId"]!;
        using var staleRollback = await api.RollbackAsync(name, "prod", IfMatch(Tag(first)));
        using var staleDelete = await api.DeleteAliasAsync(name, "prod", IfMatch(Tag(first)));
        using var delete = await api.DeleteAliasAsync(name, "prod", IfMatch(Tag(second)));

        await Wire.AssertErrorAsync(staleRollback, HttpStatusCode.PreconditionFailed, 4134);
        await Wire.AssertErrorAsync(staleDelete, HttpStatusCode.PreconditionFailed, 4134);
        await Wire.OkAsync(delete);
    }

    [Fact]
    public async Task Delete_RemovesTheRecordAndThePublishedKey_AndASecondDeleteIs404With4117()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");

        using var deleted = await api.DeleteAliasAsync(name, "prod");
        using var again = await api.DeleteAliasAsync(name, "prod");
        using var get = await api.GetAliasAsync(name, "prod");

        Assert.Equal("""{"code":0,"message":"","result":null}""", await deleted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await Wire.AssertErrorAsync(again, HttpStatusCode.NotFound, 4117);
        await Wire.AssertErrorAsync(get, HttpStatusCode.NotFound, 4117);
        Assert.Null(await factory.Store.PublishedAsync(name, "prod"));
        Assert.Empty((await factory.Store.RangeAsync($"/repo/Alias/yrk/default//{name}/", cancellationToken: TestContext.Current.CancellationToken)).Items);
        Assert.Empty((await factory.Store.RangeAsync($"/repo/AliasRoutingIndex/yrk/default//{name}/", cancellationToken: TestContext.Current.CancellationToken)).Items);
    }

    [Fact]
    public async Task FunctionDeleteAll_RemovesItsAliases_TheirKeys_AndMetaServicesOwnAliasKeys()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        var revision = (string)(await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}"""))["revisionId"]!;
        await api.UpdateAliasOkAsync(name, "prod", $$"""{"revisionId":"{{revision}}","functionVersion":"v2"}""");

        using var deleted = await api.DeleteAsync(name);

        await Wire.OkAsync(deleted);
        var left = (await factory.Store.RangeAsync("/", cancellationToken: TestContext.Current.CancellationToken)).Items
            .Select(kv => kv.Key).Where(k => k.Contains($"/{name}", StringComparison.Ordinal) && !k.StartsWith(Core.History.HistoryKeys.Root, StringComparison.Ordinal)).ToList();

        // The function's history stays: the tenant's trail keeps deleted functions (docs/api.md, History).
        Assert.Empty(left);
    }

    [Fact]
    public async Task AVersionAnyAliasRoutesTo_CannotBeDeleted_409With4105_AndNothingChanges()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2", "v3", "v4");
        await api.CreateAliasOkAsync(name, """{"name":"aa","functionVersion":"v1","routingConfig":{"v1":50,"v2":50}}""");
        await api.CreateAliasOkAsync(name, """{"name":"bb","functionVersion":"v2","routingConfig":{"v2":100}}""");
        await api.CreateAliasOkAsync(name, """{"name":"cc","functionVersion":"v4","routingType":"rule","routingRules":{"ruleLogic":"and","rules":["x-user:=:a"],"grayVersion":"v3"}}""");

        foreach (var version in new[] { "v1", "v2", "v3", "v4" })
        {
            var message = await factory.Store.NothingWrittenAsync(async () =>
            {
                using var refused = await api.DeleteAsync(name, version);
                return await Wire.AssertErrorAsync(refused, HttpStatusCode.Conflict, 4105);
            });
            Assert.StartsWith("this version is occupied by an alias. remove the mapping first", message);
        }

        // Deleting one of two aliases routing to v2 leaves v2 protected (the original's single-valued index unlocked it).
        using var deleteA = await api.DeleteAliasAsync(name, "aa");
        await Wire.OkAsync(deleteA);
        using var stillRouted = await api.DeleteAsync(name, "v2");
        await Wire.AssertErrorAsync(stillRouted, HttpStatusCode.Conflict, 4105);
        using var freed = await api.DeleteAsync(name, "v1");
        await Wire.OkAsync(freed);
    }

    [Fact]
    public async Task AnAliasCreate_RacingADeleteOfItsVersion_NeverLeavesAnAliasOnADeletedVersion()
    {
        using var api = factory.CreateApi();
        for (var round = 0; round < 12; round++)
        {
            var name = await api.FunctionWithVersionsAsync("v1");

            var create = api.CreateAliasAsync(name, """{"name":"prod","functionVersion":"v1"}""");
            var delete = api.DeleteAsync(name, "v1");
            using var created = await create;
            using var deleted = await delete;

            var aliasKept = created.StatusCode == HttpStatusCode.OK;
            var versionGone = deleted.StatusCode == HttpStatusCode.OK;
            Assert.True(aliasKept != versionGone, $"round {round}: alias create {(int)created.StatusCode}, version delete {(int)deleted.StatusCode}");
            await Wire.AssertClientErrorAsync(aliasKept ? deleted : created);
            Assert.Equal(aliasKept, await factory.Store.PublishedAsync(name, "prod") is not null);
            Assert.Equal(versionGone, await factory.Store.GetAsync($"/repo/FunctionVersion/yrk/default//{name}/v1/", TestContext.Current.CancellationToken) is null);
        }
    }

    [Fact]
    public async Task AVersionNoLongerRouted_AfterAnUpdate_CanBeDeleted()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        var revision = (string)(await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v2","routingConfig":{"v1":50,"v2":50}}"""))["revisionId"]!;
        await api.UpdateAliasOkAsync(name, "prod", $$$"""{"revisionId":"{{{revision}}}","routingConfig":{"v2":100}}""");

        using var deleted = await api.DeleteAsync(name, "v1");

        await Wire.OkAsync(deleted);
        Assert.Null(await factory.Store.GetAsync($"/repo/AliasRoutingIndex/yrk/default//{name}/v1/", TestContext.Current.CancellationToken));
        Assert.NotNull(await factory.Store.GetAsync($"/repo/AliasRoutingIndex/yrk/default//{name}/v2/", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Rollback_RestoresThePreviousRouting_AsANewRevision_AndASecondRollbackUndoesIt()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        var created = await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");
        var shifted = await api.UpdateAliasOkAsync(name, "prod", $$$"""{"revisionId":"{{{created["revisionId"]}}}","routingConfig":{"v1":80,"v2":20}}""");

        using var back = await api.RollbackAsync(name, "prod");
        var rolled = (await Wire.OkAsync(back))["result"]!;
        using var forth = await api.RollbackAsync(name, "prod");
        var again = (await Wire.OkAsync(forth))["result"]!;

        Assert.Equal(100, (int)rolled["routingConfig"]!["v1"]!);
        Assert.Null(rolled["routingConfig"]!["v2"]);
        Assert.NotEqual((string?)shifted["revisionId"], (string?)rolled["revisionId"]);
        Assert.Equal(Tag((string)rolled["revisionId"]!), ETagOf(back));
        Assert.Equal(20, (int)again["routingConfig"]!["v2"]!);
        Assert.Equal(1, (await factory.Store.PublishedAsync(name, "prod"))!.Value.GetProperty("routingconfig").EnumerateArray().Count(e => e.GetProperty("weight").GetInt32() == 20));
    }

    [Fact]
    public async Task Rollback_OfAnAliasThatNeverChangedItsRouting_Is409_AndWritesNothing()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");

        await factory.Store.NothingWrittenAsync(async () =>
        {
            using var refused = await api.RollbackAsync(name, "prod");
            return await Wire.AssertErrorAsync(refused, HttpStatusCode.Conflict, 4104);
        });
    }

    [Fact]
    public async Task GetFunction_WithAnAliasQualifier_AnswersItsFunctionVersion_AndAnUnknownAliasIs404()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v2","routingConfig":{"v1":90,"v2":10}}""");
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}";

        using var aliased = await api.SendAsync(HttpMethod.Get, path + "?qualifier=prod", null);
        using var unknown = await api.SendAsync(HttpMethod.Get, path + "?qualifier=nosuch", null);

        Assert.Equal("v2", (string?)(await Wire.OkAsync(aliased))["function"]!["versionNumber"]);
        await Wire.AssertErrorAsync(unknown, HttpStatusCode.NotFound, 4115);
    }

    [Fact]
    public async Task CreateLimitAndDuplicates_Answer4111And4102_WithNothingWritten()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1");
        for (var i = 0; i < 8; i++)
        {
            await api.CreateAliasOkAsync(name, $$"""{"name":"a{{i}}","functionVersion":"v1"}""");
        }

        await factory.Store.NothingWrittenAsync(async () =>
        {
            using var duplicate = await api.CreateAliasAsync(name, """{"name":"a1","functionVersion":"v1"}""");
            using var ninth = await api.CreateAliasAsync(name, """{"name":"a8","functionVersion":"v1"}""");
            await Wire.AssertErrorAsync(duplicate, HttpStatusCode.Conflict, 4102);
            return await Wire.AssertErrorAsync(ninth, HttpStatusCode.Conflict, 4111);
        });
    }

    [Fact]
    public async Task DryRun_AnswersAsTheWriteWould_AndWritesNothing()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1");

        var answer = await factory.Store.NothingWrittenAsync(async () =>
        {
            using var response = await api.SendAsync(HttpMethod.Post, api.AliasesPath(name) + "?dryRun=true", """{"name":"prod","functionVersion":"v1"}""", "application/json");
            Assert.Equal("true", response.Headers.GetValues("X-Dry-Run").Single());
            return (await Wire.OkAsync(response))["result"]!;
        });

        Assert.Equal("prod", (string?)answer["name"]);
        using var get = await api.GetAliasAsync(name, "prod");
        await Wire.AssertErrorAsync(get, HttpStatusCode.NotFound, 4117);
    }

    [Fact]
    public async Task IdempotencyKey_OnCreate_ReplaysTheFirstAnswer_AndCreatesOnce()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1");
        var body = """{"name":"prod","functionVersion":"v1"}""";

        using var first = await api.CreateAliasAsync(name, body, ("Idempotency-Key", "k-" + name));
        var firstBody = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var second = await factory.Store.NothingWrittenAsync(async () => await api.CreateAliasAsync(name, body, ("Idempotency-Key", "k-" + name)));
        using var _ = second;

        await AssertStatusAsync(first, HttpStatusCode.OK);
        await AssertStatusAsync(second, HttpStatusCode.OK);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(ETagOf(first), ETagOf(second));
        Assert.Equal(("application/json; charset=utf-8", "application/json; charset=utf-8"), (first.Content.Headers.ContentType?.ToString(), second.Content.Headers.ContentType?.ToString()));
    }

    [Fact]
    public async Task AdminRoot_ServesTheSameAliases()
    {
        using var api = factory.CreateApi();
        using var admin = factory.CreateApi(root: Api.AdminRoot);
        var name = await api.FunctionWithVersionsAsync("v1");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");

        Assert.Equal("v1", (string?)(await admin.GetAliasOkAsync(name, "prod"))["functionVersion"]);
    }

    [Fact]
    public async Task AliasesAreScopedByTenant()
    {
        using var api = factory.CreateApi();
        using var other = factory.CreateApi(tenant: "other");
        var name = await api.FunctionWithVersionsAsync("v1");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");

        using var get = await other.GetAliasAsync(name, "prod");
        using var create = await other.CreateAliasAsync(name, """{"name":"prod","functionVersion":"v1"}""");

        await Wire.AssertErrorAsync(get, HttpStatusCode.NotFound, 4117);
        await Wire.AssertErrorAsync(create, HttpStatusCode.NotFound, 4115);
    }
}