using System.Net;
using System.Text;

using static MetaService.Server.Tests.EditRequests;

namespace MetaService.Server.Tests;

/// <summary>The edges of conditional and patch requests: the ETag lists RFC 9110 allows (blanks, empty elements, any
/// visible character), the malformed ones refused, If-Match beside a body revisionId, the 428 messages, and a merge
/// patch's body (its type, its size to the byte with and without a length, empty, <c>{}</c>, not an object).</summary>
public sealed class EditingEdgeTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private const string MalformedIfMatch = "If-Match must be a comma-separated list of quoted ETags, e.g. If-Match: \"20240416124531639\". check input parameters";

    [Theory]
    [InlineData("\"{r}\" , \"other\"")]
    [InlineData("\"other\",\t \"{r}\"")]
    [InlineData(", \"{r}\" ,,")]
    public async Task AnIfMatchList_WithBlanksAndEmptyElements_IsAccepted(string header)
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();

        // Sent as written: HttpClient would send the list of a header it knows in its own form.
        var patched = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = "PATCH";
            c.Request.Path = $"{api.Root}/{name}";
            c.Request.ContentType = MergePatch;
            c.Request.Headers.IfMatch = header.Replace("{r}", revision, StringComparison.Ordinal);
            c.Request.Body = new MemoryStream("""{"description":"listed"}"""u8.ToArray());
        }, TestContext.Current.CancellationToken);

        Assert.Equal(200, patched.Response.StatusCode);
        using var got = await api.GetAsync(name);
        Assert.Equal("listed", (string)(await Wire.OkAsync(got))["function"]!["description"]!);
    }

    [Theory]
    [InlineData("ab\"")]
    [InlineData("ab")]
    [InlineData(", ,")]
    [InlineData("\"a\"x")]
    public async Task AMalformedIfMatch_IsRefused_AndNothingWritten(string header)
    {
        using var api = factory.CreateApi();
        var (name, _) = await api.CreateDraftAsync();

        using var refused = await factory.Store.NothingWrittenAsync(() => api.PatchAsync(name, """{"description":"d"}""", "", IfMatch(header)));

        Assert.Equal(MalformedIfMatch, await Wire.AssertErrorAsync(refused, HttpStatusCode.BadRequest, 4104));
    }

    [Theory]
    [InlineData("W/", HttpStatusCode.BadRequest)]
    [InlineData("\"a!b\"", HttpStatusCode.OK)]
    [InlineData("W/\"a~b\", \"#\"", HttpStatusCode.OK)]
    public async Task IfNoneMatch_TakesEveryVisibleCharacter_AndRefusesAWeakPrefixAlone(string header, HttpStatusCode status)
    {
        using var api = factory.CreateApi();
        var (name, _) = await api.CreateDraftAsync();

        using var got = await api.SendAsync(HttpMethod.Get, api.PathOf(name), null, null, ("If-None-Match", header));

        Assert.Equal(status, got.StatusCode);
    }

    [Fact]
    public async Task IfMatch_AgreeingWithTheBodysRevisionId_Updates_AndTwoETagsWithoutOne_AreRefused()
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();

        using var two = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Put, api.PathOf(name), """{"memory":256}""", "application/json", IfMatch($"\"{revision}\", \"other\"")));
        using var agreeing = await api.SendAsync(HttpMethod.Put, api.PathOf(name), Bodies.Update(revision).ToJsonString(), "application/json", IfMatch(Tag(revision)));

        Assert.Equal("If-Match names 2 ETags: name one, or put the revisionId in the body. check input parameters", await Wire.AssertErrorAsync(two, HttpStatusCode.BadRequest, 4104));
        await Wire.OkAsync(agreeing);
    }

    [Fact]
    public async Task RequirePreconditions_NamesTheMethodThatNeedsOne()
    {
        await using var strict = new MetaServiceFactory();
        strict.Settings["Meta:RequirePreconditions"] = "true";
        using var api = strict.CreateApi();
        var (name, _) = await api.CreateDraftAsync();

        using var delete = await strict.Store.NothingWrittenAsync(() => api.DeleteAsync(name));
        using var patch = await strict.Store.NothingWrittenAsync(() => api.PatchAsync(name, """{"description":"d"}"""));

        Assert.Equal("DELETE needs a precondition here: send If-Match with the function's ETag (its revisionId)", await Wire.AssertErrorAsync(delete, (HttpStatusCode)428, 428));
        Assert.Equal("PATCH needs a precondition here: send If-Match with the function's ETag (its revisionId)", await Wire.AssertErrorAsync(patch, (HttpStatusCode)428, 428));
    }

    [Fact]
    public async Task APatchOfAnotherType_IsRefused_NamingTheTypeSent()
    {
        using var api = factory.CreateApi();
        var (name, _) = await api.CreateDraftAsync();

        using var json = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Patch, api.PathOf(name), """{"description":"d"}""", "application/json"));
        using var none = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Patch, api.PathOf(name), """{"description":"d"}""", null));

        Assert.Equal("the body must be application/merge-patch+json, not 'application/json'; send Content-Type: application/merge-patch+json", await Wire.AssertErrorAsync(json, HttpStatusCode.UnsupportedMediaType, 415));
        Assert.Equal("the body must be application/merge-patch+json, not ''; send Content-Type: application/merge-patch+json", await Wire.AssertErrorAsync(none, HttpStatusCode.UnsupportedMediaType, 415));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task APatchOfExactlyTheBodyLimit_Applies_AndOneByteMoreIs413(bool withLength)
    {
        await using var small = new MetaServiceFactory();
        small.Settings["Server:MaxRequestBodyBytes"] = "300";
        using var api = small.CreateApi();
        var (name, _) = await api.CreateDraftAsync();

        using var atLimit = await SendPatchAsync(api, name, Padded(300), withLength);
        using var over = await small.Store.NothingWrittenAsync(() => SendPatchAsync(api, name, Padded(301), withLength));

        await Wire.OkAsync(atLimit);
        Assert.Equal("request body is larger than 300 bytes. check input parameters", await Wire.AssertErrorAsync(over, HttpStatusCode.RequestEntityTooLarge, 4104));
    }

    [Theory]
    [InlineData("", 130600, "EOF")]
    [InlineData("[1]", 130600, "a merge patch must be a JSON object, e.g. {\"environment\":{\"A\":\"2\"}}")]
    [InlineData("\"text\"", 130600, "a merge patch must be a JSON object, e.g. {\"environment\":{\"A\":\"2\"}}")]
    public async Task APatchThatIsNoObject_IsRefused_AndNothingWritten(string body, int code, string message)
    {
        using var api = factory.CreateApi();
        var (name, _) = await api.CreateDraftAsync();

        using var refused = await factory.Store.NothingWrittenAsync(() => api.PatchAsync(name, body));

        Assert.Equal(message, await Wire.AssertErrorAsync(refused, HttpStatusCode.BadRequest, code));
    }

    [Fact]
    public async Task AnEmptyPatch_IsAnUpdateThatChangesNoMember()
    {
        using var api = factory.CreateApi();
        var (name, revision) = await api.CreateDraftAsync();

        using var patched = await api.PatchAsync(name, "{}");

        var result = (await Wire.OkAsync(patched))["result"]!;
        Assert.Equal(128, (long)result["memory"]!);
        Assert.NotEqual(revision, (string)result["revisionId"]!);
    }

    /// <summary>A patch of the description, <paramref name="bytes"/> long in UTF-8.</summary>
    private static string Padded(int bytes)
    {
        const string Head = "{\"description\":\"", Tail = "\"}";
        return Head + new string('x', bytes - Head.Length - Tail.Length) + Tail;
    }

    /// <summary>The patch with its Content-Length, or streamed without one (chunked).</summary>
    private static async Task<HttpResponseMessage> SendPatchAsync(Api api, string name, string patch, bool withLength)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(api.PathOf(name), UriKind.Relative));
        request.Content = withLength ? new ByteArrayContent(Encoding.UTF8.GetBytes(patch)) : new StreamContent(new UnsizedStream(Encoding.UTF8.GetBytes(patch)));
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(MergePatch);
        return await api.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>A stream whose length is not known, so that the client sends no Content-Length.</summary>
    private sealed class UnsizedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}