using System.Net;
using System.Text;

namespace MetaService.Server.Tests;

/// <summary>Malformed and hostile requests get a 4xx with a <c>{code, message}</c> body, write nothing,
/// and the server keeps serving.</summary>
public sealed class BadInputTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private const string Functions = "/serverless/v1/functions";

    private static async Task AssertServingAsync(Api api)
    {
        using var health = await api.SendAsync(HttpMethod.Get, "/healthz", null);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"name":""")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("""{"cpu":"600"}""")]
    [InlineData("""{"minInstance":0}""")]
    [InlineData("""{"environment":["A"]}""")]
    [InlineData("""{"name":123}""")]
    [InlineData("""{"timeout":1.5}""")]
    public async Task Create_WithMalformedJsonOrWrongTypes_Returns400And130600(string body)
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, Functions, body));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 130600);
        await AssertServingAsync(api);
    }

    [Fact]
    public async Task Create_WithEmptyBody_Returns400And130600Eof()
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, Functions, ""));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 130600);
        Assert.Equal("EOF", message);
        await AssertServingAsync(api);
    }

    [Fact]
    public async Task Update_WithEmptyBody_Returns400And130600Eof()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Put, $"{Functions}/{name}", ""));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 130600);
        Assert.Equal("EOF", message);
        await AssertServingAsync(api);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"revisionId":20250318064354416}""")]
    [InlineData("""{"minInstance":0}""")]
    public async Task Update_WithMalformedJsonOrWrongTypes_Returns400And130600(string body)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Put, $"{Functions}/{name}", body));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 130600);
        await AssertServingAsync(api);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"versionNumber":1}""")]
    public async Task Publish_WithEmptyOrMalformedBody_Returns400And130600(string body)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, $"{Functions}/{name}/versions", body));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 130600);
        await AssertServingAsync(api);
    }

    [Fact]
    public async Task Create_WithBodyOver1MiB_Returns413And4104()
    {
        using var api = factory.CreateApi();
        var body = Bodies.Faas(Names.Faas());
        body["padding"] = new string('x', (1024 * 1024) + 1);

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(body));

        await Wire.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, 4104);
        await AssertServingAsync(api);
    }

    [Fact]
    public async Task Create_WithChunkedBodyOver1MiB_Returns413And4104()
    {
        using var api = factory.CreateApi();
        var bytes = Encoding.UTF8.GetBytes(Bodies.Faas(Names.Faas()).With("padding", $"\"{new string('x', 2 * 1024 * 1024)}\"").ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Functions, UriKind.Relative))
        {
            Content = new StreamContent(new MemoryStream(bytes)),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await factory.Store.NothingWrittenAsync(() => api.Client.SendAsync(request, TestContext.Current.CancellationToken));

        await Wire.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, 4104);
        await AssertServingAsync(api);
    }

    [Theory]
    [InlineData("0@svc@fñ")]
    [InlineData("函数")]
    [InlineData("0@svc@fn-😀")]
    [InlineData("0-svc-fn\u0000x")]
    [InlineData("../../etc/passwd")]
    [InlineData("0@svc@fn/x")]
    public async Task Create_WithInvalidOrUnicodeName_Returns400And4104(string name)
    {
        using var api = factory.CreateApi();
        var body = Bodies.Faas("placeholder");
        body["name"] = name;

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(body));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        await AssertServingAsync(api);
    }

    [Theory]
    [InlineData("f%C3%B1")]
    [InlineData("%E5%87%BD%E6%95%B0")]
    [InlineData("a:b:c")]
    public async Task Get_WithUnicodeOrMalformedPathName_Returns400(string escapedName)
    {
        using var api = factory.CreateApi();

        using var response = await api.SendAsync(HttpMethod.Get, $"{Functions}/{escapedName}", null);

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }

    [Fact]
    public async Task Create_WithDeeplyNestedUnknownMember_Returns400And130600()
    {
        using var api = factory.CreateApi();
        var nested = new string('[', 200) + new string(']', 200);
        var body = Bodies.Faas(Names.Faas()).ToJsonString().TrimEnd('}') + $",\"deep\":{nested}}}";

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, Functions, body));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 130600);
        await AssertServingAsync(api);
    }

    [Fact]
    public async Task Create_WithInvalidUtf8_Returns400And130600()
    {
        using var api = factory.CreateApi();
        var prefix = Encoding.UTF8.GetBytes("{\"name\":\"0@svc@fn-");
        var suffix = Encoding.UTF8.GetBytes("\",\"runtime\":\"python3.9\",\"cpu\":300,\"memory\":128}");
        byte[] body = [.. prefix, 0xC3, 0x28, 0xFF, .. suffix];

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendBytesAsync(HttpMethod.Post, Functions, body));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 130600);
        await AssertServingAsync(api);
    }

    [Fact]
    public async Task ManyBadRequestsInARow_LeaveTheServerServing()
    {
        using var api = factory.CreateApi();

        await factory.Store.NothingWrittenAsync(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                using var response = await api.SendAsync(HttpMethod.Post, Functions, i % 2 == 0 ? "{" : "");
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            }

            return 50;
        });

        await AssertServingAsync(api);
        var fn = await api.CreateOkAsync(Bodies.Faas(Names.Faas()));
        Assert.Matches(Formats.RevisionId(), (string?)fn["revisionId"]);
    }
}