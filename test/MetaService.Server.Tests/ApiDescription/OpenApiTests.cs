using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace MetaService.Server.Tests.ApiDescription;

public sealed class OpenApiTests : IAsyncLifetime
{
    private static readonly string[] Roots = [Api.ServerlessRoot, Api.AdminRoot];
    private static readonly string[] ReserveRoots = ["/serverless/v1/functions/reserve-instance", "/admin/v1/functions/reserve-instance"];
    private static readonly string[] TokenRoutes = [.. new[] { "/serverless/v1/tokens", "/admin/v1/tokens" }.SelectMany(r => new[] { $"POST {r}", $"GET {r}", $"DELETE {r}/{{id}}" })];
    private static readonly string[] PoolRoutes = ["POST /serverless/v1/podpools", "GET /serverless/v1/podpools", "PUT /serverless/v1/podpools/{id}", "DELETE /serverless/v1/podpools"];

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
    public async Task EveryAdminRoute_IsTaggedAsItsServerlessTwin_FunctionsAndAliasesAsTheFrontendPath()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();
        string Tag(string path, string method) => (string)paths[path]![method]!["tags"]!.AsArray().Single()!;

        var twins = 0;
        foreach (var (path, operations) in paths.Where(p => p.Key.StartsWith(Api.AdminRoot, StringComparison.Ordinal)))
        {
            var twin = Api.ServerlessRoot + path[Api.AdminRoot.Length..];
            foreach (var (method, _) in operations!.AsObject())
            {
                var served = Tag(twin, method);
                Assert.Equal(served is "functions" or "aliases" ? served + " (frontend path)" : served, Tag(path, method));
                twins++;
            }
        }

        Assert.Equal(("functions", "functions", "aliases", "aliases"), (Tag(Api.ServerlessRoot, "get"), Tag(Api.ServerlessRoot + "/{name}", "put"),
            Tag(Api.ServerlessRoot + "/{name}/aliases", "post"), Tag(Api.ServerlessRoot + "/{name}/aliases/{alias}/rollback", "post")));
        Assert.True(twins > 20, $"only {twins} admin operations");
    }

    [Fact]
    public async Task Document_ListsEveryRoute_WithTheErrorBody()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();

        var listed = paths.SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).Order().ToList();

        var expected = Roots.SelectMany(r => new[] { $"POST {r}", $"GET {r}", $"GET {r}/{{name}}", $"PUT {r}/{{name}}", $"PATCH {r}/{{name}}", $"DELETE {r}/{{name}}", $"POST {r}/{{name}}/versions", $"GET {r}/{{name}}/versions",
                $"GET {r}/{{name}}/history", $"GET {r}/{{name}}/history/{{revision}}", $"GET {r}/{{name}}/diff", $"POST {r}/{{name}}/restore" })
            .Concat(Roots.SelectMany(r => new[]
            {
                $"POST {r}/{{name}}/aliases", $"GET {r}/{{name}}/aliases", $"GET {r}/{{name}}/aliases/{{alias}}", $"PUT {r}/{{name}}/aliases/{{alias}}",
                $"DELETE {r}/{{name}}/aliases/{{alias}}", $"POST {r}/{{name}}/aliases/{{alias}}/rollback", $"GET {r}/{{name}}/retention", $"PUT {r}/{{name}}/retention",
            }))
            .Concat(ReserveRoots.SelectMany(r => new[] { $"POST {r}", $"PUT {r}", $"GET {r}", $"DELETE {r}" }))
            .Concat(PoolRoutes)
            .Concat(TokenRoutes)
            .Append("GET /serverless/v1/history")
            .Append("GET /serverless/v1/watch")
            .Append("GET /healthz").Append("GET /").Order().ToList();
        Assert.Equal(expected, listed);
        foreach (var (path, operations) in paths.Where(p => p.Key is not ("/healthz" or "/")))
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
    public async Task EveryOperation_SaysWhatItDoes_AndEveryParameterAndAnswerIsDescribed()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();

        foreach (var (path, operations) in paths.Where(p => p.Key is not ("/healthz" or "/")))
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var where = $"{method.ToUpperInvariant()} {path}";
                Assert.False(string.IsNullOrWhiteSpace((string?)operation!["summary"]), $"{where} has no summary");
                Assert.False(string.IsNullOrWhiteSpace((string?)operation["description"]), $"{where} has no description");
                foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
                {
                    Assert.False(string.IsNullOrWhiteSpace((string?)parameter!["description"]), $"{where}: parameter {parameter["name"]} has no description");
                }

                foreach (var (status, answer) in operation["responses"]!.AsObject())
                {
                    Assert.False(string.IsNullOrWhiteSpace((string?)answer!["description"]), $"{where}: answer {status} has no description");
                }
            }
        }

        Assert.All(ResponseExamples(await DocumentAsync()).Where(e => e.Status >= 400), e => Assert.NotEqual("", (string?)e.Example["message"]));
    }

    [Fact]
    public async Task TheDocument_SaysWhatItIs_AndWhatEachTagGroups_AndNamesTheServerAsAsked()
    {
        var document = await DocumentAsync();
        var used = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().SelectMany(o => o.Value!["tags"]!.AsArray().Select(t => (string)t!)))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var tags = document["tags"]!.AsArray().ToDictionary(t => (string)t!["name"]!, t => (string?)t!["description"]);

        Assert.Equal(("MetaService", "v1"), ((string?)document["info"]!["title"], (string?)document["info"]!["version"]));
        Assert.StartsWith("openYuanrong's meta_service API: function metadata. Every error answers {code, message}. ", (string?)document["info"]!["description"], StringComparison.Ordinal);
        Assert.Equal(used, tags.Keys.Order(StringComparer.Ordinal));
        Assert.All(tags, t => Assert.False(string.IsNullOrWhiteSpace(t.Value), $"tag {t.Key} has no description"));
        Assert.Equal(10, tags.Values.Distinct().Count());
        Assert.Equal("http://localhost", (string?)document["servers"]!.AsArray().Single()!["url"]);
    }

    [Fact]
    public async Task QueryParameters_AreNumbers_WhereTheHandlerReadsANumber_AndStringsElsewhere()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();

        var numbers = (from path in paths
                       from operation in path.Value!.AsObject()
                       from parameter in operation.Value!["parameters"]?.AsArray() ?? []
                       where (string?)parameter!["in"] == "query"
                       let type = (string?)parameter["schema"]!["type"]
                       where type != "string"
                       select $"{operation.Key.ToUpperInvariant()} {path.Key} {parameter["name"]}: {type}").Order(StringComparer.Ordinal).ToList();

        var expected = Roots.SelectMany(r => new[]
            {
                $"GET {r} limit", $"GET {r} pageIndex", $"GET {r} pageSize", $"GET {r}/{{name}}/history limit",
                $"GET {r}/{{name}}/aliases pageIndex", $"GET {r}/{{name}}/aliases pageSize",
                $"GET {r}/{{name}}/versions limit", $"GET {r}/{{name}}/versions pageIndex", $"GET {r}/{{name}}/versions pageSize",
            })
            .Concat(["GET /serverless/v1/history limit", "GET /serverless/v1/podpools limit", "GET /serverless/v1/podpools offset",
                "GET /serverless/v1/watch since", "GET /serverless/v1/watch timeoutSeconds"])
            .Select(p => p + ": integer").Order(StringComparer.Ordinal);
        Assert.Equal(expected, numbers);
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

    [Theory]
    [InlineData("/serverless/v1/functions/reserve-instance")]
    [InlineData("/admin/v1/functions/reserve-instance")]
    public async Task ReserveRequestExamples_AreAcceptedByTheServer(string root)
    {
        var document = await DocumentAsync();
        using var api = _factory.CreateApi(tenant: "openapi-" + Names.Hex());
        var create = RequestExample(document, root, "post");
        var function = Bodies.Faas((string)create["funcName"]!);
        await api.CreateOkAsync(function);

        var answers = new List<HttpStatusCode>();
        foreach (var method in new[] { "post", "put", "get", "delete" })
        {
            using var response = await api.SendAsync(new HttpMethod(method.ToUpperInvariant()), root, RequestExample(document, root, method).ToJsonString());
            answers.Add(response.StatusCode);
        }

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task PoolRequestExamples_AreAcceptedByTheServer()
    {
        var document = await DocumentAsync();
        using var api = _factory.CreateApi();
        var create = RequestExample(document, "/serverless/v1/podpools", "post");
        var id = (string)create["pools"]![0]!["id"]!;

        using var created = await api.SendAsync(HttpMethod.Post, "/serverless/v1/podpools", create.ToJsonString());
        await MarkRunningAsync(id);
        using var updated = await api.SendAsync(HttpMethod.Put, $"/serverless/v1/podpools/{id}", RequestExample(document, "/serverless/v1/podpools/{id}", "put").ToJsonString());

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
    }

    /// <summary>What the platform's pool controller does once a pool runs: status 4.</summary>
    private async Task MarkRunningAsync(string id)
    {
        var key = "/yr/podpools/info/" + id;
        var stored = await _factory.Store.GetAsync(key, TestContext.Current.CancellationToken);
        var pool = JsonNode.Parse(stored!.Value)!;
        pool["status"] = 4;
        var result = await _factory.Store.TxnAsync(
            [new MetaService.Core.Storage.Compare(key, stored.ModRevision)],
            [new MetaService.Core.Storage.WriteOp.Put(key, System.Text.Encoding.UTF8.GetBytes(pool.ToJsonString()))],
            TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task Scalar_IsServedByTheServerItself()
    {
        using var client = _factory.CreateClient();

        var page = await client.GetStringAsync(new Uri("/scalar/", UriKind.Relative), TestContext.Current.CancellationToken);
        using var script = await client.GetAsync(new Uri("/scalar/scalar.js", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("<script src=\"scalar.js\"></script>", page, StringComparison.Ordinal);
        Assert.Contains("<title>MetaService</title>", page, StringComparison.Ordinal);
        Assert.Contains("openapi/v1.json", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length > 100_000);
    }

    private Task<string> DocumentTextAsync() => _factory.OpenApiTextAsync();

    private Task<JsonNode> DocumentAsync() => _factory.OpenApiAsync();

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