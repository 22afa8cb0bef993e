using System.Net;

namespace MetaService.Server.Tests;

/// <summary>Every answer tells browsers not to guess its type; the API description's pages refuse to be framed.</summary>
public sealed class SecurityHeaderTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Theory]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/serverless/v1/functions", HttpStatusCode.OK)]
    [InlineData("/serverless/v1/functions/0-svc-nothere", HttpStatusCode.NotFound)]
    [InlineData("/no/such/route", HttpStatusCode.NotFound)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    public async Task EveryAnswer_CarriesNosniff(string path, HttpStatusCode status)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task TheScalarPage_RefusesToBeFramed()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/scalar/", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Contains("frame-ancestors 'none'", string.Join(",", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }
}