using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using MetaService.Core.History;
using MetaService.Server.Ui.History;

namespace MetaService.Server.Tests.Ui;

/// <summary>The history timeline and the compare page over HTTP without a browser (authentication off): entries newest
/// first in pages whose links keep the query, the trail's filters, the sides compared and what the page offers before
/// any is chosen, a side that names nothing said on the page; and the pages' links and rows without a server.</summary>
public sealed class HistoryPagesTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();
    private string _name = "";

    public async ValueTask InitializeAsync()
    {
        _name = Names.Faas();
        using var api = _factory.CreateApi();
        var created = await api.CreateOkAsync(Bodies.Faas(_name));
        await api.PublishOkAsync(_name, (string)created["revisionId"]!, "v1");
        var draft = await api.GetOkAsync(_name);
        await api.UpdateOkAsync(_name, Bodies.Update((string)draft["revisionId"]!).With("memory", "256"));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private string Timeline => "/ui/functions/" + Uri.EscapeDataString(_name) + "/history";

    private string Compare => "/ui/functions/" + Uri.EscapeDataString(_name) + "/compare";

    [Fact]
    public async Task AFunctionsTimeline_IsNewestFirst_InPagesWhoseLinksKeepTheLimit()
    {
        var first = await PageAsync(Timeline + "?limit=2");
        var older = WebUtility.HtmlDecode(Regex.Match(first, "<a href=\"([^\"]+)\" rel=\"next\">Older entries</a>").Groups[1].Value);
        var second = await PageAsync(older);

        Assert.Equal(["update", "publish"], Operations(first));
        Assert.DoesNotContain("Newest entries", first);
        Assert.StartsWith(Timeline + "?limit=2&continue=", older);
        Assert.Equal(["create"], Operations(second));
        Assert.Contains($"<a href=\"{Timeline}?limit=2\">Newest entries</a>", second);
        Assert.DoesNotContain("rel=\"next\"", second);
        Assert.Matches("<summary>[0-9]+ changes</summary>", first);
        Assert.Contains($"<a href=\"{Compare}?from=%40", first);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=x")]
    [InlineData("?continue=not-a-token")]
    public async Task AQueryTheHistoryRouteRefuses_Is400_SayingWhy(string query)
    {
        using var client = ConsoleClient.Create(_factory);

        using var page = await client.GetAsync(Timeline + query, TestContext.Current.CancellationToken);
        using var trail = await client.GetAsync("/ui/history" + query, TestContext.Current.CancellationToken);

        foreach (var response in new[] { page, trail })
        {
            var html = await ConsoleClient.TextAsync(response);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("<p class=\"problem\" role=\"alert\">", html);
            Assert.Empty(Operations(html));
        }
    }

    [Fact]
    public async Task TheTrail_IsFilteredByFunctionAndOperation_AndItsLinksKeepTheFilters()
    {
        using (var api = _factory.CreateApi())
        {
            await api.CreateOkAsync(Bodies.Faas(Names.Faas()));
        }

        var all = await PageAsync("/ui/history");
        var byName = await PageAsync("/ui/history?name=" + Uri.EscapeDataString(_name) + "&limit=1");
        var byOperation = await PageAsync("/ui/history?operation=create");

        Assert.Equal(["create", "update", "publish", "create"], Operations(all));
        Assert.Equal(["update"], Operations(byName));
        Assert.Contains($"<a href=\"/ui/history?name={Uri.EscapeDataString(_name)}&amp;limit=1&amp;continue=", byName);
        Assert.Contains($"id=\"trail-name\" name=\"name\" type=\"search\" value=\"{_name}\"", byName);
        Assert.Equal(["create", "create"], Operations(byOperation));
        Assert.Contains("<option value=\"create\" selected>create</option>", byOperation);
        Assert.Contains($"<a href=\"{Timeline}\" data-field=\"name\">{_name}</a>", all);
    }

    [Fact]
    public async Task NoEntries_IsSaid()
    {
        var html = await PageAsync("/ui/history?name=nobody");

        Assert.Contains("<p class=\"empty\">No history entries.</p>", html);
    }

    [Fact]
    public async Task Compare_OffersTheNewestVersionAgainstTheDraft_BeforeAnythingIsChosen()
    {
        var html = await PageAsync(Compare);

        Assert.Contains("<option value=\"v1\" selected>v1</option>", From(html));
        Assert.Contains("<option value=\"latest\" selected>latest (the draft)</option>", To(html));
        Assert.Matches("<option value=\"@[0-9]+\">@[0-9]+ &#xB7; update latest &#xB7; [0-9]{4}-", From(html));
        Assert.Matches("<option value=\"@[0-9]+\">@[0-9]+ &#xB7; create latest &#xB7; ", From(html));
        Assert.DoesNotContain("id=\"comparison\"", html);
    }

    [Fact]
    public async Task Compare_ShowsBothSidesOfEveryField_MarkingWhatDiffers()
    {
        var html = await PageAsync(Compare + "?from=v1&to=latest");

        Assert.Matches("[0-9]+ fields differ between v1 and latest\\.", html);
        Assert.Contains($"<a href=\"{Compare}?from=v1&amp;to=latest&amp;only=changes\">Show only the differences</a>", html);
        var memory = Regex.Match(html, "<tr class=\"differs\" data-path=\"memory\">.*?<td data-side=\"a\">([^<]*)</td>\\s*<td data-side=\"b\">([^<]*)</td>", RegexOptions.Singleline);
        Assert.Equal(("128", "256"), (memory.Groups[1].Value, memory.Groups[2].Value));
        Assert.Matches("<tr data-path=\"runtime\">", html);
        var only = await PageAsync(Compare + "?from=v1&to=latest&only=changes");
        Assert.DoesNotContain("data-path=\"runtime\"", only);
        Assert.Contains("data-path=\"memory\"", only);
        Assert.Contains($"<a href=\"{Compare}?from=v1&amp;to=latest\">Show every field</a>", only);
    }

    [Theory]
    [InlineData("?from=v9&to=latest", HttpStatusCode.NotFound)]
    [InlineData("?from=v1&to=v9", HttpStatusCode.NotFound)]
    [InlineData("?from=@x&to=latest", HttpStatusCode.BadRequest)]
    public async Task ASideThatNamesNothing_IsSaidOnThePage_KeepingWhatWasAsked(string query, HttpStatusCode status)
    {
        using var client = ConsoleClient.Create(_factory);

        using var page = await client.GetAsync(Compare + query, TestContext.Current.CancellationToken);

        var html = await ConsoleClient.TextAsync(page);
        Assert.Equal(status, page.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">", html);
        Assert.DoesNotContain("id=\"comparison\"", html);
        var asked = query.Contains("v9", StringComparison.Ordinal) ? "v9" : "@x";
        Assert.Contains($"<option value=\"{asked}\" selected>{asked}</option>", html);
    }

    [Theory]
    [InlineData("?from=v1", "to")]
    [InlineData("?from=v1&to=@x", "to")]
    [InlineData("?from=@x&to=v1", "from")]
    public async Task ASideMissingOrMalformed_Is400_NamingIt(string query, string side)
    {
        using var client = ConsoleClient.Create(_factory);

        using var page = await client.GetAsync(Compare + query, TestContext.Current.CancellationToken);

        var html = await ConsoleClient.TextAsync(page);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Matches("<p class=\"problem\" role=\"alert\">" + side + "\\b", html);
        Assert.DoesNotContain("id=\"comparison\"", html);
    }

    [Fact]
    public async Task Compare_OfAFunctionNeverPublished_OffersTheDraftAgainstItself()
    {
        var name = Names.Faas();
        using (var api = _factory.CreateApi())
        {
            await api.CreateOkAsync(Bodies.Faas(name));
        }

        var html = await PageAsync("/ui/functions/" + Uri.EscapeDataString(name) + "/compare");

        Assert.Contains("<option value=\"latest\" selected>latest (the draft)</option>", From(html));
        Assert.Contains("<option value=\"latest\" selected>latest (the draft)</option>", To(html));
    }

    [Fact]
    public void ATimelinesLink_NamesNoLimit_WhenNoneWasAsked() =>
        Assert.Equal("/ui/history?continue=t", new HistoryTimeline(null!, null, null, null).Link("t"));

    [Fact]
    public async Task TheCompareOfAFunctionThatIsNotThere_Is404()
    {
        using var client = ConsoleClient.Create(_factory);

        using var page = await client.GetAsync("/ui/functions/0%40svc%40nope/compare?from=latest&to=latest", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    [Fact]
    public async Task TheCompareOfANameThatIsNoFunctionName_Is400_SayingWhy()
    {
        using var client = ConsoleClient.Create(_factory);

        using var page = await client.GetAsync("/ui/functions/no%20name/compare?from=latest&to=latest", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal("invalid URN: no name. check input parameters", Regex.Match(await ConsoleClient.TextAsync(page), "<p class=\"problem\" role=\"alert\">([^<]*)</p>").Groups[1].Value);
    }

    [Theory]
    [InlineData(null, null, null, null, null, "/ui/history")]
    [InlineData(null, "f 1", "update", "5", "t/1", "/ui/history?name=f%201&operation=update&limit=5&continue=t%2F1")]
    [InlineData("0@a@b", null, null, "", "t", "/ui/functions/0%40a%40b/history?continue=t")]
    public void ATimelinesLink_KeepsItsFilters(string? function, string? name, string? operation, string? limit, string? token, string link) =>
        Assert.Equal(link, new HistoryTimeline(null!, function, name, operation) { Limit = limit ?? "" }.Link(token));

    [Fact]
    public void AValue_IsShownAsItIs_OrAsJson_OrAsADash()
    {
        Assert.Equal("—", HistoryTimeline.Text(null));
        Assert.Equal("a b", HistoryTimeline.Text(JsonValue.Create("a b")));
        Assert.Equal("5", HistoryTimeline.Text(JsonValue.Create(5)));
        Assert.Equal("""{"a":[1]}""", HistoryTimeline.Text(JsonNode.Parse("""{"a":[1]}""")));
    }

    [Theory]
    [InlineData(null, null, "/ui/functions/0%40a%40b/compare")]
    [InlineData("v1", null, "/ui/functions/0%40a%40b/compare?from=v1")]
    [InlineData("", "@5", "/ui/functions/0%40a%40b/compare?to=%405")]
    public void ACompareLink_NamesOnlyTheSidesGiven(string? from, string? to, string link) => Assert.Equal(link, HistoryLinks.Compare("0@a@b", from, to));

    [Fact]
    public void APicker_HoldsTheSideAsked_EvenWhenItOffersItNot()
    {
        var view = new CompareView(null!, "f", "v1", "latest", [new("latest", "the draft"), new("v1", "v1")]);

        Assert.Equal(["latest", "v1"], view.ChoicesWith("").Select(c => c.Value));
        Assert.Equal(["latest", "v1"], view.ChoicesWith("v1").Select(c => c.Value));
        Assert.Equal(["v7", "latest", "v1"], view.ChoicesWith("v7").Select(c => c.Value));
    }

    [Fact]
    public void TheRows_AreEveryMemberOfBoth_InTheFirstsOrderThenTheSeconds_MarkedWhenAChangeNamesThemOrAMemberAboveOrBelow()
    {
        var from = JsonNode.Parse("""{"a":1,"b":{"c":2,"d":3},"e":{},"g":{"h":{"i":1}}}""");
        var to = JsonNode.Parse("""{"a":1,"b":{"c":5},"f":"x","g":{"h":{"i":2}}}""");
        HistoryChange[] changes = [new("b.c", "replace", 2, 5), new("b.d", "remove", 3, null), new("f", "add", null, "x"), new("g.h", "replace", null, null)];

        var rows = CompareRows.Of(from, to, changes);

        Assert.Equal(
            [new("a", "1", "1", false), new("b.c", "2", "5", true), new("b.d", "3", null, true), new("e", "{}", null, false), new("g.h.i", "1", "2", true), new("f", null, "x", true)],
            rows);
        Assert.True(CompareRows.Of(JsonNode.Parse("""{"b":{"c":1}}"""), null, [new("b.c.x", "add", null, 1)]).Single().Changed);
        // A member whose name only begins with a changed one's is not marked, nor the other way round.
        var siblings = JsonNode.Parse("""{"b":1,"bc":2}""");
        Assert.Equal([true, false], CompareRows.Of(siblings, siblings, [new("b", "replace", 1, 1)]).Select(r => r.Changed));
        Assert.Equal([false, true], CompareRows.Of(siblings, siblings, [new("bc", "replace", 2, 2)]).Select(r => r.Changed));
        Assert.Empty(CompareRows.Of(null, JsonNode.Parse("{}"), []));
    }

    private static List<string> Operations(string html) =>
        [.. Regex.Matches(html, "<strong class=\"operation\" data-field=\"operation\">([^<]+)</strong>").Select(m => m.Groups[1].Value)];

    private static string From(string html) => Regex.Match(html, "<select id=\"compare-from\".*?</select>", RegexOptions.Singleline).Value;

    private static string To(string html) => Regex.Match(html, "<select id=\"compare-to\".*?</select>", RegexOptions.Singleline).Value;

    private async Task<string> PageAsync(string path)
    {
        using var client = ConsoleClient.Create(_factory);
        return await ConsoleClient.PageAsync(client, path);
    }
}