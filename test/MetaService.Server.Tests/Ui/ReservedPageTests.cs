using System.Net;
using System.Text.RegularExpressions;

using MetaService.Server.Ui.Admin;

namespace MetaService.Server.Tests.Ui;

/// <summary>A function's reserved-instances page over HTTP without a browser: admins only (each form as well as the
/// page), counts that are not whole numbers and a delete without a label refused with nothing written, create and update
/// going back to the version they wrote, the versions to pick from, and each change's notice.</summary>
public sealed class ReservedPageTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private readonly string _name = Names.Faas();
    private string _admin = "";

    private string Page => "/ui/functions/" + Uri.EscapeDataString(_name) + "/reserved";

    public async ValueTask InitializeAsync()
    {
        _admin = await AuthSetup.AdminTokenAsync(_factory);
        using var api = new Api(AuthSetup.Bearer(_factory, _admin));
        await api.CreateOkAsync(Bodies.Faas(_name));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("editor")]
    [InlineData("viewer")]
    public async Task ANonAdmin_Gets403_OnThePageAndOnEveryForm_AndNothingIsWritten(string role)
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, role);
        var answers = await _factory.Store.NothingWrittenAsync(async () => new[]
        {
            await client.GetAsync(Page, TestContext.Current.CancellationToken),
            await ConsoleClient.SubmitAsync(client, Page, ("version", "latest"), ("label", "a"), ("min", "1"), ("max", "2"), ("action", "create")),
            await ConsoleClient.SubmitAsync(client, Page + "/delete", ("version", "latest"), ("label", "a")),
        });
        using var page = answers[0];
        using var write = answers[1];
        using var delete = answers[2];

        foreach (var response in new[] { page, write, delete })
        {
            var html = await ConsoleClient.TextAsync(response);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("Only an admin manages reserved instances here.", html);
            Assert.DoesNotContain("reserve-form", html);
        }
    }

    [Theory]
    [InlineData("x", "2", "minimum &#x27;x&#x27; and maximum &#x27;2&#x27; must be whole numbers. check input parameters")]
    [InlineData("1", "2.0", "minimum &#x27;1&#x27; and maximum &#x27;2.0&#x27; must be whole numbers. check input parameters")]
    [InlineData("", "2", "minimum &#x27;&#x27; and maximum &#x27;2&#x27; must be whole numbers. check input parameters")]
    public async Task CountsThatAreNotWholeNumbers_AreRefusedOnThePage_WithTheFormAsTyped(string min, string max, string problem)
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page, ("version", "latest"), ("label", " gpu-a "), ("cluster", " c1 "), ("min", min), ("max", max), ("action", "create")));

        var html = await ConsoleClient.TextAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">" + problem + "</p>", html);
        Assert.Contains("id=\"reserve-label\" name=\"label\" value=\"gpu-a\"", html);
        Assert.Contains("id=\"reserve-cluster\" name=\"cluster\" value=\"c1\"", html);
    }

    [Fact]
    public async Task Created_ThenUpdated_EachGoesBackToTheVersionItWrote_WithItsNotice()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var created = await ConsoleClient.SubmitAsync(client, Page, ("version", "latest"), ("label", " gpu-a "), ("cluster", ""), ("min", " 1 "), ("max", "+2"), ("action", "create"));
        var afterCreate = await ReservedAsync();
        using var updated = await ConsoleClient.SubmitAsync(client, Page, ("version", "latest"), ("label", "gpu-a"), ("min", "2"), ("max", "3"), ("action", "update"));
        using var page = await client.GetAsync(updated.Headers.Location!.OriginalString, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(Page + "?version=latest&done=created", created.Headers.Location!.OriginalString);
        Assert.Equal(("gpu-a", 1L, 2L), afterCreate);
        Assert.Equal(HttpStatusCode.Redirect, updated.StatusCode);
        Assert.Equal(Page + "?version=latest&done=updated", updated.Headers.Location!.OriginalString);
        Assert.Equal(("gpu-a", 2L, 3L), await ReservedAsync());
        var html = await ConsoleClient.TextAsync(page);
        Assert.Contains("<p class=\"notice\" role=\"status\">Saved the reserved instances.</p>", html);
        Assert.Contains("<td class=\"num\" data-field=\"max\">3</td>", html);
    }

    [Fact]
    public async Task ThePage_OffersABlankForm_ForAtLeast0_AndAtMost1()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        var html = await ConsoleClient.PageAsync(client, Page);

        Assert.Contains("id=\"reserve-label\" name=\"label\" value=\"\"", html);
        Assert.Contains("id=\"reserve-cluster\" name=\"cluster\" value=\"\"", html);
        Assert.Contains("id=\"reserve-min\" name=\"min\" type=\"number\" step=\"1\" value=\"0\"", html);
        Assert.Contains("id=\"reserve-max\" name=\"max\" type=\"number\" step=\"1\" value=\"1\"", html);
    }

    [Fact]
    public async Task AnUpdateOfALabelThatIsNotThere_IsRefused_AndCreatesNothing()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page, ("version", "latest"), ("label", "gpu-a"), ("min", "1"), ("max", "2"), ("action", "update")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">", await ConsoleClient.TextAsync(response));
    }

    [Fact]
    public async Task ThePageOfANameThatIsNoFunctionName_Is400_SayingWhy()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var page = await client.GetAsync("/ui/functions/no%20name/reserved", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">", await ConsoleClient.TextAsync(page));
    }

    [Fact]
    public async Task AWriteTheServiceRefuses_IsShownWithItsMessage_AndNothingWritten()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page, ("version", "latest"), ("label", "gpu-a"), ("min", "5"), ("max", "2"), ("action", "create")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is less than minInstance", await ConsoleClient.TextAsync(response));
    }

    [Fact]
    public async Task ADeleteWithoutALabel_IsRefused_AndDeletesNothing()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);
        using var created = await ConsoleClient.SubmitAsync(client, Page, ("version", "latest"), ("label", "gpu-a"), ("min", "1"), ("max", "2"), ("action", "create"));

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page + "/delete", ("version", "latest"), ("label", "")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">name the label to delete. check input parameters</p>", await ConsoleClient.TextAsync(response));
        Assert.Equal(("gpu-a", 1L, 2L), await ReservedAsync());
    }

    [Fact]
    public async Task ADeleteRefused_ForAVersionWhoseLabelsCannotBeReadEither_ShowsTheDeletesRefusal()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page + "/delete", ("version", "v 1"), ("label", new string('a', 200))));

        var html = await ConsoleClient.TextAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // The version's labels cannot be read either (no version "v 1"): the page says why the delete was refused.
        var problem = Assert.Single(Regex.Matches(html, "<p class=\"problem\" role=\"alert\">([^<]*)</p>")).Groups[1].Value;
        Assert.StartsWith("instanceLabel: must not be longer than 63 characters", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALabelDeleted_GoesBackToItsVersion_WithItsNotice()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);
        using var created = await ConsoleClient.SubmitAsync(client, Page, ("version", "latest"), ("label", "gpu-a"), ("min", "1"), ("max", "2"), ("action", "create"));

        using var response = await ConsoleClient.SubmitAsync(client, Page + "/delete", ("version", "latest"), ("label", "gpu-a"));
        using var page = await client.GetAsync(response.Headers.Location!.OriginalString, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Page + "?version=latest&done=deleted", response.Headers.Location!.OriginalString);
        var html = await ConsoleClient.TextAsync(page);
        Assert.Contains("<p class=\"notice\" role=\"status\">Deleted the label&#x27;s reserved instances.</p>", html);
        Assert.Contains("<p class=\"empty\">None reserved for latest.</p>", html);
    }

    /// <summary>The console's gate attaches the signed-in caller to each request it lets in: a reserved-instance write,
    /// which reads its form without the editing pages' helper, is named in the history by that credential too.</summary>
    [Fact]
    public async Task ACreateAndADelete_NameTheSignedInCredential_InTheFunctionsHistory()
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);
        var (id, token) = await AuthSetup.CreateTokenAsync(admin, "default", "admin");
        using var client = await ConsoleClient.SignedInAsync(_factory, token);

        using var created = await ConsoleClient.SubmitAsync(client, Page, ("version", "latest"), ("label", "gpu-a"), ("min", "1"), ("max", "2"), ("action", "create"));
        using var deleted = await ConsoleClient.SubmitAsync(client, Page + "/delete", ("version", "latest"), ("label", "gpu-a"));

        using var api = new Api(admin);
        var entries = (await HistoryTests.EntriesAsync(api, _name)).Take(2).Select(e => ((string)e!["operation"]!, (string)e["actor"]!["principal"]!));
        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (created.StatusCode, deleted.StatusCode));
        Assert.Equal([("reserve-delete", id), ("reserve-create", id)], entries);
    }

    [Fact]
    public async Task TheVersionsToPickFrom_AreTheDraftThenEachPublishedOne()
    {
        using var api = new Api(AuthSetup.Bearer(_factory, _admin));
        var draft = await api.GetOkAsync(_name);
        await api.PublishOkAsync(_name, (string)draft["revisionId"]!, "v1");
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var page = await client.GetAsync(Page, TestContext.Current.CancellationToken);
        using var v1 = await client.GetAsync(Page + "?version=v1&done=created", TestContext.Current.CancellationToken);

        var html = await ConsoleClient.TextAsync(page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<option value=\"latest\" selected>latest</option><option value=\"v1\">v1</option>", Regex.Replace(html, ">\\s+<", "><"));
        var one = await ConsoleClient.TextAsync(v1);
        Assert.Contains("<h2 id=\"labels-heading\">Labels of version v1</h2>", one);
        Assert.Contains("<p class=\"notice\" role=\"status\">Created the reserved instances.</p>", one);
    }

    [Fact]
    public async Task ThePageOfAFunctionThatIsNotThere_Is404()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var page = await client.GetAsync("/ui/functions/0%40svc%40nope/reserved", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">", await ConsoleClient.TextAsync(page));
    }

    [Theory]
    [InlineData(null, null, "/ui/functions/0%40a%40b/reserved")]
    [InlineData("v1", null, "/ui/functions/0%40a%40b/reserved?version=v1")]
    [InlineData("", "created", "/ui/functions/0%40a%40b/reserved?done=created")]
    [InlineData("v 1", "deleted", "/ui/functions/0%40a%40b/reserved?version=v%201&done=deleted")]
    public void ALink_NamesOnlyWhatItIsGiven(string? version, string? done, string link) => Assert.Equal(link, ReservedView.Link("0@a@b", version, done));

    private async Task<(string Label, long Min, long Max)> ReservedAsync()
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);
        using var response = await admin.GetAsync("/serverless/v1/functions/reserve-instance?funcName=" + Uri.EscapeDataString(_name) + "&version=latest", TestContext.Current.CancellationToken);
        var result = (await Wire.OkAsync(response))["results"]![0]!;
        var config = result["instanceConfigInfos"]![0]!;
        return ((string)result["instanceLabel"]!, (long)config["minInstance"]!, (long)config["maxInstance"]!);
    }
}