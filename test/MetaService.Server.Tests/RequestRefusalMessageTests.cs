using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace MetaService.Server.Tests;

/// <summary>What a request carries that is refused before any rule (<c>WireRequests</c>): the tenant headers, the body's
/// type and size, its JSON, the paging. Each with its status, code and whole message, and nothing written.</summary>
public sealed class RequestRefusalMessageTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private const string Functions = "/serverless/v1/functions";

    [Theory]
    [InlineData("X-Tenant-Id", "a@b")]
    [InlineData("X-Product-Id", "p/q")]
    public async Task ATenantHeaderThatCannotBePartOfAKey_IsRefused_NamingTheHeader(string header, string value)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Functions);
        request.Headers.Add(header, value);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal($"{header} must be 1 to 128 characters without '/', ':', '@', blanks or control characters. check input parameters",
            await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104));
    }

    [Fact]
    public async Task ABodyThatIsNotJson_Is415_NamingItsType()
    {
        using var response = await PostAsync(new StringContent("{}", Encoding.UTF8, "text/plain"));

        Assert.Equal("the body must be application/json, not 'text/plain; charset=utf-8'; send Content-Type: application/json",
            await Wire.AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, 415));
    }

    [Fact]
    public async Task ABodyWithoutAnyType_Is415_SayingItHasNone()
    {
        using var response = await PostAsync(new ByteArrayContent("{}"u8.ToArray()));

        Assert.Equal("the body must be application/json, not ''; send Content-Type: application/json",
            await Wire.AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, 415));
    }

    [Fact]
    public async Task AnEmptyBodyWithoutAType_IsRefusedAsNoJson_NotAsTheWrongType()
    {
        using var response = await PostAsync(new ByteArrayContent([]));

        Assert.Equal("EOF", await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 130600));
    }

    [Fact]
    public async Task AMemberOfTheWrongType_IsNamedByItsPath()
    {
        using var response = await PostAsync(Json("""{"name": 5}"""));

        Assert.StartsWith("json: the value at $.name has the wrong type (line 0, byte ",
            await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 130600), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonNull_IsRefused_AsNoObject()
    {
        using var response = await PostAsync(Json("null"));

        Assert.Equal("request body is not a valid JSON object", await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 130600));
    }

    /// <summary>A syntax error is the JSON reader's own message (the reader gives it a path too), not the wrong type's.</summary>
    [Fact]
    public async Task ASyntaxError_IsTheReadersMessage_NotTheWrongTypes()
    {
        using var response = await PostAsync(Json("""{"name": }"""));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 130600);
        Assert.StartsWith("'}' is an invalid start of a value. Path: $ | LineNumber: 0 | BytePositionInLine: ", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?pageIndex=-1")]
    [InlineData("?pageSize=x")]
    public async Task PagingThatIsNotANumber_IsRefused_NamingBoth(string query)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(Functions + query, TestContext.Current.CancellationToken);

        Assert.Equal("pageIndex and pageSize must be non-negative integers. check input parameters",
            await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104));
    }

    [Fact]
    public async Task ABodyOfExactlyTheLimit_IsRead_AndOneByteMoreIs413()
    {
        await using var small = new MetaServiceFactory();
        small.Settings["Server:MaxRequestBodyBytes"] = "200";
        using var client = small.CreateClient();
        var exactly = Padded(200);
        var over = Padded(201);

        using var read = await client.PostAsync(Functions, Json(exactly), TestContext.Current.CancellationToken);
        using var refused = await small.Store.NothingWrittenAsync(() => client.PostAsync(Functions, Json(over), TestContext.Current.CancellationToken));

        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, read.StatusCode);
        Assert.Equal("request body is larger than 200 bytes. check input parameters",
            await Wire.AssertErrorAsync(refused, HttpStatusCode.RequestEntityTooLarge, 4104));
    }

    /// <summary>A JSON body of exactly <paramref name="bytes"/> bytes (a description padded out).</summary>
    private static string Padded(int bytes)
    {
        const string Head = """{"description":" """;
        return Head.TrimEnd() + new string('d', bytes - Head.TrimEnd().Length - 2) + "\"}";
    }

    private static ByteArrayContent Json(string text)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<HttpResponseMessage> PostAsync(HttpContent content)
    {
        using var client = factory.CreateClient();
        using (content)
        {
            return await factory.Store.NothingWrittenAsync(() => client.PostAsync(Functions, content, TestContext.Current.CancellationToken));
        }
    }
}