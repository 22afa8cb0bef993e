using System.Net;
using System.Text;


namespace MetaService.Server.Tests.Ui;

/// <summary>A function's page over HTTP without a browser: the draft or the version asked for, environment values masked
/// unless an editor asks to see them (a viewer never), its versions, aliases and reserved instances, and a function or
/// version that is not there.</summary>
public sealed class FunctionPageTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private readonly string _name = Names.Faas();
    private string _admin = "";

    private string Page => "/ui/functions/" + Uri.EscapeDataString(_name);

    public async ValueTask InitializeAsync()
    {
        _admin = await AuthSetup.AdminTokenAsync(_factory);
        using var api = new Api(AuthSetup.Bearer(_factory, _admin));
        var created = await api.CreateOkAsync(Bodies.Faas(_name).With("environment", """{"B":"secret-b","A":"secret-a"}"""));
        await api.PublishOkAsync(_name, (string)created["revisionId"]!, "v1", versionDesc: "first");
        await api.CreateAliasOkAsync(_name, """{"name":"prod","functionVersion":"v1","routingConfig":{"v1":100}}""");
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task TheDraft_IsShownWithItsEnvironmentMasked_ItsVersionsAliasesAndReservedInstances()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");

        var html = await ConsoleClient.PageAsync(client, Page);

        Assert.Contains("<caption>Environment variables, values masked</caption>", html);
        Assert.DoesNotContain("secret-a", html);
        Assert.True(html.IndexOf("<th scope=\"row\">A</th>", StringComparison.Ordinal) < html.IndexOf("<th scope=\"row\">B</th>", StringComparison.Ordinal));
        Assert.Contains($"href=\"{Page}?reveal=environment\">Reveal values</a>", html);
        Assert.Contains($"<a href=\"{Page}?version=v1\">v1</a>", html);
        Assert.Contains("<td>first</td>", html);
        Assert.Contains($"<caption>Versions of {_name}</caption>", html);
        Assert.Contains("<h3>prod <span class=\"muted\">→ v1</span>", html);
        Assert.Contains("href=\"/ui/functions/" + Uri.EscapeDataString(_name) + "/aliases/prod\"", html);
        Assert.Contains("None reserved for latest.", html);
    }

    [Fact]
    public async Task AnEditorAskingToSeeTheEnvironment_SeesIt_AndAViewerDoesNot()
    {
        using var editor = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor");
        using var viewer = await ConsoleClient.SignedInAsAsync(_factory, _admin, "viewer");

        var shown = await ConsoleClient.PageAsync(editor, Page + "?reveal=environment");
        var masked = await ConsoleClient.PageAsync(viewer, Page + "?reveal=environment");

        Assert.Contains("<caption>Environment variables, values shown</caption>", shown);
        Assert.Contains("<td data-field=\"value\">secret-a</td>", shown);
        Assert.Contains($"href=\"{Page}\">Hide values</a>", shown);
        Assert.DoesNotContain("secret-a", masked);
        Assert.Contains("<caption>Environment variables, values masked</caption>", masked);
        Assert.DoesNotContain("aliases/prod\"", masked);
    }

    [Fact]
    public async Task AVersionAsked_IsShown_WithItsReservedInstances()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "admin");
        using (var admin = AuthSetup.Bearer(_factory, _admin))
        {
            var body = $$"""{"funcName":"{{_name}}","version":"v1","instanceLabel":"gpu-a","instanceConfigInfos":[{"clusterId":"cluster001","minInstance":1,"maxInstance":3}]}""";
            using var response = await admin.PostAsync("/serverless/v1/functions/reserve-instance", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
            await Wire.OkAsync(response);
        }

        var html = await ConsoleClient.PageAsync(client, Page + "?version=v1");

        Assert.Contains($"<a href=\"{Page}?version=v1\" aria-current=\"page\">v1</a>", html);
        Assert.Contains("<caption>Reserved instances of version v1</caption>", html);
        Assert.Contains("<tr><th scope=\"row\">gpu-a</th><td>cluster001</td><td class=\"num\">1</td><td class=\"num\">3</td></tr>", html);
        Assert.Contains($"href=\"{Page}?version=v1&amp;reveal=environment\">Reveal values</a>", html);
    }

    [Fact]
    public async Task AYrlibFunction_SaysItsKindHasNoReservedInstances()
    {
        var yrlib = Names.Yrlib();
        using (var api = new Api(AuthSetup.Bearer(_factory, _admin)))
        {
            await api.CreateOkAsync(Bodies.Yrlib(yrlib));
        }

        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "admin");

        var html = await ConsoleClient.PageAsync(client, "/ui/functions/" + Uri.EscapeDataString(yrlib));

        Assert.Contains("Reserved instances are kept for faas functions only.", html);
        Assert.Contains("<p class=\"muted\">No aliases.</p>", html);
    }

    /// <summary>A function name may have capitals and dots; a reserved-instance label may name only a faas function of
    /// lowercase letters, digits and hyphens: the page shows the function, and why it has no reserved instances.</summary>
    [Fact]
    public async Task AFaasFunctionTheReservedInstanceRulesRefuse_IsShown_SayingWhyItHasNone()
    {
        var name = Names.Faas().Replace("@fn-", "@Fn.", StringComparison.Ordinal);
        using (var api = new Api(AuthSetup.Bearer(_factory, _admin)))
        {
            await api.CreateOkAsync(Bodies.Faas(name));
        }

        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "admin");

        var html = await ConsoleClient.PageAsync(client, "/ui/functions/" + Uri.EscapeDataString(name));

        Assert.Contains($"<caption>Versions of {name}</caption>", html);
        Assert.Contains($"funcName {name} is invalid: the format is 0@{{serviceName}}@{{funcName}}, serviceName 1 to 16 letters or digits, funcName lowercase letters, digits and hyphens", html);
        Assert.DoesNotContain("<caption>Reserved instances of version", html);
    }

    [Theory]
    [InlineData("", "?version=v9", HttpStatusCode.NotFound)]
    [InlineData("0@svc@a b", "", HttpStatusCode.BadRequest)]
    public async Task AVersionThatIsNotThere_OrANameThatCannotBe_IsSaidOnThePage(string name, string query, HttpStatusCode status)
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "admin");

        using var response = await client.GetAsync((name.Length == 0 ? Page : "/ui/functions/" + Uri.EscapeDataString(name)) + query, TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">", await ConsoleClient.TextAsync(response));
    }

    [Fact]
    public async Task AFunctionThatIsNotThere_Is404()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "admin");

        using var response = await client.GetAsync("/ui/functions/0%40svc%40nope", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1>0@svc@nope</h1>", await ConsoleClient.TextAsync(response));
    }

}