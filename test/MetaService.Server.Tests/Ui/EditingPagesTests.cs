using System.Net;
using System.Text.RegularExpressions;

namespace MetaService.Server.Tests.Ui;

/// <summary>The console's changing pages over HTTP without a browser: create, edit (review, save, back, a draft saved by
/// someone else since, re-applying one's changes), publish and restore, each through the service the API uses, with the
/// server's refusals on the page and nothing written; and none of them for a viewer.</summary>
public sealed class EditingPagesTests : IAsyncLifetime
{
    /// <summary>A revisionId the draft has never had.</summary>
    private const string Stale = "20200101000000000";

    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private readonly string _name = Names.Faas();
    private string _admin = "";

    private string Page => "/ui/functions/" + Uri.EscapeDataString(_name);

    public async ValueTask InitializeAsync()
    {
        _admin = await AuthSetup.AdminTokenAsync(_factory);
        using var api = Api();
        var created = await api.CreateOkAsync(Bodies.Faas(_name));
        await api.PublishOkAsync(_name, (string)created["revisionId"]!, "v1");
        await api.UpdateOkAsync(_name, Bodies.Faas(_name).With("memory", "256").With("revisionId", $"\"{await RevisionIdAsync()}\""));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task AViewer_GetsNoChangingPage_AndNoChangingForm_AndNothingIsWritten()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "viewer");
        var revision = await _factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken);
        var revisionId = await RevisionIdAsync();

        foreach (var (path, heading) in new[] { ("/ui/new", "New function"), (Page + "/edit", _name), (Page + "/restore", _name) })
        {
            using var page = await client.GetAsync(path, TestContext.Current.CancellationToken);
            var html = await ConsoleClient.TextAsync(page);
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Contains("<h1>" + heading + "</h1>", html);
            Assert.Contains("Only an editor or admin may change functions.", html);
        }

        foreach (var path in new[] { "/ui/new", Page + "/edit", Page + "/publish", Page + "/restore" })
        {
            using var post = await ConsoleClient.SubmitAsync(client, path, ("name", Names.Faas()), ("revisionId", revisionId), ("step", "save"), ("from", "v1"), ("memory", "512"));
            Assert.Equal("only an editor or admin may change functions", await Wire.AssertErrorAsync(post, HttpStatusCode.Forbidden, 190403));
        }

        Assert.Equal(revision, await _factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TheCreateForm_StartsAsAFaasFunctionOfTheFirstRuntime_AndCreatesWhatItSays()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");
        var name = Names.Faas();

        using var blank = await client.GetAsync("/ui/new", TestContext.Current.CancellationToken);
        using var created = await ConsoleClient.SubmitAsync(client, "/ui/new", ("name", name), ("kind", "faas"), ("runtime", "python3.9"), ("handler", "h.main"),
            ("memory", "256"), ("cpu", "300"), ("env.name", "A"), ("env.value", "1"));

        Assert.Equal(HttpStatusCode.OK, blank.StatusCode);
        var form = await ConsoleClient.TextAsync(blank);
        Assert.Contains("<option value=\"faas\" selected>", form);
        Assert.Matches("name=\"storageType\"[^>]*value=\"local\"", form);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/ui/functions/" + Uri.EscapeDataString(name), created.Headers.Location!.OriginalString);
        using var api = Api();
        var function = await api.GetOkAsync(name);
        Assert.Equal((256, "h.main", "1"), ((int)function["memory"]!, (string)function["handler"]!, (string)function["environment"]!["A"]!));
    }

    [Theory]
    [InlineData("cpu", "x", 400, "cpu &#x27;x&#x27; is not a whole number")]
    [InlineData("memory", "1", 400, "memory")]
    public async Task ACreateRefused_ShowsTheFormAsTypedWithTheServersMessage_AndWritesNothing(string field, string value, int status, string problem)
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");
        var name = Names.Faas();

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, "/ui/new", ("name", name), ("kind", "faas"), ("runtime", "python3.9"), ("handler", "h.main"), (field, value)));

        var html = await ConsoleClient.TextAsync(response);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(problem, html);
        Assert.Contains($"value=\"{name}\"", html);
    }

    [Fact]
    public async Task TheEditForm_HidesTheEnvironmentValues_UntilAskedToShowThem()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");

        var hidden = await ConsoleClient.PageAsync(client, Page + "/edit");
        var shown = await ConsoleClient.PageAsync(client, Page + "/edit?reveal=environment");

        Assert.Contains($"name=\"revisionId\" value=\"{await RevisionIdAsync()}\"", hidden);
        Assert.Matches("name=\"base\" value=\"[1-9][0-9]*\"", hidden);
        Assert.Contains($"href=\"{Page}/edit?reveal=environment\"", hidden);
        Assert.DoesNotContain("value=\"1\" ", Regex.Match(hidden, "env\\.value[^>]*>").Value);
        Assert.DoesNotContain($"href=\"{Page}/edit?reveal=environment\"", shown);
        Assert.Matches("name=\"env\\.value\"[^>]*value=\"1\"", shown);
    }

    [Fact]
    public async Task Review_ShowsWhatTheUpdateWouldChange_AndWritesNothing_ThenSaveWritesIt()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");
        var fields = await EditFieldsAsync(client, ("memory", "512"));
        using var review = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page + "/edit", [.. fields, ("step", "review")]));
        using var back = await ConsoleClient.SubmitAsync(client, Page + "/edit", [.. fields, ("step", "back")]);
        using var save = await ConsoleClient.SubmitAsync(client, Page + "/edit", [.. fields, ("step", "save")]);

        var reviewed = await ConsoleClient.TextAsync(review);
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        Assert.Contains(">memory</th>", reviewed);
        Assert.DoesNotContain(">revisionId</th>", reviewed);
        Assert.DoesNotContain(">updateTime</th>", reviewed);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        var form = await ConsoleClient.TextAsync(back);
        Assert.Matches("name=\"memory\"[^>]*value=\"512\"", form);
        Assert.DoesNotContain(">memory</th>", form);
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal(Page, save.Headers.Location!.OriginalString);
        using var api = Api();
        Assert.Equal(512, (int)(await api.GetOkAsync(_name))["memory"]!);
    }

    [Fact]
    public async Task AnEditSaved_NamesTheSignedInCredential_InTheFunctionsHistory()
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);
        var (id, token) = await AuthSetup.CreateTokenAsync(admin, "default", "editor");
        using var client = await ConsoleClient.SignedInAsync(_factory, token);
        var fields = await EditFieldsAsync(client, ("memory", "512"));

        using var save = await ConsoleClient.SubmitAsync(client, Page + "/edit", [.. fields, ("step", "save")]);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        using var api = Api();
        var entry = (await HistoryTests.EntriesAsync(api, _name))[0]!;
        Assert.Equal(("update", id), ((string)entry["operation"]!, (string)entry["actor"]!["principal"]!));
    }

    [Fact]
    public async Task AnEditRefused_IsShownOnThePage_AndWritesNothing()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");
        var fields = await EditFieldsAsync(client, ("timeout", "ten"));

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page + "/edit", [.. fields, ("step", "save")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("timeout &#x27;ten&#x27; is not a whole number", await ConsoleClient.TextAsync(response));
    }

    [Fact]
    public async Task AnEditTheServiceRefuses_IsShownWithItsMessage_NotAsAConflict()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");
        var fields = await EditFieldsAsync(client, ("timeout", "-1"));

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page + "/edit", [.. fields, ("step", "save")]));

        var html = await ConsoleClient.TextAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"problem-timeout\"", html);
        Assert.DoesNotContain("id=\"conflict-heading\"", html);
    }

    [Fact]
    public async Task ASaveAfterSomeoneElseSaved_Is412_ListingTheirChanges_AndReapplyingRebasesTheForm()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");
        var fields = await EditFieldsAsync(client, ("memory", "512"));
        using (var api = Api())
        {
            await api.UpdateOkAsync(_name, Bodies.Faas(_name).With("memory", "256").With("cpu", "600").With("revisionId", $"\"{await RevisionIdAsync()}\""));
        }

        var current = await RevisionIdAsync();
        var answers = await _factory.Store.NothingWrittenAsync(async () => new[]
        {
            await ConsoleClient.SubmitAsync(client, Page + "/edit", [.. fields, ("step", "save")]),
            await ConsoleClient.SubmitAsync(client, Page + "/edit", [.. fields, ("step", "reapply")]),
        });
        using var conflict = answers[0];
        using var reapplied = answers[1];

        var html = await ConsoleClient.TextAsync(conflict);
        Assert.Equal(HttpStatusCode.PreconditionFailed, conflict.StatusCode);
        Assert.Contains("<h2 id=\"conflict-heading\">Someone else saved first</h2>", html);
        Assert.Contains(">cpu</th>", html);
        var rebased = await ConsoleClient.TextAsync(reapplied);
        Assert.Equal(HttpStatusCode.OK, reapplied.StatusCode);
        Assert.Contains($"name=\"revisionId\" value=\"{current}\"", rebased);
        Assert.Matches("name=\"memory\"[^>]*value=\"512\"", rebased);
        Assert.Matches("name=\"cpu\"[^>]*value=\"600\"", rebased);
    }

    [Theory]
    [InlineData("", "the form does not say which revision it was loaded from")]
    [InlineData("1", "has no history entry with a record at revision 1")]
    public async Task AConflictWhoseFormNamesNoBaselineTheHistoryHolds_SaysTheirChangesCannotBeListed(string baseRevision, string why)
    {
        // Revision 1 is the admin token's write, not an entry of this function.
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");
        var fields = await EditFieldsAsync(client, ("memory", "512"), ("base", baseRevision));
        using (var api = Api())
        {
            await api.UpdateOkAsync(_name, Bodies.Faas(_name).With("memory", "256").With("cpu", "600").With("revisionId", $"\"{await RevisionIdAsync()}\""));
        }

        using var conflict = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page + "/edit", [.. fields, ("step", "save")]));

        var html = WebUtility.HtmlDecode(await ConsoleClient.TextAsync(conflict));
        Assert.Equal(HttpStatusCode.PreconditionFailed, conflict.StatusCode);
        Assert.Matches($"What they changed cannot be listed: [^<]*{Regex.Escape(why)}[^<]* Re-applying saves every value of this form.", html);
        Assert.DoesNotContain(">cpu</th>", html);
    }

    [Fact]
    public async Task TheEditOfAFunctionThatIsNotThere_Is404()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");

        using var page = await client.GetAsync("/ui/functions/0%40svc%40nope/edit", TestContext.Current.CancellationToken);
        using var restore = await client.GetAsync("/ui/functions/0%40svc%40nope/restore", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("(code 4115)", await ConsoleClient.TextAsync(page));
        Assert.Equal(HttpStatusCode.NotFound, restore.StatusCode);
        Assert.Contains("(code 4115)", await ConsoleClient.TextAsync(restore));
    }

    [Fact]
    public async Task Publish_MakesAVersionOfTheDraftThePageShowed_OrSaysWhyNot()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");
        var revisionId = await RevisionIdAsync();

        using var published = await ConsoleClient.SubmitAsync(client, Page + "/publish", ("revisionId", revisionId), ("versionNumber", " v2 "), ("versionDesc", " second "), ("kind", ""));
        using var stale = await ConsoleClient.SubmitAsync(client, Page + "/publish", ("revisionId", "20200101000000000"), ("versionNumber", "v3"));

        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal(Page, published.Headers.Location!.OriginalString);
        using var api = Api();
        Assert.Equal("second", (string)(await api.GetOkAsync(_name, "v2"))["versionDesc"]!);
        Assert.Contains("<option value=\"v2\">v2 &#xB7; second</option>", await ConsoleClient.PageAsync(client, Page + "/restore"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("(code 4134)", await ConsoleClient.TextAsync(stale));

        // The form's kind picks the draft: this function has no draft of another kind.
        using var otherKind = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page + "/publish", ("revisionId", revisionId), ("versionNumber", "v4"), ("kind", "yrlib")));
        Assert.Equal(HttpStatusCode.NotFound, otherKind.StatusCode);
        Assert.Contains("(code 4115)", await ConsoleClient.TextAsync(otherKind));
    }

    [Fact]
    public async Task Restore_OffersTheVersionsAndEntries_ReviewsWithoutWriting_AndRestores()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");
        var revisionId = await RevisionIdAsync();

        var choices = await ConsoleClient.PageAsync(client, Page + "/restore?from=v1");
        using var review = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page + "/restore", ("from", "v1"), ("step", "review")));
        using var restored = await ConsoleClient.SubmitAsync(client, Page + "/restore", ("from", "v1"), ("step", "save"), ("revisionId", revisionId));

        Assert.Contains("<option value=\"v1\" selected>v1</option>", choices);
        Assert.Contains("value=\"@", choices);
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        var reviewed = await ConsoleClient.TextAsync(review);
        Assert.Contains(">memory</th>", reviewed);
        Assert.Contains("type=\"hidden\" name=\"from\" value=\"v1\"", reviewed);
        Assert.Contains("Restoring from <strong>v1</strong>", reviewed);
        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
        using var api = Api();
        Assert.Equal(128, (int)(await api.GetOkAsync(_name))["memory"]!);
    }

    [Theory]
    [InlineData("latest", "save", Stale, HttpStatusCode.BadRequest, "from names the draft itself")]
    [InlineData("v9", "review", Stale, HttpStatusCode.NotFound, "The server refused the restore (code ")]
    [InlineData("@x", "review", Stale, HttpStatusCode.BadRequest, "from &#x27;@x&#x27; is not @&lt;revision&gt;: give the revision of a history entry")]
    [InlineData("v1", "save", Stale, HttpStatusCode.PreconditionFailed, "The draft changed after your review; review these changes again.")]
    // Refused for another reason than a draft changed since: the refusal itself, not a review again.
    [InlineData("v1", "save", "", HttpStatusCode.BadRequest, "The server refused the restore (code 4104): restore needs the draft&#x27;s current revisionId")]
    public async Task ARestoreRefused_SaysWhy_AndWritesNothing(string from, string step, string revisionId, HttpStatusCode status, string problem)
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Page + "/restore", ("from", from), ("step", step), ("revisionId", revisionId)));

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(problem, await ConsoleClient.TextAsync(response));
    }

    /// <summary>The edit form's fields as the page renders them, with <paramref name="changes"/> over them.</summary>
    private async Task<(string, string)[]> EditFieldsAsync(HttpClient client, params (string Name, string Value)[] changes)
    {
        var html = await ConsoleClient.PageAsync(client, Page + "/edit");
        var fields = new List<(string, string)>();
        foreach (Match input in Regex.Matches(html, "<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"[^>]*>"))
        {
            var name = input.Groups[1].Value;
            if (name != "__RequestVerificationToken" && !input.Value.Contains("type=\"checkbox\"", StringComparison.Ordinal))
            {
                fields.Add((name, WebUtility.HtmlDecode(input.Groups[2].Value)));
            }
        }

        foreach (Match select in Regex.Matches(html, "<select[^>]*name=\"([^\"]+)\".*?<option value=\"([^\"]*)\" selected", RegexOptions.Singleline))
        {
            fields.Add((select.Groups[1].Value, select.Groups[2].Value));
        }

        foreach (var (name, value) in changes)
        {
            fields.RemoveAll(f => f.Item1 == name);
            fields.Add((name, value));
        }

        return [.. fields];
    }

    private Api Api() => new(AuthSetup.Bearer(_factory, _admin));

    private async Task<string> RevisionIdAsync()
    {
        using var api = Api();
        return (string)(await api.GetOkAsync(_name))["revisionId"]!;
    }
}