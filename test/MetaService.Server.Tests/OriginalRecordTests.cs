using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using MetaService.Core.Catalog;
using MetaService.Core.Records;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests;

/// <summary>
/// A store that openYuanrong's own meta_service has written (its records in its format) is served, changed and handed
/// back in that format: MetaService and the original can take over from one another. Each test seeds the fixtures
/// into a tenant of its own.
/// </summary>
public sealed class OriginalRecordTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private const string Faas = "0@faaspy@go1";

    [Fact]
    public async Task OriginalRecords_AreServedByGetListAndVersions()
    {
        var tenant = await SeedAsync();
        using var api = factory.CreateApi(tenant);

        var draft = await api.GetOkAsync(Faas);
        var v1 = await api.GetOkAsync(Faas, "v1");
        var yrlib = await api.GetOkAsync("0-svc-hello");
        var sparse = await api.GetOkAsync("0-test-hello", "v1");
        var rows = await api.ListRowsAsync("");
        using var versions = await api.ListVersionsAsync(Faas);

        Assert.Equal(("20261120080102123", "latest", 300L, "faas"), ((string?)draft["revisionId"], (string?)draft["versionNumber"], (long?)draft["cpu"], (string?)draft["kind"]));
        Assert.Equal("1", (string?)draft["environment"]!["A"]);
        Assert.Equal("handler.init", (string?)draft["extendedHandler"]!["initializer"]);
        Assert.Equal(("v1", "first"), ((string?)v1["versionNumber"], (string?)v1["versionDesc"]));
        Assert.Equal(("x<y&z", 1.5, "rg1"), ((string?)yrlib["environment"]!["B"], (double?)yrlib["customResources"]!["npu"], (string?)yrlib["resourceAffinitySelectors"]![0]!["group"]));
        Assert.Equal(("ascend", "image", "says hello"), ((string?)yrlib["device"]!["model"], (string?)yrlib["rootfs"]!["type"], (string?)yrlib["description"]));
        Assert.Equal("unavailable", (string?)sparse["status"]);
        Assert.Equal(5, rows.Count);
        Assert.Equal(2, (int?)(await Wire.OkAsync(versions))["pageInfo"]!["total"]);
    }

    [Fact]
    public async Task OriginalDraft_UpdatedAndPublished_StaysInTheOriginalsFormat()
    {
        var tenant = await SeedAsync();
        using var api = factory.CreateApi(tenant);

        var updated = await api.UpdateOkAsync(Faas, Bodies.Update("20261120080102123", "faas"));
        var revision = (string)updated["revisionId"]!;
        await api.PublishOkAsync(Faas, revision, "v2", "faas", "second");

        Assert.Empty(await ProblemsAsync(tenant));
        var draft = await RecordAsync($"/repo/FunctionVersion/yrk/{tenant}//{Faas}/latest/");
        Assert.Equal(revision, (string?)draft["FunctionVersion"]!["RevisionID"]);
        Assert.Equal("v2", (string?)draft["Function"]!["Version"]);
        Assert.Equal("2026-11-20 08:01:02.123 UTC", (string?)draft["Function"]!["CreateTime"]);
        Assert.NotEqual("", (string?)draft["Function"]!["UpdateTime"]);
        var v2 = await RecordAsync($"/repo/FunctionVersion/yrk/{tenant}//{Faas}/v2/");
        Assert.Equal(("v2", "second", revision), ((string?)v2["FunctionVersion"]!["Version"], (string?)v2["FunctionVersion"]!["Description"], (string?)v2["FunctionVersion"]!["RevisionID"]));
        var status = await RecordAsync($"/repo/FunctionStatus/yrk/{tenant}//{Faas}/v2/");
        Assert.Equal("unavailable", (string?)status["Status"]);
    }

    [Fact]
    public async Task RevisionId_TheOriginalPublishedAlready_IsPublishedAgain_AsTheOriginalLetsIt()
    {
        var tenant = await SeedAsync();
        using var api = factory.CreateApi(tenant);

        var again = await api.PublishOkAsync(Faas, "20261120080102123", "v9", "faas");

        Assert.Equal("v9", (string?)again["versionNumber"]);
    }

    [Fact]
    public async Task OriginalFunction_Deleted_LeavesNoneOfItsKeys()
    {
        var tenant = await SeedAsync();
        using var api = factory.CreateApi(tenant);

        using var version = await api.DeleteAsync(Faas, "v1");
        var afterVersion = await KeysAsync(tenant);
        using var all = await api.DeleteAsync("0-svc-pkg");

        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.DoesNotContain($"/repo/FunctionVersion/yrk/{tenant}//{Faas}/v1/", afterVersion);
        Assert.DoesNotContain($"/repo/FunctionStatus/yrk/{tenant}//{Faas}/v1/", afterVersion);
        Assert.Contains($"/repo/FunctionStatus/yrk/{tenant}//{Faas}/latest/", afterVersion);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var left = await KeysAsync(tenant);
        Assert.DoesNotContain(left, k => k.Contains("/0-svc-pkg/", StringComparison.Ordinal) || k.Contains("/b1/o1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ManagedPackage_IsCountedAsTheOriginalCountsIt()
    {
        var tenant = "t" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        var name = Names.Yrlib();
        var refKey = $"/repo/ObjectRefIndex/yrk/{tenant}//bkt/obj/";
        var body = Bodies.Yrlib(name).With("codeUploadType", "\"s3\"").With("storageType", "\"s3\"").With("s3CodePath", """{"bucketId":"bkt","objectId":"obj","sha512":"s"}""");

        var created = await api.CreateOkAsync(body);
        var once = await RecordAsync(refKey);
        var updated = await api.UpdateOkAsync(name, body.With("revisionId", $"\"{created["revisionId"]}\"").With("description", "\"d\""));
        var stillOnce = await RecordAsync(refKey);
        await api.PublishOkAsync(name, (string)updated["revisionId"]!, "v1");
        var twice = await RecordAsync(refKey);
        using var deletedVersion = await api.DeleteAsync(name, "v1");
        var onceAgain = await RecordAsync(refKey);
        using var deleted = await api.DeleteAsync(name);

        Assert.Equal((1, 1, 2, 1), ((int?)once["RefCnt"], (int?)stillOnce["RefCnt"], (int?)twice["RefCnt"], (int?)onceAgain["RefCnt"]));
        Assert.Empty(OriginalRecordShape.Problems(once.ToJsonString(), OriginalRecordShape.ObjectRef));
        Assert.Null(await factory.Store.GetAsync(refKey, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RecordOfAnEarlierMetaService_IsRewrittenInTheOriginalsFormat()
    {
        var tenant = "t" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        var name = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));
        var key = $"/repo/FunctionVersion/yrk/{tenant}//{name}/$latest/";
        var own = RecordFormat.Decode(key, (await factory.Store.GetAsync(key, TestContext.Current.CancellationToken))!.Value);
        await PutAsync(key, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(own, Core.MetaJson.Default.FunctionRecord));

        var read = await api.GetOkAsync(name);
        await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!));

        Assert.Equal((string?)created["revisionId"], (string?)read["revisionId"]);
        Assert.Empty(await ProblemsAsync(tenant));
    }

    [Fact]
    public async Task PublishedVersionOfAnEarlierMetaService_IsRewrittenAtStart()
    {
        var first = new MetaServiceFactory();
        using var api = first.CreateApi();
        var name = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));
        await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1");
        var key = $"/repo/FunctionVersion/yrk/default//{name}/v1/";
        var own = RecordFormat.Decode(key, (await first.Store.GetAsync(key, TestContext.Current.CancellationToken))!.Value);
        var earlier = await first.Store.TxnAsync([], [new WriteOp.Put(key, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(own, Core.MetaJson.Default.FunctionRecord))], TestContext.Current.CancellationToken);

        await using var restarted = await first.RestartAsync();
        _ = restarted.Services;
        await using var changes = restarted.Store.WatchAsync(key, earlier.Revision + 1, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        var rewritten = await changes.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(rewritten, "the record was not rewritten");
        Assert.Empty(OriginalRecordShape.Problems(Encoding.UTF8.GetString(changes.Current.Kv.Value), OriginalRecordShape.Record));
        Assert.Equal((string?)created["revisionId"], (string?)(await restarted.CreateApi().GetOkAsync(name, "v1"))["revisionId"]);
    }

    [Fact]
    public async Task UnreadableRecord_BreaksItsFunctionOnly()
    {
        var tenant = await SeedAsync();
        using var api = factory.CreateApi(tenant);
        var broken = $"/repo/FunctionVersion/yrk/{tenant}//0-svc-broken/$latest/";
        await PutAsync(broken, """{"FunctionVersion":{"CPU":"three hundred"}}"""u8.ToArray());
        var reported = factory.Services.GetRequiredService<UnreadableRecords>().Reported;

        var rows = await api.ListRowsAsync("");
        using var get = await api.GetAsync("0-svc-broken");
        var other = await api.GetOkAsync(Faas);
        using var delete = await api.DeleteAsync("0-svc-broken");

        Assert.Equal(5, rows.Count);
        var message = await Wire.AssertErrorAsync(get, HttpStatusCode.InternalServerError, 150500);
        Assert.Contains(broken, message, StringComparison.Ordinal);
        Assert.Equal("latest", (string?)other["versionNumber"]);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Null(await factory.Store.GetAsync(broken, TestContext.Current.CancellationToken));
        Assert.Equal(reported + 1, factory.Services.GetRequiredService<UnreadableRecords>().Reported);
    }

    [Fact]
    public async Task AnUnreadableRecord_MetByGetsAlone_IsReportedOnce()
    {
        var tenant = "t" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        await PutAsync($"/repo/FunctionVersion/yrk/{tenant}//0-svc-broken/$latest/", "{not json"u8.ToArray());
        var reported = factory.Services.GetRequiredService<UnreadableRecords>().Reported;

        using var get = await api.GetAsync("0-svc-broken");
        using var again = await api.GetAsync("0-svc-broken");

        await Wire.AssertErrorAsync(get, HttpStatusCode.InternalServerError, 150500);
        // The fault's answer, cleared of what the route had set, still carries the headers every answer has.
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(get.Headers.GetValues("X-Trace-Id")));
        Assert.Equal("nosniff", Assert.Single(get.Headers.GetValues("X-Content-Type-Options")));
        await Wire.AssertErrorAsync(again, HttpStatusCode.InternalServerError, 150500);
        Assert.Equal(reported + 1, factory.Services.GetRequiredService<UnreadableRecords>().Reported);
    }

    /// <summary>Writes every fixture into a new tenant, as the original would have; returns the tenant.</summary>
    private async Task<string> SeedAsync()
    {
        var tenant = "t" + Names.Hex();
        var writes = new List<WriteOp>();
        foreach (var name in OriginalRecords.Names)
        {
            var (key, value) = OriginalRecords.Load(name);
            var parts = key.Split('/');
            parts[4] = tenant;
            var ownKey = string.Join('/', parts);
            writes.Add(new WriteOp.Put(ownKey, value));
            writes.Add(new WriteOp.Put(ownKey.Replace("/repo/FunctionVersion/", "/repo/FunctionStatus/", StringComparison.Ordinal), """{"Status":"unavailable","InstanceNum":0}"""u8.ToArray()));
        }

        writes.Add(new WriteOp.Put($"/repo/ObjectRefIndex/yrk/{tenant}//b1/o1/", """{"RefCnt":1}"""u8.ToArray()));
        await CommitAsync(writes);
        return tenant;
    }

    private Task PutAsync(string key, byte[] value) => CommitAsync([new WriteOp.Put(key, value)]);

    /// <summary>Writes straight into the store, as another service would, and waits until the server has seen it.</summary>
    private async Task CommitAsync(List<WriteOp> writes)
    {
        var result = await factory.Store.TxnAsync([], writes, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded);
        await factory.Services.GetRequiredService<FunctionCatalog>().WaitForAsync(result.Revision, TestContext.Current.CancellationToken);
    }

    private async Task<JsonNode> RecordAsync(string key)
    {
        var kv = await factory.Store.GetAsync(key, TestContext.Current.CancellationToken);
        Assert.True(kv is not null, $"{key} is not stored");
        return JsonNode.Parse(kv.Value)!;
    }

    private async Task<List<string>> KeysAsync(string tenant)
    {
        var keys = new List<string>();
        foreach (var table in new[] { "FunctionVersion", "FunctionStatus", "ObjectRefIndex" })
        {
            var range = await factory.Store.RangeAsync($"/repo/{table}/yrk/{tenant}/", cancellationToken: TestContext.Current.CancellationToken);
            keys.AddRange(range.Items.Select(kv => kv.Key));
        }

        return keys;
    }

    /// <summary>Every way a record of the tenant's /repo/ tables is not in the original's format.</summary>
    private async Task<List<string>> ProblemsAsync(string tenant)
    {
        var problems = new List<string>();
        foreach (var (table, shape) in new[] { ("FunctionVersion", OriginalRecordShape.Record), ("FunctionStatus", OriginalRecordShape.Status), ("ObjectRefIndex", OriginalRecordShape.ObjectRef) })
        {
            var range = await factory.Store.RangeAsync($"/repo/{table}/yrk/{tenant}/", cancellationToken: TestContext.Current.CancellationToken);
            problems.AddRange(range.Items.SelectMany(kv => OriginalRecordShape.Problems(Encoding.UTF8.GetString(kv.Value), shape).Select(p => $"{kv.Key}: {p}")));
        }

        return problems;
    }
}