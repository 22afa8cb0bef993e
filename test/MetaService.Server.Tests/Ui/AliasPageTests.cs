using System.Net;
using System.Text.RegularExpressions;

using MetaService.Server.Ui.Aliases;

namespace MetaService.Server.Tests.Ui;

/// <summary>The alias weights editor over HTTP without a browser: editors and admins only (each form as well as the
/// page), the weights shown per version, a save and a rollback under the revisionId the page was read at, a weight that
/// is not a number refused on the page with the weights as typed, the service's refusals, each change's notice, and the
/// credential signed in named as each change's actor in the function's history.</summary>
public sealed class AliasPageTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private string _admin = "";
    private string _name = "";

    private string Editor => "/ui/functions/" + Uri.EscapeDataString(_name) + "/aliases/prod";

    public async ValueTask InitializeAsync()
    {
        _admin = await AuthSetup.AdminTokenAsync(_factory);
        using var api = new Api(AuthSetup.Bearer(_factory, _admin));
        _name = await api.FunctionWithVersionsAsync("v1", "v2", "v3");
        await api.CreateAliasOkAsync(_name, """{"name":"prod","functionVersion":"v1","routingConfig":{"v1":60,"v2":40}}""");
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task AViewer_Gets403_OnThePageAndOnEveryForm_AndNothingIsWritten()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "viewer");
        var revisionId = await RevisionIdAsync();
        var answers = await _factory.Store.NothingWrittenAsync(async () => new[]
        {
            await client.GetAsync(Editor, TestContext.Current.CancellationToken),
            await ConsoleClient.SubmitAsync(client, Editor, ("revisionId", revisionId), ("weight.v1", "100")),
            await ConsoleClient.SubmitAsync(client, Editor + "/rollback", ("revisionId", revisionId)),
        });
        using var page = answers[0];
        using var save = answers[1];
        using var rollback = answers[2];

        foreach (var response in new[] { page, save, rollback })
        {
            var html = await ConsoleClient.TextAsync(response);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("Only an editor or an admin changes an alias&#x27;s weights.", html);
            Assert.DoesNotContain("weights-form", html);
        }
    }

    [Fact]
    public async Task ThePage_ShowsEachPublishedVersionWithItsWeight_AndTheirSum()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var page = await client.GetAsync(Editor, TestContext.Current.CancellationToken);

        var html = await ConsoleClient.TextAsync(page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal([("v1", "60"), ("v2", "40"), ("v3", "0")], Inputs(html));
        Assert.Contains("<output id=\"weights-total\" for=\"weights-form\">100</output>", html);
        Assert.Contains("<rect class=\"fill\" width=\"60\" height=\"10\" data-bar=\"weight-v1\"></rect>", html);
        Assert.Contains("name=\"revisionId\" value=\"" + await RevisionIdAsync() + "\"", html);
        Assert.DoesNotContain("class=\"notice\"", html);
    }

    [Fact]
    public async Task AnAliasWithoutWeights_ShowsAllOfItsVersionAt100()
    {
        using (var api = new Api(AuthSetup.Bearer(_factory, _admin)))
        {
            await api.CreateAliasOkAsync(_name, """{"name":"beta","functionVersion":"v2"}""");
        }

        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var page = await client.GetAsync(Editor[..^4] + "beta", TestContext.Current.CancellationToken);

        Assert.Equal([("v1", "0"), ("v2", "100"), ("v3", "0")], Inputs(await ConsoleClient.TextAsync(page)));
    }

    [Fact]
    public async Task Saving_SendsTheWeightsThatAreNotZero_AndGoesBackToThePageWithItsNotice()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await ConsoleClient.SubmitAsync(client, Editor, ("revisionId", await RevisionIdAsync()), ("weight.v1", " 30 "), ("weight.v2", "70"), ("weight.v3", ""), ("other", "5"));
        using var page = await client.GetAsync(response.Headers.Location!.OriginalString, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Editor + "?done=saved", response.Headers.Location!.OriginalString);
        Assert.Equal("""{"v1":30,"v2":70}""", (await AliasAsync())["routingConfig"]!.ToJsonString());
        Assert.Contains("<p class=\"notice\" role=\"status\">Saved: the alias routes by the weights below.</p>", await ConsoleClient.TextAsync(page));
    }

    [Fact]
    public async Task BlankWeightsAreZeros_SoAllBlank_IsRefusedAsAllZero_AndNothingWritten()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(async () => await ConsoleClient.SubmitAsync(client, Editor, ("revisionId", await RevisionIdAsync()), ("weight.v1", ""), ("weight.v2", " ")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Not saved: total routing weight is not 100. check the routing weight. the sum of the values is 100", Regex.Match(await ConsoleClient.TextAsync(response), "id=\"alias-problem\">([^<]*)<").Groups[1].Value);
    }

    [Fact]
    public async Task Saving_TakesEveryWeightOfTheForm_AndAWeightWithItsSign()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await ConsoleClient.SubmitAsync(client, Editor, ("revisionId", await RevisionIdAsync()), ("weight.v1", "+20"), ("weight.v2", "30"), ("weight.v3", "50"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("""{"v1":20,"v2":30,"v3":50}""", (await AliasAsync())["routingConfig"]!.ToJsonString());
    }

    [Fact]
    public async Task AWeightForAVersionNotPublished_IsRefused_AndShownWithTheOthersAsTyped()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(async () => await ConsoleClient.SubmitAsync(client, Editor, ("revisionId", await RevisionIdAsync()), ("weight.v1", "90"), ("weight.v9", "10")));

        var html = await ConsoleClient.TextAsync(response);
        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\" id=\"alias-problem\">Not saved: ", html);
        Assert.Equal([("v1", "90"), ("v2", "0"), ("v3", "0"), ("v9", "10")], Inputs(html));
    }

    [Theory]
    [InlineData("abc", "Not saved: the weight of version [v2] is &#x27;abc&#x27;: give a whole number from 0 to 100. check input parameters")]
    [InlineData("1e2", "Not saved: the weight of version [v2] is &#x27;1e2&#x27;: give a whole number from 0 to 100. check input parameters")]
    public async Task AWeightThatIsNotANumber_IsRefusedOnThePage_WithTheWeightsAsTyped(string weight, string problem)
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(async () => await ConsoleClient.SubmitAsync(client, Editor, ("revisionId", await RevisionIdAsync()), ("weight.v1", "10"), ("weight.v2", weight)));

        var html = await ConsoleClient.TextAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\" id=\"alias-problem\">" + problem + "</p>", html);
        Assert.Equal([("v1", "10"), ("v2", weight), ("v3", "0")], Inputs(html));
        Assert.Contains("<output id=\"weights-total\" for=\"weights-form\">10</output>", html);
    }

    [Theory]
    [InlineData("50", "20")]
    [InlineData("0", "")]
    [InlineData("50.5", "49.5")]
    public async Task WeightsTheAliasRulesRefuse_AreShownWithTheirMessage_AndNothingWritten(string v1, string v2)
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(async () => await ConsoleClient.SubmitAsync(client, Editor, ("revisionId", await RevisionIdAsync()), ("weight.v1", v1), ("weight.v2", v2)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\" id=\"alias-problem\">Not saved: ", await ConsoleClient.TextAsync(response));
    }

    [Fact]
    public async Task ASaveOrRollbackOfAPageReadBeforeTheLastChange_Is412_AndWritesNothing()
    {
        var stale = await RevisionIdAsync();
        using (var api = new Api(AuthSetup.Bearer(_factory, _admin)))
        {
            await api.UpdateAliasOkAsync(_name, "prod", $$$"""{"revisionId":"{{{stale}}}","functionVersion":"v1","routingConfig":{"v1":50,"v2":50}}""");
        }

        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);
        var answers = await _factory.Store.NothingWrittenAsync(async () => new[]
        {
            await ConsoleClient.SubmitAsync(client, Editor, ("revisionId", stale), ("weight.v1", "100")),
            await ConsoleClient.SubmitAsync(client, Editor + "/rollback", ("revisionId", stale)),
        });
        using var save = answers[0];
        using var rollback = answers[1];

        Assert.Equal(HttpStatusCode.PreconditionFailed, save.StatusCode);
        Assert.Equal([("v1", "100"), ("v2", "0"), ("v3", "0")], Inputs(await ConsoleClient.TextAsync(save)));
        Assert.Equal(HttpStatusCode.PreconditionFailed, rollback.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\" id=\"alias-problem\">Not saved: ", await ConsoleClient.TextAsync(rollback));
    }

    [Fact]
    public async Task ASaveAndARollback_NameTheSignedInCredential_InTheFunctionsHistory()
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);
        var (id, token) = await AuthSetup.CreateTokenAsync(admin, "default", "editor");
        using var client = await ConsoleClient.SignedInAsync(_factory, token);

        using var saved = await ConsoleClient.SubmitAsync(client, Editor, ("revisionId", await RevisionIdAsync()), ("weight.v1", "100"));
        using var rolledBack = await ConsoleClient.SubmitAsync(client, Editor + "/rollback", ("revisionId", await RevisionIdAsync()));

        using var api = new Api(admin);
        var entries = (await HistoryTests.EntriesAsync(api, _name)).Take(2).Select(e => ((string)e!["operation"]!, (string)e["actor"]!["principal"]!));
        Assert.Equal([("alias-rollback", id), ("alias-update", id)], entries);
    }

    [Fact]
    public async Task RollingBack_RestoresTheWeightsBeforeTheLastChange_WithItsNotice()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);
        using var saved = await ConsoleClient.SubmitAsync(client, Editor, ("revisionId", await RevisionIdAsync()), ("weight.v1", "100"));

        using var response = await ConsoleClient.SubmitAsync(client, Editor + "/rollback", ("revisionId", await RevisionIdAsync()));
        using var page = await client.GetAsync(response.Headers.Location!.OriginalString, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Editor + "?done=rolledback", response.Headers.Location!.OriginalString);
        Assert.Equal("""{"v1":60,"v2":40}""", (await AliasAsync())["routingConfig"]!.ToJsonString());
        Assert.Contains("<p class=\"notice\" role=\"status\">Rolled back: the alias routes as it did before its last change.</p>", await ConsoleClient.TextAsync(page));
    }

    [Fact]
    public async Task AnAliasThatIsNotThere_Is404_WithNoForm()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var page = await client.GetAsync(Editor[..^4] + "nope", TestContext.Current.CancellationToken);
        using var save = await ConsoleClient.SubmitAsync(client, Editor[..^4] + "nope", ("revisionId", "1"), ("weight.v1", "x"));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("weights-form", await ConsoleClient.TextAsync(page));
        Assert.Equal(HttpStatusCode.BadRequest, save.StatusCode);
        Assert.Contains("the weight of version [v1] is &#x27;x&#x27;", await ConsoleClient.TextAsync(save));
    }

    [Theory]
    [InlineData("50", 50)]
    [InlineData("+7", 7)]
    [InlineData("150", 100)]
    [InlineData("-5", 0)]
    [InlineData("12.5", 0)]
    [InlineData("", 0)]
    public void ABar_DrawsTheInputsWholeNumber_From0To100(string text, int percent) => Assert.Equal(percent, new WeightRow("v1", text).Percent);

    [Fact]
    public void TheSum_IsOfTheBars() =>
        Assert.Equal(110, new AliasEditor(null!, "f", "a", null, [new("v1", "60"), new("v2", "50"), new("v3", "x")]).Sum);

    [Fact]
    public void TheEditorsLink_EscapesTheNameAndAlias() =>
        Assert.Equal("/ui/functions/0%40a%40b/aliases/p%2Fq", AliasLinks.Editor("0@a@b", "p/q"));

    /// <summary>Each weight input's version and value, in the page's order.</summary>
    private static List<(string, string)> Inputs(string html) =>
        [.. Regex.Matches(html, "name=\"weight\\.([^\"]+)\"[^>]*value=\"([^\"]*)\"").Select(m => (m.Groups[1].Value, m.Groups[2].Value))];

    private async Task<System.Text.Json.Nodes.JsonNode> AliasAsync()
    {
        using var api = new Api(AuthSetup.Bearer(_factory, _admin));
        return await api.GetAliasOkAsync(_name, "prod");
    }

    private async Task<string> RevisionIdAsync() => (string)(await AliasAsync())["revisionId"]!;
}