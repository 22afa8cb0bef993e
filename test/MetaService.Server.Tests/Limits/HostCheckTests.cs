using System.Net;

namespace MetaService.Server.Tests.Limits;

/// <summary>Host names a request may use (DNS rebinding: a page of evil.example re-pointed at 127.0.0.1 must not
/// reach the server as if it were its own origin).</summary>
public sealed class HostCheckTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:31182")]
    [InlineData("127.0.0.1:31182")]
    [InlineData("[::1]")]
    [InlineData("10.1.2.3")]
    public async Task ByDefault_LocalhostAndAddresses_AreServed(string host)
    {
        using var client = _factory.CreateClient();

        using var response = await SendAsync(client, host);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:31182")]
    [InlineData("localhost.evil.example")]
    public async Task ByDefault_OtherNames_Answer421AndStoreNothing(string host)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Api.ServerlessRoot) { Content = new StringContent(Bodies.Yrlib(Names.Yrlib()).ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Host = host;

        using var response = await _factory.Store.NothingWrittenAsync(() => client.SendAsync(request, TestContext.Current.CancellationToken));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.MisdirectedRequest, 421);
        Assert.Contains("Limits:AllowedHosts", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConfiguredList_ReplacesTheDefault()
    {
        _factory.Settings["Limits:AllowedHosts:0"] = "meta.example";
        using var client = _factory.CreateClient();

        using var named = await SendAsync(client, "meta.example:8080");
        using var local = await SendAsync(client, "localhost");

        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        await Wire.AssertErrorAsync(local, HttpStatusCode.MisdirectedRequest, 421);
    }

    [Fact]
    public async Task AStar_ServesAnyHost()
    {
        _factory.Settings["Limits:AllowedHosts:0"] = "*";
        using var client = _factory.CreateClient();

        using var response = await SendAsync(client, "evil.example");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api.ServerlessRoot);
        request.Headers.Host = host;
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}