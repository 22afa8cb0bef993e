using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core;
using MetaService.Core.Functions;

using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests;

/// <summary>The history routes' answers in full: each refusal's message, the envelopes' code and message, the bounds of
/// <c>limit</c>, the trail's empty filters and time layouts, a dry-run restore's result, and who an entry names as its
/// actor (the credential's id, the caller's address). Runs on both stores.</summary>
public sealed class HistoryAnswerTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Theory]
    [InlineData("/history/0", HttpStatusCode.BadRequest, 4104, "revision '0' is not a store revision: give the revision of an entry, e.g. 42. check input parameters")]
    [InlineData("/history/-5", HttpStatusCode.BadRequest, 4104, "revision '-5' is not a store revision: give the revision of an entry, e.g. 42. check input parameters")]
    [InlineData("/history/1", HttpStatusCode.NotFound, 4116, "function [{name}] has no history entry at revision 1. check input parameters")]
    [InlineData("/history?limit=501", HttpStatusCode.BadRequest, 4104, "limit must be a whole number from 1 to 500, once. check input parameters")]
    [InlineData("/history?limit=2&limit=3", HttpStatusCode.BadRequest, 4104, "limit must be a whole number from 1 to 500, once. check input parameters")]
    [InlineData("/diff?from=@x&to=latest", HttpStatusCode.BadRequest, 4104, "from")]
    [InlineData("/diff?from=v1&to=@x", HttpStatusCode.BadRequest, 4104, "to")]
    public async Task ARefusal_SaysWhatWasWrong(string route, HttpStatusCode status, int code, string message)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, created, "v1", "faas");

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Get, api.PathOf(name) + route, null));

        var said = await Wire.AssertErrorAsync(response, status, code);
        if (message.Length > 4)
        {
            Assert.Equal(message.Replace("{name}", name, StringComparison.Ordinal), said);
        }
        else
        {
            Assert.StartsWith($"{message} '@x' ", said, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("operation=rename", "operation 'rename' is not one of create, update, patch, publish, delete-version, delete, restore, reserve-create, reserve-update, reserve-delete, alias-create, alias-update, alias-rollback, alias-delete. check input parameters")]
    [InlineData("since=yesterday", "since 'yesterday' is not a time: give RFC 3339 (2026-12-03T10:00:00Z) or 2026-12-")]
    [InlineData("until=2026-13-45", "until '2026-13-45' is not a time: give RFC 3339 (2026-12-03T10:00:00Z) or 2026-12-")]
    public async Task ATrailRefusal_SaysWhatWasWrong(string query, string message)
    {
        using var api = factory.CreateApi();

        using var response = await api.SendAsync(HttpMethod.Get, "/serverless/v1/history?" + query, null);

        Assert.StartsWith(message, await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARestoreFromTheDraft_IsRefused_SayingWhatToGive()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;

        using var draft = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, $"{api.PathOf(name)}/restore", $$"""{"from":"latest","revisionId":"{{created}}"}"""));
        using var entry = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, $"{api.PathOf(name)}/restore", $$"""{"from":"@x","revisionId":"{{created}}"}"""));

        Assert.Equal("from names the draft itself: give a version number (v3) or @<revision> of a history entry. check input parameters", await Wire.AssertErrorAsync(draft, HttpStatusCode.BadRequest, 4104));
        Assert.StartsWith("from '@x' ", await Wire.AssertErrorAsync(entry, HttpStatusCode.BadRequest, 4104), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_AreCode0AndAnEmptyMessage_AndLimitTakesItsBounds()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await HistoryTests.UpdateAsync(api, name, created, 256);
        var revision = (long)(await HistoryTests.EntriesAsync(api, name))[0]!["revision"]!;

        var one = await OkAsync(api, $"{api.PathOf(name)}/history/{revision}");
        var first = await OkAsync(api, $"{api.PathOf(name)}/history?limit=1");
        var all = await OkAsync(api, $"{api.PathOf(name)}/history?limit=500");
        var diff = await OkAsync(api, $"{api.PathOf(name)}/diff?from=@{revision}&to=latest");
        var trail = await OkAsync(api, "/serverless/v1/history?limit=1");

        foreach (var body in new[] { one, first, all, diff, trail })
        {
            Assert.Equal((0, ""), ((int)body["code"]!, (string)body["message"]!));
        }

        Assert.Equal(revision, (long)one["result"]!["revision"]!);
        Assert.Single(first["result"]!["entries"]!.AsArray());
        Assert.False(string.IsNullOrEmpty((string?)first["result"]!["continue"]));
        Assert.Equal(2, all["result"]!["entries"]!.AsArray().Count);
        Assert.Equal(("@" + revision, "latest"), ((string)diff["result"]!["from"]!, (string)diff["result"]!["to"]!));
    }

    [Fact]
    public async Task TheTrail_FilteredByNameOrOperation_HasOnlyTheirEntries()
    {
        using var api = factory.CreateApi("trail" + Names.Hex());
        var (a, b) = (Names.Faas(), Names.Faas());
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(a)))["revisionId"]!;
        await api.CreateOkAsync(Bodies.Faas(b));
        await HistoryTests.UpdateAsync(api, a, created, 256);

        var ofA = (await OkAsync(api, $"/serverless/v1/history?name={Uri.EscapeDataString(a)}"))["result"]!["entries"]!.AsArray();
        var updates = (await OkAsync(api, "/serverless/v1/history?operation=update"))["result"]!["entries"]!.AsArray();

        Assert.Equal(["update", "create"], ofA.Select(e => (string)e!["operation"]!));
        Assert.All(ofA, e => Assert.Equal(a, (string)e!["name"]!));
        Assert.Equal([(a, "update")], updates.Select(e => ((string)e!["name"]!, (string)e["operation"]!)));
    }

    [Fact]
    public async Task AnEntry_AskedWithABadTenantOrFunctionName_IsRefused()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));
        var revision = (long)(await HistoryTests.EntriesAsync(api, name))[0]!["revision"]!;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{api.PathOf(name)}/history/{revision}");
        request.Headers.TryAddWithoutValidation("X-Tenant-Id", "a@b");

        using var response = await factory.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);

        using var badName = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Get, $"/serverless/v1/functions/no%20such%20name/history/{revision}", null));

        Assert.StartsWith("X-Tenant-Id", await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104), StringComparison.Ordinal);
        Assert.Equal("invalid URN: no such name. check input parameters", await Wire.AssertErrorAsync(badName, HttpStatusCode.BadRequest, 4104));
    }

    [Fact]
    public async Task TheTrail_WithEmptyFilters_FiltersNothing_AndTakesTheOriginalsTimeLayout()
    {
        using var api = factory.CreateApi("trail" + Names.Hex());
        var (a, b) = (Names.Faas(), Names.Faas());
        await api.CreateOkAsync(Bodies.Faas(a));
        await api.CreateOkAsync(Bodies.Faas(b));
        var time = (string)(await HistoryTests.EntriesAsync(api, a))[0]!["time"]!;

        var unfiltered = await OkAsync(api, "/serverless/v1/history?name=&operation=");
        var since = await OkAsync(api, $"/serverless/v1/history?since={Uri.EscapeDataString(time)}&until={Uri.EscapeDataString(time)}");

        Assert.Equal(new[] { a, b }.Order(), unfiltered["result"]!["entries"]!.AsArray().Select(e => (string)e!["name"]!).Order());
        Assert.Contains(since["result"]!["entries"]!.AsArray(), e => (string)e!["name"]! == a);
    }

    [Fact]
    public async Task ADryRunRestore_AnswersTheChangesFromTheSourceToLatest()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, created, "v1", "faas");
        var current = await HistoryTests.UpdateAsync(api, name, created, 512);

        var dry = await OkAsync(api, $"{api.PathOf(name)}/restore?dryRun=true", $$"""{"from":"v1","revisionId":"{{current}}"}""");

        Assert.Equal((0, ""), ((int)dry["code"]!, (string)dry["message"]!));
        Assert.Equal(("v1", "latest"), ((string)dry["result"]!["from"]!, (string)dry["result"]!["to"]!));
    }

    [Fact]
    public async Task AnEntry_NamesTheCallersAddress()
    {
        var name = Names.Faas();

        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = Api.ServerlessRoot;
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(Bodies.Faas(name).ToJsonString()));
            c.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        }, TestContext.Current.CancellationToken);
        using var api = factory.CreateApi();

        Assert.Equal(200, context.Response.StatusCode);
        var actor = (await HistoryTests.EntriesAsync(api, name))[0]!["actor"]!;
        Assert.Equal(("10.1.2.3", "anonymous"), ((string)actor["remoteAddress"]!, (string)actor["principal"]!));
    }

    [Fact]
    public async Task AnEntry_NamesTheRequestsTraceId_NoAddressWhereTheRequestHasNone_AndNobodyOutsideAnyRequest()
    {
        using var api = factory.CreateApi();
        var (viaHttp, viaService) = (Names.Faas(), Names.Faas());
        using var request = new HttpRequestMessage(HttpMethod.Post, Api.ServerlessRoot) { Content = new StringContent(Bodies.Faas(viaHttp).ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Trace-Id", "4bf92f3577b34da6a3ce929d0e0e4736");
        using var created = await factory.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);
        await Wire.OkAsync(created);
        var service = factory.Services.GetRequiredService<FunctionService>();
        var request2 = JsonSerializer.Deserialize(Bodies.Faas(viaService).ToJsonString(), MetaJson.Default.FunctionRequest)!;
        Assert.Null((await service.CreateAsync(Tenant.Default, request2, TestContext.Current.CancellationToken)).Error);

        var overHttp = (await HistoryTests.EntriesAsync(api, viaHttp))[0]!;
        var outside = (await HistoryTests.EntriesAsync(api, viaService))[0]!;

        // The test server's requests have no remote address.
        Assert.Equal(("4bf92f3577b34da6a3ce929d0e0e4736", "anonymous", ""), ((string?)overHttp["traceId"], (string?)overHttp["actor"]!["principal"], (string?)overHttp["actor"]!["remoteAddress"] ?? ""));
        Assert.Equal(("", "anonymous", ""), ((string?)outside["traceId"] ?? "", (string?)outside["actor"]!["principal"], (string?)outside["actor"]!["remoteAddress"] ?? ""));
    }

    [Fact]
    public async Task AnEntry_NamesTheCredentialThatWroteIt()
    {
        await using var secured = AuthSetup.Factory();
        using var admin = AuthSetup.Bearer(secured, await AuthSetup.AdminTokenAsync(secured));
        var (id, token) = await AuthSetup.CreateTokenAsync(admin, "default", "editor");
        using var api = new Api(AuthSetup.Bearer(secured, token));
        var name = Names.Faas();

        await api.CreateOkAsync(Bodies.Faas(name));

        var actor = (await HistoryTests.EntriesAsync(api, name))[0]!["actor"]!;
        Assert.Equal(id, (string)actor["principal"]!);
    }

    private static async Task<JsonNode> OkAsync(Api api, string path, string? body = null)
    {
        using var response = await api.SendAsync(body is null ? HttpMethod.Get : HttpMethod.Post, path, body);
        return await Wire.OkAsync(response);
    }
}