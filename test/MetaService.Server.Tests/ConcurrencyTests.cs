using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

/// <summary>The revisionId check holds under concurrency: of N writers carrying one revisionId, one wins, and the others
/// write nothing.</summary>
public sealed class ConcurrencyTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private const int Writers = 64;

    [Fact]
    public async Task Update_64ConcurrentWithOneRevisionId_ExactlyOneSucceeds_OthersGet412And4134()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;

        var responses = await factory.Store.OneWriteAsync(() => Task.WhenAll(Enumerable.Range(0, Writers).Select(i =>
            api.UpdateAsync(name, Bodies.Update(revision, "faas").With("description", $"\"writer {i}\"")))));

        var winner = (await Wire.AssertOneWinnerAsync(responses, HttpStatusCode.PreconditionFailed, 4134))["result"]!;
        var draft = await api.GetOkAsync(name, "latest");
        Assert.Equal((string?)winner["revisionId"], (string?)draft["revisionId"]);
        Assert.Equal((string?)winner["description"], (string?)draft["description"]);
    }

    [Fact]
    public async Task Publish_64ConcurrentWithOneRevisionId_ExactlyOneSucceeds_OthersGet412And4134()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;

        var responses = await factory.Store.OneWriteAsync(() => Task.WhenAll(Enumerable.Range(0, Writers).Select(i =>
            api.PublishAsync(name, new JsonObject
            {
                ["revisionId"] = revision,
                ["kind"] = "faas",
                ["versionNumber"] = "v" + i.ToString(CultureInfo.InvariantCulture),
            }))));

        await Wire.AssertOneWinnerAsync(responses, HttpStatusCode.PreconditionFailed, 4134);
        using var versions = await api.ListVersionsAsync(name);
        Assert.Equal(2, (int)(await Wire.OkAsync(versions))["pageInfo"]!["total"]!);
    }

    [Fact]
    public async Task Create_64ConcurrentWithOneName_ExactlyOneSucceeds_OthersGet409And4101()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();

        var responses = await factory.Store.OneWriteAsync(() => Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => api.CreateAsync(Bodies.Faas(name)))));

        await Wire.AssertOneWinnerAsync(responses, HttpStatusCode.Conflict, 4101);
    }
}