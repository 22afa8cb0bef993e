using System.Net;
using System.Text.Json.Nodes;

using static MetaService.Server.Tests.EditRequests;

namespace MetaService.Server.Tests;

/// <summary>?dryRun=true on every write route: the answer of the write, with X-Dry-Run: true, and nothing written.</summary>
public sealed class DryRunTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    /// <summary>Sends the request as a dry run, asserts that the store (revision and every key) did not change, then sends
    /// it for real and asserts the same status and envelope (times and revisionIds aside); returns the real answer's body.</summary>
    private async Task<JsonNode?> AssertDryRunAnswersAsTheWriteAsync(Func<bool, Task<HttpResponseMessage>> send, bool writes = true)
    {
        var before = await factory.Store.SnapshotAsync();
        using var dry = await send(true);
        var dryBody = await dry.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(before, await factory.Store.SnapshotAsync());

        using var real = await send(false);
        var realBody = await real.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal("true", Assert.Single(dry.Headers.GetValues("X-Dry-Run")));
        Assert.False(real.Headers.Contains("X-Dry-Run"));
        Assert.True(real.StatusCode == dry.StatusCode, $"dry run {(int)dry.StatusCode} {dryBody}, write {(int)real.StatusCode} {realBody}");
        Assert.Equal(WithoutTimes(realBody), WithoutTimes(dryBody));
        Assert.Equal(writes, before != await factory.Store.SnapshotAsync());
        return realBody.Length == 0 ? null : JsonNode.Parse(realBody);
    }

    private static string Q(string path, bool dry, string query = "") =>
        path + (query.Length == 0 && !dry ? "" : "?" + string.Join("&", new[] { query, dry ? "dryRun=true" : "" }.Where(q => q.Length > 0)));

    [Fact]
    public async Task EveryFunctionRoute_DryRunWritesNothing_AndAnswersAsTheWriteThatFollows()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}";

        var created = await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Post, Q(api.Root, dry), Bodies.Faas(name).ToJsonString(), "application/json"));
        var revision = (string)created!["function"]!["revisionId"]!;
        var updated = await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Put, Q(path, dry), Bodies.Update(revision).ToJsonString(), "application/json"));
        // The dry run's compare is against the store: the second request carries the revisionId the first one replaced.
        revision = (string)updated!["result"]!["revisionId"]!;
        var patched = await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Patch, Q(path, dry), """{"environment":{"B":"2"}}""", MergePatch, IfMatch(Tag(revision))));
        revision = (string)patched!["result"]!["revisionId"]!;
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Post, Q(path + "/versions", dry), $$"""{"revisionId":"{{revision}}","versionNumber":"v1"}""", "application/json"));
        await api.PublishOkAsync(name, await api.TouchAsync(name, revision), "v2", "faas");
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Delete, Q(path, dry, "versionNumber=v1"), null, null));
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Delete, Q(path, dry), null, null));
    }

    [Fact]
    public async Task RefusedWrites_AnswerTheSameRefusalAsADryRun()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}";
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.TouchAsync(name, revision);

        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Post, Q(api.Root, dry), Bodies.Faas(name).ToJsonString(), "application/json"), writes: false);
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Put, Q(path, dry), Bodies.Update(revision).ToJsonString(), "application/json"), writes: false);
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Patch, Q(path, dry), """{"cpu":1}""", MergePatch), writes: false);
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Delete, Q(path, dry), null, null, IfMatch(Tag(revision))), writes: false);
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Post, Q(path + "/versions", dry), $$"""{"revisionId":"{{revision}}"}""", "application/json"), writes: false);
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Delete, Q(path, dry, "versionNumber=v9"), null, null), writes: false);
    }

    [Fact]
    public async Task ReserveInstanceRoutes_DryRunWritesNothing_AndAnswersAsTheWrite()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, revision, "v1", "faas");
        const string root = "/serverless/v1/functions/reserve-instance";
        string Label(int max) => $$"""{"funcName":"{{name}}","version":"v1","instanceLabel":"l1","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":{{max}},"minInstance":1}]}""";

        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Post, Q(root, dry), Label(2), "application/json"));
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Put, Q(root, dry), Label(3), "application/json"));
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Delete, Q(root, dry), Label(3), "application/json"));
    }

    [Fact]
    public async Task PoolRoutes_DryRunWritesNothing_AndAnswersAsTheWrite()
    {
        using var api = factory.CreateApi();
        var id = "p" + Names.Hex();
        const string root = "/serverless/v1/podpools";

        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Post, Q(root, dry), $$"""{"pools":[{"id":"{{id}}","size":1,"max_size":4}]}""", "application/json"));
        // The platform moves a new pool on (here: by hand, to running), after which its size may change.
        var key = "/yr/podpools/info/" + id;
        var stored = (await factory.Store.GetAsync(key, TestContext.Current.CancellationToken))!;
        var running = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(stored.Value).Replace("\"status\":0", "\"status\":4", StringComparison.Ordinal));
        Assert.True((await factory.Store.TxnAsync([], [new Core.Storage.WriteOp.Put(key, running)], TestContext.Current.CancellationToken)).Succeeded);
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Put, Q($"{root}/{id}", dry), """{"size":2}""", "application/json"));
        await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Delete, Q(root, dry, "id=" + id), null, null));
    }

    [Fact]
    public async Task PoolCreate_OfOneIdTwice_DryRunAnswersAsTheWrite_TheSecondRefused()
    {
        using var api = factory.CreateApi();
        var id = "p" + Names.Hex();
        var body = $$"""{"pools":[{"id":"{{id}}","size":1},{"id":"{{id}}","size":2}]}""";

        var real = await AssertDryRunAnswersAsTheWriteAsync(dry => api.SendAsync(HttpMethod.Post, Q("/serverless/v1/podpools", dry), body, "application/json"));

        Assert.Equal(4104, (int)real!["code"]!);
        Assert.Contains("already exists", (string?)real["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData("true&dryRun=true")]
    public async Task BadDryRunValue_Answers400_NothingWritten(string value)
    {
        using var api = factory.CreateApi();

        var answer = await factory.Store.NothingWrittenAsync(() =>
            api.SendAsync(HttpMethod.Post, $"{api.Root}?dryRun={value}", Bodies.Faas(Names.Faas()).ToJsonString(), "application/json"));

        Assert.Contains("dryRun", await Wire.AssertErrorAsync(answer, HttpStatusCode.BadRequest, 4104));
    }
}