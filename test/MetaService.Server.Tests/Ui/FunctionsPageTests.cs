using System.Net;
using System.Text.RegularExpressions;

using MetaService.Server.Ui;

using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests.Ui;

/// <summary>The functions page over HTTP without a browser (authentication off): its rows, the search, kind and runtime
/// filters, pages and their links, each query refused with the rule it breaks, and the live rows that follow the page.</summary>
public sealed class FunctionsPageTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();
    private readonly string _tag = Names.Hex();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task EachVersion_IsARowWithWhatAPersonScansFor_AndTheRevisionItWasReadAt()
    {
        var name = await CreateYrlibAsync("a");
        using var client = ConsoleClient.Create(_factory);
        var revision = await _factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken);

        using var page = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        var html = await ConsoleClient.TextAsync(page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"data-revision=\"{revision}\"", html);
        var row = Regex.Match(html, "<tr data-key=\"" + Regex.Escape(name) + "/\\$latest\" data-order=\"([^\"]*)\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, html);
        Assert.Equal("/" + name + "/$latest/", row.Groups[1].Value);
        var cells = Regex.Matches(row.Groups[2].Value, "data-field=\"([a-z]+)\"[^>]*>([^<]*)<").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(name, cells["name"]);
        Assert.Equal(("$latest", "yrlib", "cpp11", "300", "128"), (cells["version"], cells["kind"], cells["runtime"], cells["cpu"], cells["memory"]));
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} UTC$", cells["updated"]);
        Assert.Contains($"href=\"/ui/functions/{Uri.EscapeDataString(name)}\"", row.Value);
        Assert.Contains("<p id=\"no-rows\" class=\"empty\" hidden>", html);
        Assert.Contains("<a class=\"button\" data-edit=\"new\" href=\"/ui/new\">New function</a>", html);
    }

    [Fact]
    public async Task TheSearch_ListsTheNamesThatContainIt_AndKeepsWhatWasTyped()
    {
        var wanted = await CreateYrlibAsync("ab");
        var other = await CreateYrlibAsync("cd");

        var html = await PageAsync("?q=+" + _tag + "ab+");

        Assert.Contains(">" + wanted + "</a>", html);
        Assert.DoesNotContain(other, html);
        Assert.Contains($"id=\"q\" name=\"q\" type=\"search\" value=\"{_tag}ab\"", html);
        Assert.Contains("<a href=\"/ui\">Clear</a>", html);
    }

    [Fact]
    public async Task TheKindAndRuntimeFilters_ListOnlyTheirFunctions_AndShowWhatIsChosen()
    {
        var yrlib = await CreateYrlibAsync("a");
        var faas = Names.Faas();
        using (var api = _factory.CreateApi())
        {
            await api.CreateOkAsync(Bodies.Faas(faas));
        }

        var byKind = await PageAsync("?kind=faas");
        var byRuntime = await PageAsync("?runtime=cpp11");

        Assert.Contains(">" + faas + "</a>", byKind);
        Assert.DoesNotContain(yrlib, byKind);
        Assert.Contains("<option value=\"faas\" selected>faas</option>", byKind);
        Assert.Contains("<a href=\"/ui\">Clear</a>", byKind);
        Assert.Contains(">" + yrlib + "</a>", byRuntime);
        Assert.DoesNotContain(faas, byRuntime);
        Assert.Contains("<option value=\"cpp11\" selected>cpp11</option>", byRuntime);
    }

    [Fact]
    public async Task APage_EndsWithALinkToTheNext_WhichLinksBackToTheFirst()
    {
        var names = new[] { await CreateYrlibAsync("1"), await CreateYrlibAsync("2"), await CreateYrlibAsync("3") };
        Array.Sort(names, StringComparer.Ordinal);

        var first = await PageAsync($"?q={_tag}&size=2");
        var next = WebUtility.HtmlDecode(Regex.Match(first, "<a href=\"([^\"]+)\" rel=\"next\">Next page</a>").Groups[1].Value);
        var second = await PageAsync(next[3..]);

        Assert.Equal([names[0], names[1]], Listed(first));
        Assert.Contains("<input type=\"hidden\" name=\"size\" value=\"2\" />", first);
        Assert.DoesNotContain("First page", first);
        Assert.StartsWith($"/ui?q={_tag}&after=", next);
        Assert.EndsWith("&size=2", next);
        Assert.Equal([names[2]], Listed(second));
        Assert.Contains($"<a href=\"/ui?q={_tag}&amp;size=2\">First page</a>", second);
        Assert.DoesNotContain("rel=\"next\"", second);
    }

    [Theory]
    [InlineData("?size=0", "size must be a whole number from 1 to 200")]
    [InlineData("?size=201", "size must be a whole number from 1 to 200")]
    [InlineData("?size=-1", "size must be a whole number from 1 to 200")]
    [InlineData("?size=ten", "size must be a whole number from 1 to 200")]
    [InlineData("?size=+5", "size must be a whole number from 1 to 200")]
    [InlineData("?q=129", "the search is at most 128 characters, kind and runtime at most 64")]
    [InlineData("?kind=65", "the search is at most 128 characters, kind and runtime at most 64")]
    [InlineData("?runtime=65", "the search is at most 128 characters, kind and runtime at most 64")]
    [InlineData("?after=1025", "the search is at most 128 characters, kind and runtime at most 64")]
    public async Task AQueryThatBreaksARule_Is400_SayingWhich(string query, string problem)
    {
        await CreateYrlibAsync("a");
        using var client = ConsoleClient.Create(_factory);

        using var page = await client.GetAsync("/ui" + Sent(query), TestContext.Current.CancellationToken);

        var html = await ConsoleClient.TextAsync(page);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">" + problem + ". check input parameters</p>", html);
        Assert.Empty(Listed(html));
        // The filters start again empty: the search blank, any kind and any runtime.
        Assert.Contains("<input id=\"q\" name=\"q\" type=\"search\" value=\"\"", html);
        Assert.Equal(2, Regex.Count(html, "<option value selected>any</option>"));
    }

    [Theory]
    [InlineData("2026-12-06 10:00:00.000 UTC", "2026-12-06 11:00:00.000 UTC", "2026-12-06 11:00:00.000 UTC")]
    [InlineData("2026-12-06 10:00:00.000 UTC", "", "2026-12-06 10:00:00.000 UTC")]
    public void ARowsTime_IsWhenTheVersionWasLastUpdated_OrCreatedWhenItNamesNoUpdate(string created, string updated, string shown) =>
        Assert.Equal(shown, Row(created, updated, "faas").Updated);

    [Fact]
    public void ARowOfARecordThatNamesNoKind_ShowsNone() => Assert.Equal("", Row("2026-12-06 10:00:00.000 UTC", "", "").Kind);

    [Theory]
    [InlineData("?size=1")]
    [InlineData("?size=200")]
    [InlineData("?q=128")]
    [InlineData("?kind=64")]
    [InlineData("?runtime=64")]
    [InlineData("?after=1024")]
    public async Task AQueryAtItsBounds_IsTaken(string query)
    {
        using var client = ConsoleClient.Create(_factory);

        using var page = await client.GetAsync("/ui" + Sent(query), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task NoMatch_IsSaid()
    {
        var html = await PageAsync("?q=" + _tag + "none");

        Assert.Contains("<p id=\"no-rows\" class=\"empty\">No function matches.</p>", html);
        Assert.DoesNotContain("<a href=\"/ui\">Clear</a>", (await PageAsync("")));
    }

    [Theory]
    [InlineData("", "", "", null, 50, "/ui")]
    [InlineData("a b", "faas", "python3.9", "k/1", 20, "/ui?q=a%20b&kind=faas&runtime=python3.9&after=k%2F1&size=20")]
    [InlineData("", "", "", "k", 50, "/ui?after=k")]
    public void ALink_NamesOnlyWhatDiffersFromTheDefaults(string search, string kind, string runtime, string? after, int size, string link) =>
        Assert.Equal(link, new FunctionListQuery(search, kind, runtime, null, size).Link(after));

    [Theory]
    [InlineData(null, "/ui/functions/0%40a%40b")]
    [InlineData("", "/ui/functions/0%40a%40b")]
    [InlineData("latest", "/ui/functions/0%40a%40b")]
    [InlineData("$latest", "/ui/functions/0%40a%40b")]
    [InlineData("v 1", "/ui/functions/0%40a%40b?version=v%201")]
    public void AFunctionsLink_NamesAVersionButNotTheDraft(string? version, string link) => Assert.Equal(link, FunctionLinks.Page("0@a@b", version));

    /// <summary>The query to send: <c>?size=N</c> as it is; <c>?name=N</c> with a value of N characters.</summary>
    private static string Sent(string query)
    {
        if (query.StartsWith("?size", StringComparison.Ordinal))
        {
            return query;
        }

        var eq = query.IndexOf('=', StringComparison.Ordinal);
        return query[..(eq + 1)] + new string('x', int.Parse(query[(eq + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static List<string> Listed(string html) => [.. Regex.Matches(html, "<a data-field=\"name\" href=\"[^\"]+\">([^<]+)</a>").Select(m => m.Groups[1].Value)];

    private async Task<string> PageAsync(string query)
    {
        using var client = ConsoleClient.Create(_factory);
        return await ConsoleClient.PageAsync(client, "/ui" + query);
    }

    private static FunctionRow Row(string created, string updated, string kind) =>
        FunctionRow.From(Core.Functions.FunctionView.From(FunctionFormTests.Record() with { CreateTime = created, UpdateTime = updated, PublishTime = created, Kind = kind }, new Core.MetaOptions()));

    [Fact]
    public async Task ARecordThatCannotBeRead_IsLeftOutOfTheListAndReported_AndItsPageSaysItIsNotThere()
    {
        var name = await CreateYrlibAsync("a");
        var (shown, listed) = (name + "shown", name + "listed");
        var written = await _factory.Store.TxnAsync(
            [],
            [.. new[] { shown, listed }.Select(broken => new Core.Storage.WriteOp.Put(Core.Storage.PlatformKeys.Record(Core.Tenant.Default, broken, "$latest"), "{not json"u8.ToArray()))],
            TestContext.Current.CancellationToken);
        await _factory.Services.GetRequiredService<Core.Catalog.FunctionCatalog>().WaitForAsync(written.Revision, TestContext.Current.CancellationToken);
        var unreadable = _factory.Services.GetRequiredService<Core.Records.UnreadableRecords>();
        var reported = unreadable.Reported;
        using var client = ConsoleClient.Create(_factory);

        // Each is reported once, by the first page that meets it.
        using var page = await client.GetAsync("/ui/functions/" + Uri.EscapeDataString(shown), TestContext.Current.CancellationToken);
        var afterPage = unreadable.Reported;
        var list = await ConsoleClient.PageAsync(client, "/ui?q=" + Uri.EscapeDataString(_tag));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(reported + 1, afterPage);
        Assert.Equal([name], Listed(list));
        Assert.Equal(reported + 2, unreadable.Reported);
    }

    private async Task<string> CreateYrlibAsync(string suffix)
    {
        var name = $"0-svc-{_tag}{suffix}";
        using var api = _factory.CreateApi();
        await api.CreateOkAsync(Bodies.Yrlib(name).With("runtime", "\"cpp11\""));
        return name;
    }
}