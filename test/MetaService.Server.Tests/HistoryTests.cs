using System.Net;
using System.Text.Json.Nodes;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.History;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

namespace MetaService.Server.Tests;

/// <summary>Issue 19 points 1–3: every write's history entry (same transaction), the tenant trail, diff and restore,
/// secrets never answered, bad input refused with nothing written. Runs on both stores.</summary>
public sealed class HistoryTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<JsonNode> ResultAsync(HttpResponseMessage response) => (await Wire.OkAsync(response))["result"]!;

    internal static async Task<JsonArray> EntriesAsync(Api api, string name, string query = "")
    {
        using var response = await api.SendAsync(HttpMethod.Get, $"{api.PathOf(name)}/history{query}", null);
        return (await ResultAsync(response))["entries"]!.AsArray();
    }

    internal static async Task<string> UpdateAsync(Api api, string name, string revisionId, long memory, Dictionary<string, string>? environment = null)
    {
        var body = new JsonObject { ["revisionId"] = revisionId, ["memory"] = memory, ["storageType"] = "local", ["codePath"] = "/code" };
        if (environment is not null)
        {
            body["environment"] = new JsonObject(environment.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value)));
        }

        return (string)(await api.UpdateOkAsync(name, body))["revisionId"]!;
    }

    [Fact]
    public async Task EveryWrite_AppendsOneEntry_AtTheRevisionOfItsOwnTransaction()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;

        var updated = await UpdateAsync(api, name, created, 256);

        var entries = await EntriesAsync(api, name);
        Assert.Equal(["update", "create"], entries.Select(e => (string)e!["operation"]!));
        var update = entries[0]!;
        Assert.Equal(created, (string)update["revisionIdBefore"]!);
        Assert.Equal(updated, (string)update["revisionIdAfter"]!);
        Assert.Equal("anonymous", (string)update["actor"]!["principal"]!);
        Assert.Equal("default", (string)update["actor"]!["tenant"]!);
        Assert.False(string.IsNullOrEmpty((string?)update["traceId"]));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC$", (string)update["time"]!);
        var memory = Assert.Single(update["changes"]!.AsArray(), c => (string)c!["path"]! == "memory")!;
        Assert.Equal(("replace", 128L, 256L), ((string)memory["op"]!, (long)memory["from"]!, (long)memory["to"]!));
        var draft = await factory.Store.GetAsync(PlatformKeys.Record(Tenant.Default, name, "latest"), Cancel);
        Assert.Equal(draft!.ModRevision, (long)update["revision"]!);
    }

    [Fact]
    public async Task Secrets_NeverAppear_InHistoryTrailEntryOrDiff()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var body = Bodies.Faas(name);
        body["environment"] = new JsonObject { ["PASSWORD"] = "hunter2-first" };
        body["rootfs"] = JsonNode.Parse("""{"type":"s3","storageInfo":{"endpoint":"http://s3","bucket":"b","object":"o","accessKey":"AK-first-secret","secretKey":"SK-first-secret"}}""");
        var created = (string)(await api.CreateOkAsync(body))["revisionId"]!;
        await UpdateAsync(api, name, created, 256, new() { ["PASSWORD"] = "hunter2-second" });
        await api.PublishOkAsync(name, (string)(await api.GetOkAsync(name))["revisionId"]!, "v1", "faas");
        var revision = (long)(await EntriesAsync(api, name))[1]!["revision"]!;

        string[] answers =
        [
            await TextAsync(api, $"{api.PathOf(name)}/history"),
            await TextAsync(api, $"{api.PathOf(name)}/history/{revision}"),
            await TextAsync(api, $"/serverless/v1/history?name={Uri.EscapeDataString(name)}"),
            await TextAsync(api, $"{api.PathOf(name)}/diff?from=@{revision}&to=v1"),
        ];

        foreach (var answer in answers)
        {
            Assert.DoesNotContain("hunter2", answer, StringComparison.Ordinal);
            Assert.DoesNotContain("-secret", answer, StringComparison.Ordinal);
        }

        var change = Assert.Single((await EntriesAsync(api, name))[1]!["changes"]!.AsArray(), c => (string)c!["path"]! == "environment.PASSWORD")!;
        Assert.Equal(("replace", "changed", "changed"), ((string)change["op"]!, (string)change["from"]!, (string)change["to"]!));
    }

    private static async Task<string> TextAsync(Api api, string path)
    {
        using var response = await api.SendAsync(HttpMethod.Get, path, null);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return text;
    }

    [Fact]
    public async Task Deletes_AreInTheHistory_AndTheTrailKeepsADeletedFunction()
    {
        using var api = factory.CreateApi("hist" + Names.Hex());
        var name = Names.Faas();
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, created, "v1", "faas");
        await api.PublishOkAsync(name, await api.TouchAsync(name, created), "v2", "faas");
        (await api.DeleteAsync(name, "v1")).Dispose();

        (await api.DeleteAsync(name)).Dispose();

        Assert.Equal(["delete", "delete-version", "publish", "update", "publish", "create"], (await EntriesAsync(api, name)).Select(e => (string)e!["operation"]!));
        using var trail = await api.SendAsync(HttpMethod.Get, "/serverless/v1/history", null);
        var rows = (await ResultAsync(trail))["entries"]!.AsArray();
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal(name, (string)r!["name"]!));
        Assert.Null(rows[0]!["snapshot"]);
        using var deletes = await api.SendAsync(HttpMethod.Get, "/serverless/v1/history?operation=delete-version", null);
        Assert.Equal("v1", (string)Assert.Single((await ResultAsync(deletes))["entries"]!.AsArray())!["version"]!);
    }

    [Fact]
    public async Task Pages_FollowTheContinueToken_NewestFirst_WithoutGapsOrRepeats()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revisionId = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        for (var i = 0; i < 4; i++)
        {
            revisionId = await UpdateAsync(api, name, revisionId, 200 + i);
        }

        var seen = new List<long>();
        string? token = null;
        for (var page = 0; page < 10; page++)
        {
            using var response = await api.SendAsync(HttpMethod.Get, $"{api.PathOf(name)}/history?limit=2" + (token is null ? "" : "&continue=" + token), null);
            var result = await ResultAsync(response);
            seen.AddRange(result["entries"]!.AsArray().Select(e => (long)e!["revision"]!));
            token = (string?)result["continue"];
            if (token is null)
            {
                break;
            }
        }

        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.OrderDescending(), seen);
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Fact]
    public async Task Diff_BetweenVersionsDraftAndEntries_ListsTheChanges()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, created, "v1", "faas");
        await UpdateAsync(api, name, created, 512);
        var createdAt = (long)(await EntriesAsync(api, name))[^1]!["revision"]!;

        using var versions = await api.SendAsync(HttpMethod.Get, $"{api.PathOf(name)}/diff?from=v1&to=latest", null);
        using var entries = await api.SendAsync(HttpMethod.Get, $"{api.PathOf(name)}/diff?from=@{createdAt}&to=$latest", null);

        foreach (var changes in new[] { (await ResultAsync(versions))["changes"]!.AsArray(), (await ResultAsync(entries))["changes"]!.AsArray() })
        {
            var memory = Assert.Single(changes, c => (string)c!["path"]! == "memory")!;
            Assert.Equal((128L, 512L), ((long)memory["from"]!, (long)memory["to"]!));
        }
    }

    [Theory]
    [InlineData("/diff?from=v9&to=latest", HttpStatusCode.NotFound, 4116)]
    [InlineData("/diff?from=@999999999&to=latest", HttpStatusCode.NotFound, 4116)]
    [InlineData("/diff?from=@x&to=latest", HttpStatusCode.BadRequest, 4104)]
    [InlineData("/diff?to=latest", HttpStatusCode.BadRequest, 4104)]
    [InlineData("/diff?from=v1&to=bad%20version", HttpStatusCode.BadRequest, 4104)]
    [InlineData("/history?limit=abc", HttpStatusCode.BadRequest, 4104)]
    [InlineData("/history?limit=0", HttpStatusCode.BadRequest, 4104)]
    [InlineData("/history?limit=501", HttpStatusCode.BadRequest, 4104)]
    [InlineData("/history?continue=not-a-token", HttpStatusCode.BadRequest, 4104)]
    [InlineData("/history/abc", HttpStatusCode.BadRequest, 4104)]
    [InlineData("/history/999999999", HttpStatusCode.NotFound, 4116)]
    public async Task BadInput_IsRefused_WithCodeAndMessage_AndNothingWritten(string route, HttpStatusCode status, int code)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, created, "v1", "faas");

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Get, api.PathOf(name) + route, null));

        await Wire.AssertErrorAsync(response, status, code);
    }

    [Theory]
    [InlineData("/serverless/v1/history?since=yesterday")]
    [InlineData("/serverless/v1/history?until=2026-13-45")]
    [InlineData("/serverless/v1/history?operation=rename")]
    [InlineData("/serverless/v1/history?continue=%%%")]
    [InlineData("/serverless/v1/history?limit=-1")]
    public async Task Trail_BadQuery_IsA400(string path)
    {
        using var api = factory.CreateApi();

        using var response = await api.SendAsync(HttpMethod.Get, path, null);

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }

    [Fact]
    public async Task Trail_SinceAndUntil_BoundTheTimes()
    {
        using var api = factory.CreateApi("hist" + Names.Hex());
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));
        var time = DateTimeOffset.Parse(((string)(await EntriesAsync(api, name))[0]!["time"]!).Replace(" UTC", "Z", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);

        using var after = await api.SendAsync(HttpMethod.Get, $"/serverless/v1/history?since={Uri.EscapeDataString(time.AddSeconds(1).ToString("O"))}", null);
        using var before = await api.SendAsync(HttpMethod.Get, $"/serverless/v1/history?until={Uri.EscapeDataString(time.AddSeconds(-1).ToString("O"))}", null);
        using var around = await api.SendAsync(HttpMethod.Get, $"/serverless/v1/history?since={Uri.EscapeDataString(time.ToString("O"))}&until={Uri.EscapeDataString(time.ToString("O"))}", null);

        Assert.Empty((await ResultAsync(after))["entries"]!.AsArray());
        Assert.Empty((await ResultAsync(before))["entries"]!.AsArray());
        Assert.Single((await ResultAsync(around))["entries"]!.AsArray());
    }

    [Fact]
    public async Task Restore_FromAVersion_PutsItsConfigurationBack_AsOneEntry()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, created, "v1", "faas");
        var current = await UpdateAsync(api, name, created, 512);

        using var dry = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, $"{api.PathOf(name)}/restore?dryRun=true", $$"""{"from":"v1","revisionId":"{{current}}"}"""));
        var wouldChange = (await ResultAsync(dry))["changes"]!.AsArray();
        using var stale = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, $"{api.PathOf(name)}/restore", $$"""{"from":"v1","revisionId":"{{created}}"}"""));
        using var restored = await factory.Store.OneWriteAsync(() => api.SendAsync(HttpMethod.Post, $"{api.PathOf(name)}/restore", $$"""{"from":"v1","revisionId":"{{current}}"}"""));

        Assert.Contains(wouldChange, c => (string)c!["path"]! == "memory" && (long)c["to"]! == 128);
        await Wire.AssertErrorAsync(stale, HttpStatusCode.PreconditionFailed, 4134);
        var draft = (await Wire.OkAsync(restored))["result"]!;
        Assert.Equal(128, (long)draft["memory"]!);
        Assert.Equal("latest", (string)draft["versionNumber"]!);
        Assert.NotEqual(current, (string)draft["revisionId"]!);
        var entry = (await EntriesAsync(api, name))[0]!;
        Assert.Equal(("restore", current), ((string)entry["operation"]!, (string)entry["revisionIdBefore"]!));
    }

    [Fact]
    public async Task Restore_FromAnEntry_WithIfMatch_TakesItsSnapshot()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        var second = await UpdateAsync(api, name, created, 300);
        var third = await UpdateAsync(api, name, second, 400);
        var at300 = (long)(await EntriesAsync(api, name))[1]!["revision"]!;

        using var restored = await api.SendAsync(HttpMethod.Post, $"{api.PathOf(name)}/restore", $$"""{"from":"@{{at300}}"}""", "application/json", ("If-Match", $"\"{third}\""));

        Assert.Equal(300, (long)(await Wire.OkAsync(restored))["result"]!["memory"]!);
    }

    [Theory]
    [InlineData("""{"from":"v9","revisionId":"1"}""", HttpStatusCode.NotFound, 4116)]
    [InlineData("""{"from":"@123456789","revisionId":"1"}""", HttpStatusCode.NotFound, 4116)]
    [InlineData("""{"from":"latest","revisionId":"1"}""", HttpStatusCode.BadRequest, 4104)]
    [InlineData("""{"from":"@nope","revisionId":"1"}""", HttpStatusCode.BadRequest, 4104)]
    [InlineData("""{"from":"v1"}""", HttpStatusCode.BadRequest, 4104)]
    [InlineData("""{"revisionId":"1"}""", HttpStatusCode.BadRequest, 4104)]
    [InlineData("""[1]""", HttpStatusCode.BadRequest, 130600)]
    public async Task Restore_BadInput_IsRefused_AndNothingWritten(string body, HttpStatusCode status, int code)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, created, "v1", "faas");

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, $"{api.PathOf(name)}/restore", body));

        await Wire.AssertErrorAsync(response, status, code);
    }

    [Fact]
    public async Task ReservedInstanceWrites_AreInTheHistory()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));
        var reserve = $$"""{"funcName":"{{name}}","version":"latest","instanceLabel":"gpu","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":3,"minInstance":1}]}""";

        (await api.SendAsync(HttpMethod.Post, $"{api.Root}/reserve-instance", reserve)).Dispose();
        (await api.SendAsync(HttpMethod.Put, $"{api.Root}/reserve-instance", reserve.Replace("\"maxInstance\":3", "\"maxInstance\":5", StringComparison.Ordinal))).Dispose();
        (await api.SendAsync(HttpMethod.Delete, $"{api.Root}/reserve-instance", $$"""{"funcName":"{{name}}","version":"latest","instanceLabel":"gpu"}""")).Dispose();

        var entries = await EntriesAsync(api, name);
        Assert.Equal(["reserve-delete", "reserve-update", "reserve-create", "create"], entries.Select(e => (string)e!["operation"]!));
        var update = Assert.Single(entries[1]!["changes"]!.AsArray())!;
        Assert.Equal("reservedInstances.gpu.cluster001", (string)update["path"]!);
        Assert.Equal((3L, 5L), ((long)update["from"]!["maxInstance"]!, (long)update["to"]!["maxInstance"]!));
    }

    [Fact]
    public async Task Pruning_KeepsTheNewestEntriesOfEachFunction_AndTheirTrail()
    {
        using var api = factory.CreateApi("hist" + Names.Hex());
        var name = Names.Faas();
        var revisionId = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        for (var i = 0; i < 4; i++)
        {
            revisionId = await UpdateAsync(api, name, revisionId, 200 + i);
        }

        var newest = (await EntriesAsync(api, name)).Take(2).Select(e => (long)e!["revision"]!).ToList();

        await new HistoryPruning(factory.Store, new HistoryOptions { MaxEntriesPerFunction = 2 }).PruneAsync(DateTimeOffset.UtcNow, Cancel);

        Assert.Equal(newest, (await EntriesAsync(api, name)).Select(e => (long)e!["revision"]!));
        using var trail = await api.SendAsync(HttpMethod.Get, "/serverless/v1/history", null);
        Assert.Equal(newest, (await ResultAsync(trail))["entries"]!.AsArray().Select(e => (long)e!["revision"]!));
        await new HistoryPruning(factory.Store, new HistoryOptions { MaxAgeDays = 1 }).PruneAsync(DateTimeOffset.UtcNow.AddDays(2), Cancel);
        Assert.Empty(await EntriesAsync(api, name));
        Assert.Empty((await factory.Store.RangeKeysAsync(HistoryKeys.Root, cancellationToken: Cancel)).Items);
    }

    [Fact]
    public async Task AnEntryWhoseSnapshotIsAtTheEarlierKey_StillAnswersIt_AndIsPrunedWithIt()
    {
        var tenant = "hist" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        // An entry at keys: the create's own on a store without an append log (etcd); on the embedded store, one as an
        // earlier MetaService kept it.
        if (factory.Store.Appends is not null)
        {
            var draft = (await factory.Store.GetAsync(PlatformKeys.Record(new Tenant(tenant), name, FunctionKinds.DraftFaas), Cancel))!;
            await using var keyed = new WithoutAppendLog(factory.Store, ownsInner: false);
            var write = new HistoryWrite(HistoryOperations.Update, name, FunctionKinds.DraftFaas, null, FunctionEntry.Decode(draft.Key, draft.Value));
            await factory.Store.TxnAsync([], await new HistoryLog(new HistoryOptions(), TimeProvider.System).WritesAsync(keyed, new Tenant(tenant), write, Cancel), Cancel);
        }

        var entry = Assert.Single((await factory.Store.RangeAsync($"{HistoryKeys.AllFunctions}{tenant}/", cancellationToken: Cancel)).Items);
        var snapshot = await factory.Store.GetAsync(HistoryKeys.SnapshotKeyOf(entry.Key), Cancel);
        Assert.NotNull(snapshot);
        var earlier = HistoryKeys.EarlierSnapshotKeyOf(entry.Key);
        Assert.True((await factory.Store.TxnAsync([], [new WriteOp.Delete(snapshot.Key), new WriteOp.Put(earlier, snapshot.Value)], Cancel)).Succeeded);

        var answered = await ResultAsync(await api.SendAsync(HttpMethod.Get, $"{api.PathOf(name)}/history/{entry.ModRevision}", null));

        Assert.Equal(name, (string)answered["snapshot"]!["name"]!);
        await new HistoryPruning(factory.Store, new HistoryOptions { MaxAgeDays = 1 }).PruneAsync(DateTimeOffset.UtcNow.AddDays(2), Cancel);
        Assert.Null(await factory.Store.GetAsync(earlier, Cancel));
        Assert.Null(await factory.Store.GetAsync(entry.Key, Cancel));
    }
}