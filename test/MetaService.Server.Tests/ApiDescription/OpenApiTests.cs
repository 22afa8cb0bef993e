using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace MetaService.Server.Tests.ApiDescription;

public sealed class OpenApiTests : IAsyncLifetime
{
    private static readonly string[] Roots = [Api.ServerlessRoot, Api.AdminRoot];

    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Document_Parses_AsOpenApi31()
    {
        var text = await DocumentTextAsync();

        var read = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());

        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
        Assert.Equal("MetaService", read.Document!.Info.Title);
    }

    [Fact]
    public async Task Document_ListsEveryRoute_WithTheErrorBody()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();

        var listed = paths.SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).Order().ToList();

        var expected = Roots.SelectMany(r => new[] { $"POST {r}", $"GET {r}", $"GET {r}/{{name}}", $"PUT {r}/{{name}}", $"DELETE {r}/{{name}}", $"POST {r}/{{name}}/versions", $"GET {r}/{{name}}/versions" })
            .Append("GET /healthz").Order().ToList();
        Assert.Equal(expected, listed);
        foreach (var (path, operations) in paths.Where(p => p.Key != "/healthz"))
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                Assert.True(responses.ContainsKey("200"), $"{method} {path} has no 200");
                Assert.Contains(responses, r => r.Key.StartsWith('4') && r.Value!["content"]!["application/json"]!["schema"]!["$ref"]!.ToString() == "#/components/schemas/ErrorBody");
            }
        }
    }

    [Fact]
    public async Task ErrorExamples_AreCodeAndMessage()
    {
        var document = await DocumentAsync();

        var examples = ResponseExamples(document).Where(e => e.Status >= 400).ToList();

        Assert.NotEmpty(examples);
        Assert.All(examples, e =>
        {
            Assert.Equal(JsonValueKind.Number, e.Example["code"]!.GetValueKind());
            Assert.Equal(JsonValueKind.String, e.Example["message"]!.GetValueKind());
            Assert.Equal(2, e.Example.AsObject().Count);
        });
    }

    [Theory]
    [InlineData(Api.ServerlessRoot)]
    [InlineData(Api.AdminRoot)]
    public async Task RequestExamples_AreAcceptedByTheServer(string root)
    {
        var document = await DocumentAsync();
        using var api = _factory.CreateApi(tenant: "openapi-" + Names.Hex(), root: root);
        var create = RequestExample(document, root, "post");
        var name = (string)create["name"]!;

        var created = await api.CreateOkAsync(create);
        var update = RequestExample(document, root + "/{name}", "put");
        update["revisionId"] = (string)created["revisionId"]!;
        var updated = await api.UpdateOkAsync(name, update);
        var publish = RequestExample(document, root + "/{name}/versions", "post");
        publish["revisionId"] = (string)updated["revisionId"]!;
        using var published = await api.PublishAsync(name, publish);

        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal((string)publish["versionNumber"]!, (string)(await Wire.JsonAsync(published))["function"]!["versionNumber"]!);
    }

    [Fact]
    public async Task Scalar_IsServedByTheServerItself()
    {
        using var client = _factory.CreateClient();

        var page = await client.GetStringAsync(new Uri("/scalar/", UriKind.Relative), TestContext.Current.CancellationToken);
        using var script = await client.GetAsync(new Uri("/scalar/scalar.js", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("<script src=\"scalar.js\"></script>", page, StringComparison.Ordinal);
        Assert.Contains("openapi/v1.json", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length > 100_000);
    }

    private async Task<string> DocumentTextAsync()
    {
        using var client = _factory.CreateClient();
        return await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
    }

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await DocumentTextAsync())!;

    private static JsonObject RequestExample(JsonNode document, string path, string method) =>
        document["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!["example"]!.DeepClone().AsObject();

    private static IEnumerable<(int Status, JsonNode Example)> ResponseExamples(JsonNode document) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        from response in operation.Value!["responses"]!.AsObject()
        let example = response.Value!["content"]?["application/json"]?["example"]
        where example is not null
        select (int.Parse(response.Key, System.Globalization.CultureInfo.InvariantCulture), example);
}