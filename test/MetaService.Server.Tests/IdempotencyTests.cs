using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using MetaService.Core.Storage;
using MetaService.Server.Idempotency;

using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests;

/// <summary><c>Idempotency-Key</c> on the POST routes: the first request stores its answer with its write, a retry with the
/// same key and request gets it byte for byte (<c>Idempotent-Replayed: true</c>) and writes nothing, another request with
/// the key gets 422, and of concurrent requests with one key exactly one writes.</summary>
public sealed class IdempotencyTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private const string Functions = "/serverless/v1/functions";

    [Fact]
    public async Task Create_RetriedWithTheSameKey_ReplaysTheAnswerByteForByte_AndWritesNothing()
    {
        using var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString();
        var body = Bodies.Faas(Names.Faas()).ToJsonString();
        var (firstStatus, firstBody, first) = await PostAsync(client, Functions, body, key);

        var (retryStatus, retryBody, retry) = await factory.Store.NothingWrittenAsync(() => PostAsync(client, Functions, body, key));

        Assert.Equal(HttpStatusCode.OK, firstStatus);
        Assert.Equal(HttpStatusCode.OK, retryStatus);
        Assert.Equal(firstBody, retryBody);
        Assert.False(first.Contains("Idempotent-Replayed"));
        Assert.Equal(["true"], retry.GetValues("Idempotent-Replayed"));
        Assert.Equal(first.ETag, retry.ETag);
        Assert.Equal($"\"{JsonNode.Parse(firstBody)!["function"]!["revisionId"]}\"", retry.ETag?.Tag);
    }

    [Fact]
    public async Task TheSameKey_WithAnotherBody_Is422_AndWritesNothing()
    {
        using var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString();
        await PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), key);

        var (status, answer, _) = await factory.Store.NothingWrittenAsync(() => PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), key));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(422, (int)JsonNode.Parse(answer)!["code"]!);
        Assert.Contains("Idempotency-Key", (string)JsonNode.Parse(answer)!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_64ConcurrentWithOneKey_MakeOneFunction_And64IdenticalAnswers()
    {
        using var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString();
        var name = Names.Faas();
        var body = Bodies.Faas(name).ToJsonString();

        var answers = await factory.Store.OneWriteAsync(() => Task.WhenAll(Enumerable.Range(0, 64).Select(_ => PostAsync(client, Functions, body, key))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers.Select(a => a.Body).Distinct());
        Assert.Single(answers, a => !a.Headers.Contains("Idempotent-Replayed"));
        using var api = factory.CreateApi();
        var rows = await api.ListRowsAsync($"?name={Uri.EscapeDataString(name)}");
        Assert.Single(rows);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData(null)]
    public async Task AKeyEmptyOrOver255Characters_Is400_AndWritesNothing(string? key)
    {
        using var client = factory.CreateClient();
        key ??= new string('k', 256);

        var (status, answer, _) = await factory.Store.NothingWrittenAsync(() => PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), key));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(4104, (int)JsonNode.Parse(answer)!["code"]!);
        Assert.Contains("Idempotency-Key", (string)JsonNode.Parse(answer)!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyOf255Characters_IsTaken()
    {
        using var client = factory.CreateClient();

        var (status, _, _) = await PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), Guid.NewGuid().ToString("N") + new string('k', 223));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task ARefusedFirstRequest_StoresNothing_SoTheKeyServesTheNextRequest()
    {
        using var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString();
        var (refused, _, _) = await factory.Store.NothingWrittenAsync(() => PostAsync(client, Functions, Bodies.Faas(Names.Faas()).With("cpu", "1").ToJsonString(), key));

        var (status, _, headers) = await PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), key);

        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task TheKeyAndAnswer_AreStoredUnderMetaServicesOwnRoot_InTheWritesTransaction()
    {
        using var client = factory.CreateClient();
        var before = await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken);

        await PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), Guid.NewGuid().ToString());

        var after = await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken);
        var kept = await factory.Store.RangeAsync(PlatformKeys.OwnRoot + "idempotency/", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1, after - before);
        Assert.Contains(kept.Items, kv => kv.ModRevision == after);
    }

    [Fact]
    public async Task Publish_RetriedWithTheSameKey_Replays_AndAnotherVersionNumber_Is422()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        var key = Guid.NewGuid().ToString();
        var path = $"{Functions}/{Uri.EscapeDataString(name)}/versions";
        var body = new JsonObject { ["revisionId"] = revision, ["versionNumber"] = "v1" }.ToJsonString();
        var first = await PostAsync(api.Client, path, body, key);

        var retry = await factory.Store.NothingWrittenAsync(() => PostAsync(api.Client, path, body, key));
        var other = await factory.Store.NothingWrittenAsync(() => PostAsync(api.Client, path, body.Replace("v1", "v2", StringComparison.Ordinal), key));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Body, retry.Body);
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal($"\"{JsonNode.Parse(first.Body)!["function"]!["revisionId"]}\"", retry.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
    }

    [Fact]
    public async Task ReserveInstanceCreate_RetriedWithTheSameKey_Replays()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));
        var key = Guid.NewGuid().ToString();
        var body = $$"""{"funcName":"{{name}}","version":"latest","instanceLabel":"l1","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":2,"minInstance":1}]}""";
        var first = await PostAsync(api.Client, Functions + "/reserve-instance", body, key);

        var retry = await factory.Store.NothingWrittenAsync(() => PostAsync(api.Client, Functions + "/reserve-instance", body, key));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Body, retry.Body);
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(JsonContent, await ContentTypeAsync(api.Client, Functions + "/reserve-instance", body, key));
    }

    [Fact]
    public async Task PoolCreate_RetriedWithTheSameKey_Replays_ThoughThePoolNowExists()
    {
        using var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString();
        var body = $$"""{"pools":[{"id":"p{{Names.Hex()}}","size":1,"max_size":2}]}""";
        var first = await PostAsync(client, "/serverless/v1/podpools", body, key);

        var retry = await factory.Store.NothingWrittenAsync(() => PostAsync(client, "/serverless/v1/podpools", body, key));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Body, retry.Body);
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(JsonContent, await ContentTypeAsync(client, "/serverless/v1/podpools", body, key));
    }

    [Fact]
    public async Task TheKey_IsScopedByTenant()
    {
        using var alpha = factory.CreateApi(tenant: "idem-a" + Names.Hex());
        using var beta = factory.CreateApi(tenant: "idem-b" + Names.Hex());
        var key = Guid.NewGuid().ToString();
        var body = Bodies.Faas(Names.Faas()).ToJsonString();
        await PostAsync(alpha.Client, Functions, body, key);

        var (status, _, headers) = await PostAsync(beta.Client, Functions, body, key);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task AfterARestart_TheRetryIsReplayed()
    {
        await using var server = new MetaServiceFactory();
        using var client = server.CreateClient();
        var key = Guid.NewGuid().ToString();
        var body = Bodies.Faas(Names.Faas()).ToJsonString();
        var first = await PostAsync(client, Functions, body, key);

        await using var restarted = await server.RestartAsync();
        using var again = restarted.CreateClient();
        var retry = await restarted.Store.NothingWrittenAsync(() => PostAsync(again, Functions, body, key));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Body, retry.Body);
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
    }

    [Fact]
    public async Task ExpiredKeys_ArePruned_LiveOnesKept_AndAPrunedKeyServesANewRequest()
    {
        using var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString();
        await PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), key);
        var pruner = factory.Services.GetRequiredService<IdempotencyPruner>();
        var cancel = TestContext.Current.CancellationToken;

        var whileLive = await pruner.PruneAsync(DateTimeOffset.UtcNow, cancel);
        var afterTheWindow = await pruner.PruneAsync(DateTimeOffset.UtcNow.AddHours(25), cancel);

        Assert.Equal(0, whileLive);
        Assert.True(afterTheWindow >= 1);
        Assert.Empty((await factory.Store.RangeAsync(PlatformKeys.OwnRoot + "idempotency/", cancellationToken: cancel)).Items);
        var (status, _, headers) = await PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), key);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(headers.Contains("Idempotent-Replayed"));
    }

    /// <summary>What the routes' answers are, first or replayed.</summary>
    private const string JsonContent = "application/json; charset=utf-8";

    /// <summary>The <c>Content-Type</c> of a replayed answer (the key was used already).</summary>
    private static async Task<string?> ContentTypeAsync(HttpClient client, string path, string body, string key)
    {
        using var request = KeyedPost(path, body, key);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(["true"], response.Headers.GetValues("Idempotent-Replayed"));
        return response.Content.Headers.ContentType?.ToString();
    }

    internal static async Task<(HttpStatusCode Status, string Body, System.Net.Http.Headers.HttpResponseHeaders Headers)> PostAsync(HttpClient client, string path, string body, string key)
    {
        using var request = KeyedPost(path, body, key);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers);
    }

    private static HttpRequestMessage KeyedPost(string path, string body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }
}