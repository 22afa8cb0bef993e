using System.Net;

using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

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
        Assert.Equal($"this server does not answer for host '{host.Split(':')[0]}'; its names are set by Limits:AllowedHosts", message);
    }

    [Fact]
    public async Task ARequestWithoutAHost_IsServed()
    {
        // HTTP/1.0 sends none.
        var (status, _) = await SendAsync(c => c.Request.Host = default);

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task AHostThatIsNotAName_Answers400()
    {
        var (status, body) = await SendAsync(c => c.Request.Host = new HostString("no such:host"));

        Assert.Equal(400, status);
        Assert.Equal(400, (int)body["code"]!);
        Assert.Equal("the Host header 'no such:host' is not a host name", (string?)body["message"]);
    }

    [Fact]
    public async Task ByDefault_ARequestThatArrivedOverTheNetwork_IsNotChecked()
    {
        var (network, _) = await SendAsync(c => Arrive(c, "10.1.2.3", "meta.svc.cluster.local"));
        var (loopback, _) = await SendAsync(c => Arrive(c, "127.0.0.1", "meta.svc.cluster.local"));

        Assert.Equal(200, network);
        Assert.Equal(421, loopback);
    }

    [Fact]
    public async Task AConfiguredList_IsCheckedWhereverTheRequestArrived()
    {
        _factory.Settings["Limits:AllowedHosts:0"] = "meta.example";

        var (network, _) = await SendAsync(c => Arrive(c, "10.1.2.3", "evil.example"));
        var (named, _) = await SendAsync(c => Arrive(c, "10.1.2.3", "meta.example"));

        Assert.Equal(421, network);
        Assert.Equal(200, named);
    }

    [Fact]
    public async Task ByDefault_TheListenAddresses_NameTheServer()
    {
        var addresses = _factory.Server.Features.Get<IServerAddressesFeature>()!.Addresses;
        addresses.Add("http://meta.example:8080");
        addresses.Add("http://+:8081");
        addresses.Add("http://*:8082");

        using var client = _factory.CreateClient();
        using var named = await SendAsync(client, "META.example:8080");
        using var local = await SendAsync(client, "localhost");
        using var any = await SendAsync(client, "any");

        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, any.StatusCode);
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

    private static void Arrive(HttpContext context, string localAddress, string host)
    {
        context.Connection.LocalIpAddress = IPAddress.Parse(localAddress);
        context.Request.Host = new HostString(host);
    }

    /// <summary>A GET of the functions, with what <paramref name="configure"/> sets as the server would see it.</summary>
    private async Task<(int Status, System.Text.Json.Nodes.JsonNode Body)> SendAsync(Action<HttpContext> configure)
    {
        var context = await _factory.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = Api.ServerlessRoot;
            c.Request.Headers["X-Tenant-Id"] = "hosts";
            configure(c);
        }, TestContext.Current.CancellationToken);
        return (context.Response.StatusCode, (await System.Text.Json.Nodes.JsonNode.ParseAsync(context.Response.Body, cancellationToken: TestContext.Current.CancellationToken))!);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api.ServerlessRoot);
        request.Headers.Host = host;
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}