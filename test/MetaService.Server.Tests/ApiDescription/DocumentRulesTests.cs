using System.Text.Json.Nodes;

namespace MetaService.Server.Tests.ApiDescription;

/// <summary>What the served document gives every operation and schema by rule rather than by a route's own
/// <c>RouteDoc</c>: the credentials each operation takes, the refusals that come before any handler (listed where
/// they can happen), the request body as a named schema, and the members and numbers of each schema as its own JSON
/// context writes them.</summary>
public sealed class DocumentRulesTests : IAsyncLifetime
{
    private static readonly string[] Anonymous = ["GET /", "GET /healthz"];

    private readonly MetaServiceFactory _factory = new();
    private JsonNode _document = null!;

    public async ValueTask InitializeAsync() => _document = await _factory.OpenApiAsync();

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private IEnumerable<(string Route, JsonNode Operation)> Operations =>
        from path in _document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        select ($"{operation.Key.ToUpperInvariant()} {path.Key}", operation.Value!);

    private JsonNode Operation(string method, string path) => _document["paths"]![path]![method]!;

    private List<int> Statuses(string method, string path) =>
        [.. Operation(method, path)["responses"]!.AsObject().Select(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture)).Order()];

    [Fact]
    public void AnonymousRoutes_TakeNoCredential_EveryOtherNoneOrOneOfTheModesCredentials()
    {
        const string anyMode = """[{},{"bearer":[]},{"xAuth":[]},{"clientCertificate":[]}]""";

        var security = Operations.ToDictionary(o => o.Route, o => o.Operation["security"]?.ToJsonString());

        Assert.All(Anonymous, route => Assert.Equal("[]", security[route]));
        Assert.All(security.Where(s => !Anonymous.Contains(s.Key)), s => Assert.Equal(anyMode, s.Value));
        Assert.True(security.Count > 60, $"only {security.Count} operations");
    }

    [Fact]
    public void TheSecuritySchemes_AreTheThreeKindsOfCredential_EachSayingWhichModeReadsIt()
    {
        var schemes = _document["components"]!["securitySchemes"]!.AsObject();

        Assert.Equal(["bearer", "xAuth", "clientCertificate"], schemes.Select(s => s.Key));
        Assert.Equal(("http", "bearer"), ((string?)schemes["bearer"]!["type"], (string?)schemes["bearer"]!["scheme"]));
        Assert.Equal(("apiKey", "header", "X-Auth"), ((string?)schemes["xAuth"]!["type"], (string?)schemes["xAuth"]!["in"], (string?)schemes["xAuth"]!["name"]));
        Assert.Equal("mutualTLS", (string?)schemes["clientCertificate"]!["type"]);
        Assert.All(schemes, s => Assert.StartsWith("Auth:Mode ", (string?)s.Value!["description"], StringComparison.Ordinal));
    }

    [Fact]
    public void TheRefusalsBeforeAnyHandler_AreListedWhereTheyCanHappen_InTheOrderOfTheirStatus()
    {
        // 401/403 need a route that takes a credential, 413/415 one that reads a body, 429 one the request rate counts
        // (every one but /healthz and /metrics); 414 and 431 can answer any request. In the order of their status, but for
        // the Idempotency-Key's 422, which its own transformer adds after them.
        Assert.Equal([200, 414, 431, 503], Statuses("get", "/healthz"));
        Assert.Equal([200, 414, 429, 431], Statuses("get", "/"));
        Assert.Equal([200, 400, 401, 403, 409, 413, 414, 415, 422, 429, 431, 503], Statuses("post", "/serverless/v1/functions"));
        Assert.Equal([200, 400, 401, 403, 404, 414, 429, 431, 503], Statuses("get", "/serverless/v1/functions/{name}"));
        Assert.Equal([200, 400, 401, 403, 413, 414, 415, 429, 431], Statuses("post", "/serverless/v1/tokens"));
        Assert.All(Operations, o =>
        {
            var statuses = o.Operation["responses"]!.AsObject().Select(r => r.Key).Where(s => s != "422").ToList();
            Assert.Equal(statuses.Order(StringComparer.Ordinal), statuses);
        });

        // A route that describes one of them itself keeps its own description.
        Assert.Equal("the credential is not an admin's (190403)", (string?)Operation("post", "/serverless/v1/tokens")["responses"]!["403"]!["description"]);

        var answers = Operation("post", "/serverless/v1/functions")["responses"]!;
        int Code(string status) => (int)answers[status]!["content"]!["application/json"]!["example"]!["code"]!;
        Assert.Equal((190401, 190403, 4104, 414, 415, 429, 431), (Code("401"), Code("403"), Code("413"), Code("414"), Code("415"), Code("429"), Code("431")));
    }

    [Fact]
    public void ARequestBody_IsRequiredJson_OfANamedSchema()
    {
        var schemas = _document["components"]!["schemas"]!.AsObject();

        foreach (var (method, path, schema) in new[]
        {
            ("post", "/serverless/v1/functions", "FunctionRequest"),
            ("put", "/serverless/v1/functions/{name}", "FunctionRequest"),
            ("post", "/serverless/v1/podpools", "PoolCreateRequest"),
            ("post", "/serverless/v1/tokens", "TokenRequest"),
        })
        {
            var body = Operation(method, path)["requestBody"]!;
            Assert.True((bool)body["required"]!, $"{method} {path}");
            Assert.Equal($"#/components/schemas/{schema}", (string?)body["content"]!["application/json"]!["schema"]!["$ref"]);
            Assert.True(schemas.ContainsKey(schema), schema);
        }
    }

    [Fact]
    public void EveryReference_NamesASchemaTheComponentsHold()
    {
        var schemas = _document["components"]!["schemas"]!.AsObject();
        var references = References(_document).ToList();

        Assert.All(references, r => Assert.True(schemas.ContainsKey(r), $"#/components/schemas/{r} is not in the components"));
        Assert.Contains("ErrorBody", references);
        Assert.Contains("PoolCreateRequest", references);
        Assert.True(references.Distinct().Count() > 20, $"only {references.Distinct().Count()} schemas referenced");
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(m => m.Key == "$ref" && (string?)m.Value is { } target
            ? [target.StartsWith("#/components/schemas/", StringComparison.Ordinal) ? target["#/components/schemas/".Length..] : target]
            : References(m.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };

    [Fact]
    public void Schemas_NameTheirMembers_AsTheTypesOwnContextWritesThem()
    {
        var schemas = _document["components"]!["schemas"]!;

        var pool = schemas["Pool"]!["properties"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Contains("max_size", pool);
        Assert.Contains("idle_recycle_time", pool);
        Assert.DoesNotContain("maxSize", pool);
        Assert.Equal(["failed_pools"], schemas["PoolCreateResult"]!["required"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["count", "pools"], schemas["PoolPage"]!["required"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public void Numbers_AreNumbersOnly_WhereTheTypesContextReadsThemSo_AndStringsToo_WhereItAllowsThem()
    {
        var schemas = _document["components"]!["schemas"]!;

        var cpu = schemas["FunctionRequest"]!["properties"]!["cpu"]!;
        var extendedTimeout = schemas["FunctionRequest"]!["properties"]!["extendedTimeout"]!["additionalProperties"]!;
        var expires = schemas["TokenRequest"]!["properties"]!["expiresInSeconds"]!;

        Assert.Equal("""["null","integer"]""", cpu["type"]!.ToJsonString());
        Assert.Null(cpu["pattern"]);
        Assert.Equal("\"integer\"", extendedTimeout["type"]!.ToJsonString());
        Assert.Null(extendedTimeout["pattern"]);
        Assert.Equal("""["null","integer","string"]""", expires["type"]!.ToJsonString());
        Assert.NotNull(expires["pattern"]);
    }

    [Fact]
    public void AnAnswerThatIsNotJson_IsDescribedInItsOwnMediaType()
    {
        var events = Operation("get", "/serverless/v1/watch")["responses"]!["200"]!["content"]!.AsObject();

        Assert.Equal(["text/event-stream"], events.Select(c => c.Key));
        Assert.StartsWith(": watching functions after revision ", (string?)events["text/event-stream"]!["example"], StringComparison.Ordinal);
    }
}