using System.Net;

namespace MetaService.Server.Tests;

public sealed class ListTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task List_ReturnsResultEnvelopeWithFunctionsAndTotal()
    {
        using var api = factory.CreateApi();
        var token = Names.Hex();
        await api.CreateOkAsync(Bodies.Faas($"0@svc@fn-{token}"));

        using var response = await api.ListAsync($"?name={token}");

        var body = await Wire.OkAsync(response);
        Assert.Equal(0, (int)body["code"]!);
        Assert.Equal("", (string?)body["message"]);
        Assert.Equal(1, (int)body["result"]!["total"]!);
        var row = body["result"]!["functions"]![0]!;
        Assert.Equal($"0@svc@fn-{token}", (string?)row["name"]);
        Formats.AssertNumber(1, row["maxInstance"]);
    }

    [Fact]
    public async Task List_UnderAdminRoot_Works()
    {
        using var api = factory.CreateApi(root: Api.AdminRoot);
        var token = Names.Hex();
        await api.CreateOkAsync(Bodies.Faas($"0@svc@fn-{token}"));

        var rows = await api.ListRowsAsync($"?name={token}");

        Assert.Single(rows);
    }

    [Fact]
    public async Task List_WithNameFilter_MatchesSubstrings()
    {
        using var api = factory.CreateApi();
        var token = Names.Hex();
        await api.CreateOkAsync(Bodies.Faas($"0@svc@a-{token}-x"));
        await api.CreateOkAsync(Bodies.Yrlib($"0-svc-b{token}y"));
        await api.CreateOkAsync(Bodies.Yrlib(Names.Yrlib()));

        var rows = await api.ListRowsAsync($"?name={token}");

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Contains(token, (string)r["name"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_WithNoMatch_ReturnsNullFunctionsAndTotal0()
    {
        using var api = factory.CreateApi();

        using var response = await api.ListAsync($"?name=nomatch{Names.Hex()}");

        var result = (await Wire.OkAsync(response))["result"]!;
        Assert.Null(result["functions"]);
        Assert.True(result.AsObject().ContainsKey("functions"));
        Assert.Equal(0, (int)result["total"]!);
    }

    [Fact]
    public async Task List_ShowsEveryVersionAsARow_AndFiltersByVersionNumber()
    {
        using var api = factory.CreateApi();
        var token = Names.Hex();
        var name = $"0-svc-fn{token}";
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));
        await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "yrlib");
        await api.PublishOkAsync(name, await api.TouchAsync(name, (string)created["revisionId"]!), "v2", "yrlib");

        var all = await api.ListRowsAsync($"?name={token}");
        var v1 = await api.ListRowsAsync($"?name={token}&versionNumber=v1");

        Assert.Equal(3, all.Count);
        var row = Assert.Single(v1);
        Assert.Equal("v1", (string?)row["versionNumber"]);
    }

    [Fact]
    public async Task List_VersionNumberFilter_IsExact()
    {
        using var api = factory.CreateApi();
        var token = Names.Hex();
        var name = $"0-svc-fn{token}";
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));
        await api.PublishOkAsync(name, (string)created["revisionId"]!, "v10", "yrlib");

        var rows = await api.ListRowsAsync($"?name={token}&versionNumber=v1");

        Assert.Empty(rows);
    }

    [Fact]
    public async Task List_OrdersNewestModifiedFirst()
    {
        using var api = factory.CreateApi();
        var token = Names.Hex();
        var first = await api.CreateOkAsync(Bodies.Faas($"0@svc@a-{token}"));
        await api.CreateOkAsync(Bodies.Faas($"0@svc@b-{token}"));
        await api.CreateOkAsync(Bodies.Faas($"0@svc@c-{token}"));

        await api.UpdateOkAsync($"0@svc@a-{token}", Bodies.Update((string)first["revisionId"]!, "faas"));
        var rows = await api.ListRowsAsync($"?name={token}");

        Assert.Equal([$"0@svc@a-{token}", $"0@svc@c-{token}", $"0@svc@b-{token}"], rows.Select(r => (string)r["name"]!));
    }

    [Fact]
    public async Task List_PagesWithPageIndexAndPageSize()
    {
        using var api = factory.CreateApi();
        var token = Names.Hex();
        foreach (var suffix in new[] { "a", "b", "c" })
        {
            await api.CreateOkAsync(Bodies.Faas($"0@svc@{suffix}-{token}"));
        }

        using var page2 = await api.ListAsync($"?name={token}&pageIndex=2&pageSize=2");
        using var page3 = await api.ListAsync($"?name={token}&pageIndex=3&pageSize=2");

        var second = (await Wire.OkAsync(page2))["result"]!;
        Assert.Equal(3, (int)second["total"]!);
        Assert.Equal($"0@svc@a-{token}", (string?)Assert.Single(second["functions"]!.AsArray())!["name"]);
        var third = (await Wire.OkAsync(page3))["result"]!;
        Assert.Null(third["functions"]);
        Assert.Equal(3, (int)third["total"]!);
    }

    [Fact]
    public async Task List_PageIndex0_IsTheFirstPage()
    {
        using var api = factory.CreateApi();
        var token = Names.Hex();
        await api.CreateOkAsync(Bodies.Faas($"0@svc@a-{token}"));
        await api.CreateOkAsync(Bodies.Faas($"0@svc@b-{token}"));

        var rows = await api.ListRowsAsync($"?name={token}&pageIndex=0&pageSize=1");

        Assert.Equal($"0@svc@b-{token}", (string?)Assert.Single(rows)["name"]);
    }

    [Theory]
    [InlineData("?pageIndex=-1")]
    [InlineData("?pageSize=-5")]
    [InlineData("?pageIndex=abc")]
    [InlineData("?pageSize=1.5")]
    [InlineData("?pageIndex=99999999999999999999")]
    public async Task List_WithNegativeOrNonNumericPaging_Returns400And4104(string query)
    {
        using var api = factory.CreateApi();

        using var response = await api.ListAsync(query);

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }

    [Fact]
    public async Task List_WithPageSize0_Returns400And4123()
    {
        using var api = factory.CreateApi();

        using var response = await api.ListAsync("?pageIndex=1&pageSize=0");

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4123);
        Assert.Equal("page size cannot be 0", message);
    }

    [Fact]
    public async Task ListVersions_IncludesDraftAndPublished_NewestModifiedFirst_WithStringPageInfo()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));
        await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "faas");
        await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!, "faas"));

        using var response = await api.ListVersionsAsync(name);

        var body = await Wire.OkAsync(response);
        Assert.Equal("1", (string?)body["pageInfo"]!["pageIndex"]);
        Assert.Equal("1000", (string?)body["pageInfo"]!["pageSize"]);
        Assert.Equal(2, (int)body["pageInfo"]!["total"]!);
        var versions = body["functions"]!.AsArray().Select(f => (string)f!["versionNumber"]!).ToList();
        Assert.Equal(["latest", "v1"], versions);
        Assert.Equal(Formats.DraftUrn(name, "v1"), (string?)body["functions"]![1]!["id"]);
    }

    [Fact]
    public async Task ListVersions_Pages()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));
        await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "faas");
        await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!, "faas"));

        using var response = await api.ListVersionsAsync(name, "?pageIndex=2&pageSize=1");

        var body = await Wire.OkAsync(response);
        Assert.Equal("2", (string?)body["pageInfo"]!["pageIndex"]);
        Assert.Equal("1", (string?)body["pageInfo"]!["pageSize"]);
        Assert.Equal(2, (int)body["pageInfo"]!["total"]!);
        Assert.Equal("v1", (string?)Assert.Single(body["functions"]!.AsArray())!["versionNumber"]);
    }

    [Fact]
    public async Task ListVersions_OfUnknownFunction_ReturnsNullFunctionsAndTotal0()
    {
        using var api = factory.CreateApi();

        using var response = await api.ListVersionsAsync(Names.Faas(), "?pageIndex=1&pageSize=1");

        var body = await Wire.OkAsync(response);
        Assert.Null(body["functions"]);
        Assert.Equal("1", (string?)body["pageInfo"]!["pageIndex"]);
        Assert.Equal("1", (string?)body["pageInfo"]!["pageSize"]);
        Assert.Equal(0, (int)body["pageInfo"]!["total"]!);
    }

    [Fact]
    public async Task ListVersions_WithPageSize0_Returns400And4123()
    {
        using var api = factory.CreateApi();

        using var response = await api.ListVersionsAsync(Names.Faas(), "?pageIndex=1&pageSize=0");

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4123);
    }

    [Fact]
    public async Task ListVersions_WithNegativePaging_Returns400And4104()
    {
        using var api = factory.CreateApi();

        using var response = await api.ListVersionsAsync(Names.Faas(), "?pageIndex=-1");

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }
}