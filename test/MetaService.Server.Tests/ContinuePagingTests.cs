using System.Net;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

/// <summary>Lists paged with <c>limit</c> and <c>continue</c>: key order, a token to the next page, the revision each page was
/// read at; every function that exists throughout is listed once however the list changes; bad tokens answer 400, tokens
/// of a list the store no longer has the history of 410; <c>kind</c>, <c>runtime</c>, <c>updatedSince</c> filter.</summary>
public sealed class ContinuePagingTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Limit37_Through1000Functions_WhileAnotherClientCreatesAndDeletes_ListsEveryFunctionThatExistedThroughoutOnce()
    {
        var tenant = "paging" + Names.Hex();
        using var reader = factory.CreateApi(tenant);
        using var writer = factory.CreateApi(tenant);
        var stable = Enumerable.Range(0, 1000).Select(_ => Names.Faas()).ToList();
        var doomed = Enumerable.Range(0, 60).Select(_ => Names.Faas()).ToList();
        foreach (var chunk in stable.Concat(doomed).Chunk(50))
        {
            await Task.WhenAll(chunk.Select(n => reader.CreateOkAsync(Bodies.Faas(n))));
        }

        using var stop = new CancellationTokenSource();
        var churn = ChurnAsync(writer, doomed, stop.Token);
        var seen = new List<string>();
        var token = "";
        var pages = 0;
        try
        {
            do
            {
                using var response = await reader.ListAsync("?limit=37" + (token.Length > 0 ? "&continue=" + Uri.EscapeDataString(token) : ""));
                var result = (await Wire.OkAsync(response))["result"]!;
                Assert.Equal(response.Headers.GetValues("X-Meta-Revision").Single(), ((long)result["revision"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
                var rows = result["functions"]?.AsArray() ?? [];
                Assert.True(rows.Count <= 37);
                seen.AddRange(rows.Select(r => (string)r!["name"]!));
                token = (string)result["continue"]!;

                // Between pages the other client also changes the list, so every page is read from a list that changed.
                await writer.CreateOkAsync(Bodies.Faas(Names.Faas()));
                if (pages < doomed.Count)
                {
                    using (await writer.DeleteAsync(doomed[pages]))
                    {
                    }
                }

                pages++;
            }
            while (token.Length > 0 && pages < 200);
        }
        finally
        {
            await stop.CancelAsync();
            await churn;
        }

        Assert.InRange(pages, 28, 199);
        var twice = seen.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var listed = seen.ToHashSet();
        var missed = stable.Where(n => !listed.Contains(n)).ToList();
        Assert.True(twice.Count == 0, "listed twice: " + string.Join(", ", twice));
        Assert.True(missed.Count == 0, "never listed: " + string.Join(", ", missed));
    }

    [Fact]
    public async Task Pages_AreInKeyOrder_AndTheLastOneHasNoToken()
    {
        var tenant = "order" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        var names = Enumerable.Range(0, 5).Select(_ => Names.Faas()).ToList();
        foreach (var name in names)
        {
            await api.CreateOkAsync(Bodies.Faas(name));
        }

        var first = await PageAsync(api, "?limit=3");
        var second = await PageAsync(api, "?limit=3&continue=" + Uri.EscapeDataString((string)first["continue"]!));

        Assert.Equal(names.Order(StringComparer.Ordinal), first["functions"]!.AsArray().Concat(second["functions"]!.AsArray()).Select(r => (string)r!["name"]!));
        Assert.Equal(3, (int)first["total"]!);
        Assert.Equal("", (string?)second["continue"]);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("AAAA")]
    public async Task ATamperedToken_Is400_AndWritesNothing(string token)
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.ListAsync("?limit=2&continue=" + token));

        Assert.Contains("continue token", await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditedToken_Is400_AndATokenOfAnotherQuery_Too()
    {
        var tenant = "edit" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        for (var i = 0; i < 3; i++)
        {
            await api.CreateOkAsync(Bodies.Faas(Names.Faas()));
        }

        var token = (string)(await PageAsync(api, "?limit=1"))["continue"]!;
        var edited = (token[5] == 'A' ? "B" : "A") is var c ? token[..5] + c + token[6..] : token;

        using var tampered = await api.ListAsync("?limit=1&continue=" + Uri.EscapeDataString(edited));
        using var otherQuery = await api.ListAsync("?limit=1&kind=yrlib&continue=" + Uri.EscapeDataString(token));

        await Wire.AssertErrorAsync(tampered, HttpStatusCode.BadRequest, 4104);
        Assert.Contains("another list", await Wire.AssertErrorAsync(otherQuery, HttpStatusCode.BadRequest, 4104), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name", "svc", "fn-")]
    [InlineData("versionNumber", "latest", "v1")]
    [InlineData("qualifier", "latest", "v1")]
    public async Task ATokenUsedWithAnotherFilter_Is400_AndWritesNothing(string filter, string first, string other)
    {
        using var api = factory.CreateApi("filter" + Names.Hex());
        for (var i = 0; i < 2; i++)
        {
            var name = Names.Faas();
            var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
            await api.PublishOkAsync(name, revision, "v1", "faas");
        }

        var token = (string)(await PageAsync(api, $"?limit=1&{filter}={first}"))["continue"]!;

        using var response = await factory.Store.NothingWrittenAsync(() => api.ListAsync($"?limit=1&{filter}={other}&continue={Uri.EscapeDataString(token)}"));

        Assert.Contains("another list", await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=10001")]
    [InlineData("?limit=x")]
    [InlineData("?limit=+5")]
    [InlineData("?limit=-5")]
    [InlineData("?limit=%205")]
    [InlineData("?limit=5&pageIndex=1")]
    [InlineData("?limit=5&pageSize=5")]
    [InlineData("?limit=5&updatedSince=yesterday")]
    public async Task BadPaging_Is400(string query)
    {
        using var api = factory.CreateApi();

        using var response = await api.ListAsync(query);

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }

    [Theory]
    [InlineData("?limit=5&pageIndex=1", "page with either pageIndex and pageSize or limit and continue, not both")]
    [InlineData("?limit=0", "limit must be an integer from 1 to 10000")]
    public async Task BadPaging_SaysWhy(string query, string why)
    {
        using var api = factory.CreateApi();

        using var response = await api.ListAsync(query);

        Assert.Contains(why, await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVersionsPage_OfANameNoFunctionCanHave_IsRefused_AsTheUnpagedListIs()
    {
        using var api = factory.CreateApi();

        using var paged = await api.ListVersionsAsync("a%20b", "?limit=5");
        using var unpaged = await api.ListVersionsAsync("a%20b");

        Assert.Equal(unpaged.StatusCode, paged.StatusCode);
        Assert.Equal(await unpaged.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), await paged.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True((int)paged.StatusCode is >= 400 and < 500, $"{paged.StatusCode}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10_000)]
    public async Task ALimitFrom1To10000_IsTaken(int limit)
    {
        using var api = factory.CreateApi("limit" + Names.Hex());
        await api.CreateOkAsync(Bodies.Faas(Names.Faas()));

        var page = await PageAsync(api, $"?limit={limit}");

        Assert.Single(page["functions"]!.AsArray());
    }

    [Fact]
    public async Task EveryPagesToken_CarriesTheRevisionTheListBeganAt_AndAVersionsTokenIsNotAListsToken()
    {
        var tenant = "began" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, revision, "v1", "faas");
        await api.CreateOkAsync(Bodies.Faas(Names.Faas()));
        await api.CreateOkAsync(Bodies.Faas(Names.Faas()));

        using var first = await api.ListAsync("?limit=1");
        var began = long.Parse(first.Headers.GetValues("X-Meta-Revision").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var token = (string)(await Wire.OkAsync(first))["result"]!["continue"]!;
        await api.CreateOkAsync(Bodies.Faas(Names.Faas()));
        using var second = await api.ListAsync("?limit=1&continue=" + Uri.EscapeDataString(token));
        var read = long.Parse(second.Headers.GetValues("X-Meta-Revision").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var next = (string)(await Wire.OkAsync(second))["result"]!["continue"]!;
        using var versions = await api.ListVersionsAsync(name, "?limit=1&continue=" + Uri.EscapeDataString(token));

        Assert.True(read > began, $"the second page was read at {read}, after the write that followed the first ({began})");
        Assert.Equal(began, TokenRevision(next));
        Assert.Equal(began, TokenRevision(token));
        Assert.Contains("another list", await Wire.AssertErrorAsync(versions, HttpStatusCode.BadRequest, 4104), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenOfAListWhoseChangesNeitherTheWatchHoldsNorTheStoreKeeps_Is410_TellingToListAgain()
    {
        await using var server = new MetaServiceFactory();
        QuietFunctions.ForgetSoon(server);
        using var api = server.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.CreateOkAsync(Bodies.Faas(Names.Faas()));
        var token = (string)(await PageAsync(api, "?limit=1"))["continue"]!;
        await QuietFunctions.ForgetAsync(server, api, name, revision);

        using var response = await api.ListAsync("?limit=1&continue=" + Uri.EscapeDataString(token));

        Assert.Contains("list again", await Wire.AssertErrorAsync(response, HttpStatusCode.Gone, 410), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenOfAQuietList_Continues_ThoughTheStoreWasCompactedPastItsRevision()
    {
        await using var server = new MetaServiceFactory();
        StoreUnderTest.AllowCompaction(server);
        using var api = server.CreateApi();
        var names = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            names.Add((string)(await api.CreateOkAsync(Bodies.Faas(Names.Faas())))["name"]!);
        }

        using var first = await api.ListAsync("?limit=1");
        var token = (string)(await Wire.OkAsync(first))["result"]!["continue"]!;
        await QuietFunctions.CompactPastAsync(server, api, QuietFunctions.Revision(first));

        var second = await NamesAsync(api, "?limit=1&continue=" + Uri.EscapeDataString(token));

        Assert.Equal([names.Order(StringComparer.Ordinal).Last()], second);
    }

    [Fact]
    public async Task KindRuntimeAndUpdatedSince_Filter_BothWaysOfPaging()
    {
        var tenant = "filter" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        var faas = await api.CreateOkAsync(Bodies.Faas(Names.Faas()));
        var java = await api.CreateOkAsync(Bodies.Yrlib(Names.Yrlib()).With("runtime", "\"java8\""));

        var byKind = await NamesAsync(api, "?kind=yrlib");
        var byRuntime = await NamesAsync(api, "?limit=10&runtime=java1.8");
        var since = await NamesAsync(api, "?updatedSince=" + Uri.EscapeDataString((string)faas["createTime"]!));
        var future = await NamesAsync(api, "?limit=10&updatedSince=2999-01-01T00:00:00Z");

        Assert.Equal([(string)java["name"]!], byKind);
        Assert.Equal([(string)java["name"]!], byRuntime);
        Assert.Equal(new[] { (string)faas["name"]!, (string)java["name"]! }.Order(StringComparer.Ordinal), since.Order(StringComparer.Ordinal));
        Assert.Empty(future);
    }

    [Fact]
    public async Task Versions_PageWithLimitAndContinue_InKeyOrder()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            await api.PublishOkAsync(name, revision, version, "faas");
        }

        using var first = await api.ListVersionsAsync(name, "?limit=2");
        var one = await Wire.OkAsync(first);
        using var second = await api.ListVersionsAsync(name, "?limit=2&continue=" + Uri.EscapeDataString((string)one["continue"]!));
        var two = await Wire.OkAsync(second);

        Assert.Equal(["latest", "v1", "v2", "v3"], one["functions"]!.AsArray().Concat(two["functions"]!.AsArray()).Select(r => (string)r!["versionNumber"]!));
        Assert.Equal("", (string?)two["continue"]);
        Assert.True(first.Headers.Contains("X-Meta-Revision"));
    }

    /// <summary>The revision a token names: its second line, as the token's layout has it (ContinueTokens).</summary>
    private static long TokenRevision(string token)
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        var payload = System.Text.Encoding.UTF8.GetString(bytes, 0, bytes.Length - 16);
        return long.Parse(payload.Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<JsonNode> PageAsync(Api api, string query)
    {
        using var response = await api.ListAsync(query);
        return (await Wire.OkAsync(response))["result"]!;
    }

    private static async Task<List<string>> NamesAsync(Api api, string query) =>
        [.. ((await PageAsync(api, query))["functions"]?.AsArray() ?? []).Select(r => (string)r!["name"]!)];

    /// <summary>Creates and deletes functions of its own until stopped (at most 400 of each).</summary>
    private static async Task ChurnAsync(Api writer, List<string> doomed, CancellationToken stop)
    {
        for (var i = 0; i < 400 && !stop.IsCancellationRequested; i++)
        {
            var name = Names.Faas();
            await writer.CreateOkAsync(Bodies.Faas(name));
            using (await writer.DeleteAsync(name))
            {
            }
        }
    }
}