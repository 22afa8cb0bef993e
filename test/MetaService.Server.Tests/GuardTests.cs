using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using MetaService.Core.Storage;

namespace MetaService.Server.Tests;

/// <summary>
/// Promises of docs/compatibility.md that a small fault in the code would break quietly: each test fails on that
/// fault. A refusal changes nothing: the store's revision stays where it was.
/// </summary>
public sealed class GuardTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Update_WithoutKind_KeepsTheHooksOfTheStoredKind()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));

        var updated = await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!).With("handler", "\"handler.other\""));

        Assert.Equal("yrlib_handler.call", (string?)updated["hookHandler"]!["call"]);
        Assert.Equal(Formats.Text(created["hookHandler"]), Formats.Text(updated["hookHandler"]));
    }

    [Fact]
    public async Task Update_WithNegativeTimeout_Is4104_AndChangesNothing()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.UpdateAsync(name, Bodies.Update((string)created["revisionId"]!).With("timeout", "-5")));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        Assert.Contains("timeout -5", message, StringComparison.Ordinal);
        Assert.Equal(60L, (long?)(await api.GetOkAsync(name))["timeout"]);
    }

    [Fact]
    public async Task MemberNames_AreMatchedCaseInsensitively()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var body = Bodies.Parse($$"""
            {"NAME":"{{name}}","Runtime":"python3.9","KIND":"yrlib","Handler":"h.main","CPU":400,"memory":256,"TimeOut":30,
             "Environment":{"A":"1"},"MinInstance":"1","storagetype":"local","CODEPATH":"/c"}
            """);

        var created = await api.CreateOkAsync(body);

        Assert.Equal((name, "yrlib", "h.main", 400L, 30L, 1L, "local", "/c"), ((string?)created["name"], (string?)created["kind"], (string?)created["handler"],
            (long?)created["cpu"], (long?)created["timeout"], (long?)created["minInstance"], (string?)created["storageType"], (string?)created["codePath"]));
        Assert.Equal("1", (string?)created["environment"]!["A"]);
    }

    [Fact]
    public async Task DeleteOfV1_LeavesV10AndItsKeys()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, revision, "v1", "faas");
        await api.PublishOkAsync(name, await api.TouchAsync(name, revision), "v10", "faas");
        using var label = await api.SendAsync(HttpMethod.Post, "/serverless/v1/functions/reserve-instance",
            $$"""{"funcName":"{{name}}","version":"v10","instanceLabel":"l1","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":2,"minInstance":1}]}""");
        Assert.Equal(HttpStatusCode.OK, label.StatusCode);
        var v10 = $"/instances/business/yrk/cluster/cluster001/tenant/default/function/{name}/version/v10";

        using var deleted = await api.DeleteAsync(name, "v1");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.NotNull(await factory.Store.GetAsync(v10, TestContext.Current.CancellationToken));
        Assert.NotNull(await factory.Store.GetAsync(v10 + "/label/l1", TestContext.Current.CancellationToken));
        Assert.NotNull(await factory.Store.GetAsync($"/sn/functions/business/yrk/tenant/default/function/{name}/version/v10", TestContext.Current.CancellationToken));
        Assert.Equal("v10", (string?)(await api.GetOkAsync(name, "v10"))["versionNumber"]);
        Assert.Null(await factory.Store.GetAsync($"/instances/business/yrk/cluster/cluster001/tenant/default/function/{name}/version/v1", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("a@b")]
    [InlineData("a b")]
    [InlineData(" a")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a\tb")]
    public async Task TenantHeader_ThatCannotBeAKeyPart_IsRefused_AndChangesNothing(string tenant)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Api.ServerlessRoot) { Content = new StringContent(Bodies.Yrlib(Names.Yrlib()).ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Tenant-Id", tenant);

        using var response = await factory.Store.NothingWrittenAsync(() => client.SendAsync(request, TestContext.Current.CancellationToken));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }

    [Theory]
    [InlineData(128, HttpStatusCode.OK)]
    [InlineData(129, HttpStatusCode.BadRequest)]
    public async Task TenantHeader_IsBoundedAt128Characters(int length, HttpStatusCode expected)
    {
        var tenant = new string('t', length - 8) + Names.Hex();
        using var api = factory.CreateApi(tenant);

        using var response = expected == HttpStatusCode.OK
            ? await api.CreateAsync(Bodies.Yrlib(Names.Yrlib()))
            : await factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Yrlib(Names.Yrlib())));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task SecondCreate_OfAYrlibName_Is409_AndKeepsTheFirstDraft()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var first = await api.CreateOkAsync(Bodies.Yrlib(name));

        using var second = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Yrlib(name).With("handler", "\"h.second\"")));

        await Wire.AssertErrorAsync(second, HttpStatusCode.Conflict, 4101);
        var kept = await api.GetOkAsync(name);
        Assert.Equal(((string?)first["revisionId"], "handler.handler"), ((string?)kept["revisionId"], (string?)kept["handler"]));
    }

    [Fact]
    public async Task UnexpectedFault_Is500With150500_AsJson()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));
        var corrupt = await factory.Store.TxnAsync([], [new WriteOp.Put($"/instances/business/yrk/cluster/cluster001/tenant/default/function/{name}/version/latest/label/bad", "{not json"u8.ToArray())], TestContext.Current.CancellationToken);
        Assert.True(corrupt.Succeeded);

        using var response = await api.SendAsync(HttpMethod.Get, $"/serverless/v1/functions/reserve-instance?funcName={Uri.EscapeDataString(name)}&version=latest", null);

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.InternalServerError, 150500);
        Assert.DoesNotContain("{not json", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/serverless/v1/functions/0-svc-none", HttpStatusCode.NotFound)]
    [InlineData("PUT", "/serverless/v1/functions/0-svc-none", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/serverless/v1/functions", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/serverless/v1/nowhere", HttpStatusCode.NotFound)]
    [InlineData("PATCH", "/serverless/v1/functions", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/serverless/v1/functions?pageSize=-1", HttpStatusCode.BadRequest)]
    public async Task ErrorAnswers_AreJson(string method, string path, HttpStatusCode status)
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(new HttpMethod(method), path, method is "PUT" or "POST" ? "not json" : null));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var body = await Wire.JsonAsync(response);
        Assert.True(body["code"] is JsonValue && body["message"] is JsonValue, body.ToJsonString());
    }
}