using System.Net;
using System.Text;

namespace MetaService.Server.Tests.Limits;

/// <summary>A body is read only as <c>application/json</c>: a web page can send text, a form or an untyped blob to any
/// origin without asking first (no preflight), so those answer 415 and store nothing.</summary>
public sealed class JsonBodyTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task Create_WithABodyThatIsNotJson_Returns415AndStoresNothing(string? contentType)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Api.ServerlessRoot) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Bodies.Yrlib(Names.Yrlib()).ToJsonString())) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await factory.Store.NothingWrittenAsync(() => client.SendAsync(request, TestContext.Current.CancellationToken));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, 415);
        Assert.Contains("application/json", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/serverless/v1/functions/reserve-instance", "PUT")]
    [InlineData("/serverless/v1/podpools", "POST")]
    [InlineData("/admin/v1/functions", "POST")]
    public async Task EveryRouteThatReadsABody_RefusesText(string path, string method)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "text/plain") };

        using var response = await factory.Store.NothingWrittenAsync(() => client.SendAsync(request, TestContext.Current.CancellationToken));

        await Wire.AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, 415);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON;charset=UTF-8")]
    public async Task Create_WithJson_InAnySpelling_Succeeds(string contentType)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Api.ServerlessRoot) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Bodies.Yrlib(Names.Yrlib()).ToJsonString())) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await Wire.OkAsync(response);
    }

    [Fact]
    public async Task ADeleteWithoutBody_NeedsNoContentType()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        await api.CreateOkAsync(Bodies.Yrlib(name));

        using var response = await api.DeleteAsync(name);

        await Wire.OkAsync(response);
    }
}