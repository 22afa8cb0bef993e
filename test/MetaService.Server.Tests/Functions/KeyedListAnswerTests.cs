using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests.Functions;

/// <summary>
/// The answers of the lists paged with <c>limit</c> and <c>continue</c>, member by member (the members and their order
/// are what clients parse), and their filters: the same rows as the lists paged with <c>pageIndex</c> for the same
/// <c>name</c>, <c>versionNumber</c> and <c>qualifier</c>.
/// </summary>
public sealed class KeyedListAnswerTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task AKeyedListPage_IsCodeMessageAndResult_WithFunctionsTotalContinueAndRevision()
    {
        using var api = factory.CreateApi("shape" + Names.Hex());
        await api.CreateOkAsync(Bodies.Faas(Names.Faas()));
        await api.CreateOkAsync(Bodies.Faas(Names.Faas()));

        using var first = await api.ListAsync("?limit=1");
        var one = await Wire.OkAsync(first);
        var token = (string)one["result"]!["continue"]!;
        using var last = await api.ListAsync("?limit=1&continue=" + Uri.EscapeDataString(token));
        var two = await Wire.OkAsync(last);

        foreach (var (answer, response) in new[] { (one, first), (two, last) })
        {
            Assert.Equal(["code", "message", "result"], Members(answer));
            Assert.Equal((0, ""), ((int)answer["code"]!, (string)answer["message"]!));
            Assert.Equal(["functions", "total", "continue", "revision"], Members(answer["result"]!));
            Assert.Single(answer["result"]!["functions"]!.AsArray());
            Assert.Equal(1, (int)answer["result"]!["total"]!);
            Assert.Equal(Revision(response), (long)answer["result"]!["revision"]!);
        }

        Assert.NotEqual("", token);
        Assert.Equal("", (string)two["result"]!["continue"]!);
    }

    [Fact]
    public async Task AKeyedVersionsPage_IsFunctionsPageInfoContinueAndRevision()
    {
        using var api = factory.CreateApi("vshape" + Names.Hex());
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, revision, "v1", "faas");
        await api.PublishOkAsync(name, revision, "v2", "faas");

        using var first = await api.ListVersionsAsync(name, "?limit=2");
        var page = await Wire.OkAsync(first);

        Assert.Equal(["functions", "pageInfo", "continue", "revision"], Members(page));
        Assert.Equal(2, page["functions"]!.AsArray().Count);
        Assert.Equal("""{"pageIndex":"1","pageSize":"2","total":2}""", page["pageInfo"]!.ToJsonString());
        Assert.NotEqual("", (string)page["continue"]!);
        Assert.Equal(Revision(first), (long)page["revision"]!);
    }

    [Theory]
    [InlineData("name={a}")]
    [InlineData("versionNumber=v1")]
    [InlineData("qualifier=v1")]
    [InlineData("name={a}&versionNumber=v1")]
    public async Task TheFilters_GiveTheRowsOfTheListPagedByIndex(string filter)
    {
        var tenant = "kfilter" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        var a = Names.Faas();
        var b = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(a)))["revisionId"]!;
        await api.PublishOkAsync(a, revision, "v1", "faas");
        await api.CreateOkAsync(Bodies.Faas(b));
        var query = filter.Replace("{a}", Uri.EscapeDataString(a), StringComparison.Ordinal);

        var keyed = await RowsAsync(api, "?limit=100&" + query);
        var indexed = await RowsAsync(api, "?pageSize=100&" + query);
        var all = await RowsAsync(api, "?limit=100");

        Assert.Equal(indexed.Order(StringComparer.Ordinal), keyed.Order(StringComparer.Ordinal));
        Assert.NotEmpty(keyed);
        Assert.True(keyed.Count < all.Count, $"{filter} left {keyed.Count} of {all.Count} rows");
    }

    [Fact]
    public async Task ALimitPagesTheList_AndContinueWithoutALimitTakesTheDefaultPage()
    {
        using var api = factory.CreateApi("klimit" + Names.Hex());
        for (var i = 0; i < 3; i++)
        {
            await api.CreateOkAsync(Bodies.Faas(Names.Faas()));
        }

        using var first = await api.ListAsync("?limit=2");
        var page = (await Wire.OkAsync(first))["result"]!;
        using var rest = await api.ListAsync("?continue=" + Uri.EscapeDataString((string)page["continue"]!));
        var second = (await Wire.OkAsync(rest))["result"]!;

        Assert.Equal(2, page["functions"]!.AsArray().Count);
        Assert.Single(second["functions"]!.AsArray());
        Assert.Equal("", (string)second["continue"]!);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=10001")]
    public async Task ALimitOutOfRange_IsRefused_SayingTheRange(string query)
    {
        using var api = factory.CreateApi();

        using var response = await api.ListAsync(query);

        Assert.Equal("limit must be an integer from 1 to 10000. check input parameters", await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104));
    }

    private static List<string> Members(JsonNode node) => [.. node.AsObject().Select(m => m.Key)];

    private static long Revision(HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues("X-Meta-Revision").Single(), CultureInfo.InvariantCulture);

    private static async Task<List<string>> RowsAsync(Api api, string query)
    {
        using var response = await api.ListAsync(query);
        var functions = (await Wire.OkAsync(response))["result"]!["functions"]?.AsArray() ?? [];
        return [.. functions.Select(f => $"{(string)f!["name"]!}:{(string)f["versionNumber"]!}")];
    }
}