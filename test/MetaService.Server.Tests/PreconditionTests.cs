using System.Net;
using System.Text.Json.Nodes;

using static MetaService.Server.Tests.EditRequests;

namespace MetaService.Server.Tests;

/// <summary>ETag, If-Match and If-None-Match (RFC 9110) on the function routes, and Meta:RequirePreconditions.</summary>
public sealed class PreconditionTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task EveryAnswerOfOneVersion_CarriesItsRevisionIdAsETag()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();

        using var created = await api.CreateAsync(Bodies.Faas(name));
        var revision = (string)(await Wire.OkAsync(created))["function"]!["revisionId"]!;
        using var got = await api.GetAsync(name);
        using var updated = await api.UpdateAsync(name, Bodies.Update(revision));
        var updatedRevision = (string)(await Wire.OkAsync(updated))["result"]!["revisionId"]!;
        using var patched = await api.PatchAsync(name, """{"description":"d"}""");
        var patchedRevision = (string)(await Wire.OkAsync(patched))["result"]!["revisionId"]!;
        using var published = await api.PublishAsync(name, new JsonObject { ["revisionId"] = patchedRevision, ["versionNumber"] = "v1" });
        using var gotVersion = await api.GetAsync(name, "v1");

        Assert.Equal(Tag(revision), ETagOf(created));
        Assert.Equal(Tag(revision), ETagOf(got));
        Assert.Equal(Tag(updatedRevision), ETagOf(updated));
        Assert.Equal(Tag(patchedRevision), ETagOf(patched));
        Assert.Equal(Tag(patchedRevision), ETagOf(published));
        Assert.Equal(Tag(patchedRevision), ETagOf(gotVersion));
    }

    [Fact]
    public async Task GetWithIfNoneMatch_OfTheCurrentRevision_Answers304WithoutBody_AndOfAnOldOne200()
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();
        var newer = (string)(await api.UpdateOkAsync(name, Bodies.Update(revision)))["revisionId"]!;
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}";

        using var current = await api.SendAsync(HttpMethod.Get, path, null, null, ("If-None-Match", Tag(newer)));
        using var weakAmongOthers = await api.SendAsync(HttpMethod.Get, path, null, null, ("If-None-Match", $"\"x\", W/{Tag(newer)}"));
        using var old = await api.SendAsync(HttpMethod.Get, path, null, null, ("If-None-Match", Tag(revision)));

        Assert.Equal(HttpStatusCode.NotModified, current.StatusCode);
        Assert.Empty(await current.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(Tag(newer), ETagOf(current));
        Assert.Equal(HttpStatusCode.NotModified, weakAmongOthers.StatusCode);
        Assert.Equal(newer, (string?)(await Wire.OkAsync(old))["function"]!["revisionId"]);
    }

    [Fact]
    public async Task UpdateWithIfMatch_OfTheCurrentRevision_NeedsNoBodyRevisionId_AndOfAnOldOneAnswers412()
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}";
        var body = Bodies.Update(revision).Without("revisionId").ToJsonString();

        using var updated = await api.SendAsync(HttpMethod.Put, path, body, "application/json", IfMatch(Tag(revision)));
        var stale = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Put, path, body, "application/json", IfMatch(Tag(revision))));

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        await Wire.AssertErrorAsync(stale, HttpStatusCode.PreconditionFailed, 4134);
    }

    [Fact]
    public async Task IfMatchThatDisagreesWithTheBodyRevisionId_Answers400_OnUpdatePublishAndPatch()
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}";
        var other = IfMatch("\"20200101000000000\"");

        var update = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Put, path, Bodies.Update(revision).ToJsonString(), "application/json", other));
        var publish = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, path + "/versions", $$"""{"revisionId":"{{revision}}","versionNumber":"v1"}""", "application/json", other));
        var patch = await factory.Store.NothingWrittenAsync(() => api.PatchAsync(name, $$"""{"revisionId":"{{revision}}","description":"d"}""", "", other));

        Assert.Contains("disagree", await Wire.AssertErrorAsync(update, HttpStatusCode.BadRequest, 4104));
        Assert.Contains("disagree", await Wire.AssertErrorAsync(publish, HttpStatusCode.BadRequest, 4104));
        Assert.Contains("disagree", await Wire.AssertErrorAsync(patch, HttpStatusCode.BadRequest, 4104));
    }

    [Fact]
    public async Task PublishWithIfMatch_OfTheCurrentRevision_Publishes_AndOfAnOldOneAnswers412()
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}/versions";
        var newer = (string)(await api.UpdateOkAsync(name, Bodies.Update(revision)))["revisionId"]!;

        var stale = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, path, """{"versionNumber":"v1"}""", "application/json", IfMatch(Tag(revision))));
        using var published = await api.SendAsync(HttpMethod.Post, path, """{"versionNumber":"v1"}""", "application/json", IfMatch(Tag(newer)));

        await Wire.AssertErrorAsync(stale, HttpStatusCode.PreconditionFailed, 4134);
        Assert.Equal("v1", (string?)(await Wire.OkAsync(published))["function"]!["versionNumber"]);
    }

    [Fact]
    public async Task DeleteWithIfMatch_OfAnOldRevision_Answers412AndKeepsTheFunction_OfTheCurrentOneDeletes()
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();
        var newer = (string)(await api.UpdateOkAsync(name, Bodies.Update(revision)))["revisionId"]!;
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}";

        var stale = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Delete, path, null, null, IfMatch(Tag(revision))));
        using var deleted = await api.SendAsync(HttpMethod.Delete, path, null, null, IfMatch($"\"other\", {Tag(newer)}"));

        await Wire.AssertErrorAsync(stale, HttpStatusCode.PreconditionFailed, 4134);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var gone = await api.GetAsync(name);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task DeleteOfOneVersionWithIfMatch_ComparesThatVersionsRevisionId()
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();
        await api.PublishOkAsync(name, revision, "v1", "faas");
        var newer = await api.TouchAsync(name, revision);
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}?versionNumber=v1";

        var draftTag = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Delete, path, null, null, IfMatch(Tag(newer))));
        using var deleted = await api.SendAsync(HttpMethod.Delete, path, null, null, IfMatch(Tag(revision)));

        await Wire.AssertErrorAsync(draftTag, HttpStatusCode.PreconditionFailed, 4134);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }

    [Fact]
    public async Task ConcurrentPatchesWithOneIfMatch_OneWins_EveryOtherAnswers412()
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();

        var responses = await factory.Store.OneWriteAsync(() => Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            api.PatchAsync(name, $$$"""{"environment":{"N":"{{{i}}}"}}""", "", IfMatch(Tag(revision))))));

        await Wire.AssertOneWinnerAsync(responses, HttpStatusCode.PreconditionFailed, 4134);
    }

    [Fact]
    public async Task ConcurrentDeletesWithOneIfMatch_OneWins()
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}";

        var responses = await factory.Store.OneWriteAsync(() => Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            api.SendAsync(HttpMethod.Delete, path, null, null, IfMatch(Tag(revision))))));

        // The losers find the function gone (404), or lost to the winner's write (412): never a second delete.
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await Wire.AssertClientErrorAsync(loser);
            Assert.Contains(loser.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.PreconditionFailed });
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("If-Match", "20240416124531639")]
    [InlineData("If-Match", "*")]
    [InlineData("If-Match", "W/\"20240416124531639\"")]
    [InlineData("If-Match", "\"a\" \"b\"")]
    [InlineData("If-Match", "\"a")]
    [InlineData("If-Match", "\"a b\"")]
    public async Task MalformedIfMatch_Answers400_OnEveryRoute_NothingWritten(string header, string value)
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}";

        var update = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Put, path, Bodies.Update(revision).ToJsonString(), "application/json", (header, value)));
        var patch = await factory.Store.NothingWrittenAsync(() => api.PatchAsync(name, """{"description":"d"}""", "", (header, value)));
        var publish = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, path + "/versions", $$"""{"revisionId":"{{revision}}"}""", "application/json", (header, value)));
        var delete = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Delete, path, null, null, (header, value)));

        foreach (var answer in new[] { update, patch, publish, delete })
        {
            Assert.Contains(header, await Wire.AssertErrorAsync(answer, HttpStatusCode.BadRequest, 4104));
        }
    }

    [Theory]
    [InlineData("*")]
    [InlineData("20240416124531639")]
    [InlineData("\"a\";")]
    public async Task MalformedIfNoneMatch_Answers400(string value)
    {
        using var api = factory.CreateApi();
        var (name, _) = await api.CreateDraftAsync();

        using var answer = await api.SendAsync(HttpMethod.Get, $"{api.Root}/{Uri.EscapeDataString(name)}", null, null, ("If-None-Match", value));

        Assert.Contains("If-None-Match", await Wire.AssertErrorAsync(answer, HttpStatusCode.BadRequest, 4104));
    }

    [Fact]
    public async Task RequirePreconditions_UnconditionalDeleteAndPatchAnswer428_ConditionalOnesApply()
    {
        await using var strict = new MetaServiceFactory();
        strict.Settings["Meta:RequirePreconditions"] = "true";
        using var api = strict.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();
        var path = $"{api.Root}/{Uri.EscapeDataString(name)}";

        var delete = await strict.Store.NothingWrittenAsync(() => api.DeleteAsync(name));
        var patch = await strict.Store.NothingWrittenAsync(() => api.PatchAsync(name, """{"description":"d"}"""));
        using var patched = await api.PatchAsync(name, $$"""{"revisionId":"{{revision}}","description":"d"}""");
        var newer = (string)(await Wire.OkAsync(patched))["result"]!["revisionId"]!;
        using var deleted = await api.SendAsync(HttpMethod.Delete, path, null, null, IfMatch(Tag(newer)));

        Assert.Contains("If-Match", await Wire.AssertErrorAsync(delete, (HttpStatusCode)428, 428));
        Assert.Contains("If-Match", await Wire.AssertErrorAsync(patch, (HttpStatusCode)428, 428));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }
}