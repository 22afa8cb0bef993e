using System.Text.Json.Nodes;

namespace MetaService.Server.Tests.ApiDescription;

/// <summary>The API description of PATCH, dryRun and the conditional headers.</summary>
public sealed class EditingDocsTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private async Task<JsonObject> PathsAsync() => (await _factory.OpenApiAsync())["paths"]!.AsObject();

    private static List<string> Parameters(JsonNode operation, string location) =>
        [.. operation["parameters"]!.AsArray().Where(p => (string?)p!["in"] == location).Select(p => (string)p!["name"]!)];

    [Fact]
    public async Task Patch_TakesMergePatchJson_AndIfMatch_AndDryRun()
    {
        var patch = (await PathsAsync())["/serverless/v1/functions/{name}"]!["patch"]!;

        Assert.NotNull(patch["requestBody"]!["content"]!["application/merge-patch+json"]);
        Assert.Null(patch["requestBody"]!["content"]!["application/json"]);
        Assert.Contains("If-Match", Parameters(patch, "header"));
        Assert.Contains("dryRun", Parameters(patch, "query"));
        Assert.NotNull(patch["responses"]!["412"]);
        Assert.NotNull(patch["responses"]!["415"]);
    }

    [Theory]
    [InlineData("/serverless/v1/functions", "post")]
    [InlineData("/serverless/v1/functions/{name}", "put")]
    [InlineData("/serverless/v1/functions/{name}", "delete")]
    [InlineData("/serverless/v1/functions/{name}/versions", "post")]
    [InlineData("/admin/v1/functions/{name}", "patch")]
    [InlineData("/serverless/v1/functions/reserve-instance", "post")]
    [InlineData("/serverless/v1/functions/reserve-instance", "put")]
    [InlineData("/serverless/v1/functions/reserve-instance", "delete")]
    [InlineData("/serverless/v1/podpools", "post")]
    [InlineData("/serverless/v1/podpools/{id}", "put")]
    [InlineData("/serverless/v1/podpools", "delete")]
    public async Task EveryWriteRoute_DescribesDryRun(string path, string method)
    {
        var operation = (await PathsAsync())[path]![method]!;

        Assert.Contains("dryRun", Parameters(operation, "query"));
    }

    [Fact]
    public async Task Get_DescribesIfNoneMatch_AndReadsNoDryRun()
    {
        var get = (await PathsAsync())["/serverless/v1/functions/{name}"]!["get"]!;

        Assert.Contains("If-None-Match", Parameters(get, "header"));
        Assert.DoesNotContain("dryRun", Parameters(get, "query"));
    }
}