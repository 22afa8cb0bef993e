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
    public async Task Publish_64ConcurrentWithOneRevisionIdAndOneNumber_ExactlyOneSucceeds_OthersGet4134Or4114()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;

        var responses = await factory.Store.OneWriteAsync(() => Task.WhenAll(Enumerable.Range(0, Writers).Select(_ =>
            api.PublishAsync(name, new JsonObject { ["revisionId"] = revision, ["kind"] = "faas", ["versionNumber"] = "v1" }))));

        // A loser read the draft before the winner committed (its compare fails: 4134) or after (v1 exists: 4114).
        var winners = 0;
        foreach (var response in responses)
        {
            using (response)
            {
                var body = await Wire.JsonAsync(response);
                var code = (int)body["code"]!;
                Assert.True(response.StatusCode == HttpStatusCode.OK ? code == 0 : (response.StatusCode, code) is (HttpStatusCode.PreconditionFailed, 4134) or (HttpStatusCode.Conflict, 4114), $"{response.StatusCode} {body}");
                winners += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            }
        }

        Assert.Equal(1, winners);
        using var versions = await api.ListVersionsAsync(name);
        Assert.Equal(2, (int)(await Wire.OkAsync(versions))["pageInfo"]!["total"]!);
    }

    [Fact]
    public async Task Publish_64ConcurrentWithOneRevisionIdAndOwnNumbers_WriteOncePerSuccess_AndLosersGet4134Or4110()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        var before = await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken);

        var responses = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i =>
            api.PublishAsync(name, new JsonObject { ["revisionId"] = revision, ["kind"] = "faas", ["versionNumber"] = "v" + i.ToString(CultureInfo.InvariantCulture) })));

        // A revisionId may be published under several numbers (as the original lets it, TestCheckRepublish): a publish that
        // read the draft after another committed succeeds too; one whose compare on the draft lost answers 4134.
        var published = new List<string>();
        foreach (var response in responses)
        {
            using (response)
            {
                var body = await Wire.JsonAsync(response);
                Assert.True(response.StatusCode == HttpStatusCode.OK || (response.StatusCode, (int)body["code"]!) is (HttpStatusCode.PreconditionFailed, 4134) or (HttpStatusCode.Conflict, 4110), $"{response.StatusCode} {body}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Assert.Equal(revision, (string?)body["function"]!["revisionId"]);
                    published.Add((string)body["function"]!["versionNumber"]!);
                }
            }
        }

        var after = await factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(published);
        Assert.Equal(published.Count, after - before);
        using var versions = await api.ListVersionsAsync(name);
        Assert.Equal(published.Count + 1, (int)(await Wire.OkAsync(versions))["pageInfo"]!["total"]!);
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