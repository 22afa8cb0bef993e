using System.Net.Sockets;
using System.Text;

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests.Limits;

/// <summary>
/// Requests whose head is too large, sent over a raw socket to the server on Kestrel: a request line over
/// <c>Limits:RequestLineBytes</c> answers 414, header lines over <c>Limits:RequestHeadersBytes</c> or more than
/// <c>Limits:RequestHeaderCount</c> of them 431, each with a <c>{code, message}</c> body. Past Kestrel's own limits (four
/// times these) and for a request Kestrel cannot parse, the answer is Kestrel's, without a body, as docs/compatibility.md says.
/// </summary>
public sealed class RequestHeadTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();
    private Uri _address = null!;

    public ValueTask InitializeAsync()
    {
        _factory.Settings["urls"] = "http://127.0.0.1:0";
        _factory.UseKestrel();
        _factory.StartServer();
        _address = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task ARequestLineOverTheLimit_Answers414WithABody()
    {
        var answer = await SendAsync($"GET /serverless/v1/functions?name={new string('a', 9000)} HTTP/1.1\r\nHost: localhost\r\n");

        Assert.Equal(414, answer.Status);
        Assert.Contains("\"code\":414", answer.Body, StringComparison.Ordinal);
        Assert.Contains("Limits:RequestLineBytes", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeaderLinesOverTheLimit_Answer431WithABody()
    {
        var answer = await SendAsync($"GET /serverless/v1/functions HTTP/1.1\r\nHost: localhost\r\nX-Big: {new string('b', 40000)}\r\n");

        Assert.Equal(431, answer.Status);
        Assert.Contains("\"code\":431", answer.Body, StringComparison.Ordinal);
        Assert.Contains("Limits:RequestHeadersBytes", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooManyHeaderLines_Answer431WithABody()
    {
        var headers = string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: {i}\r\n"));

        var answer = await SendAsync($"GET /serverless/v1/functions HTTP/1.1\r\nHost: localhost\r\n{headers}");

        Assert.Equal(431, answer.Status);
        Assert.Contains("Limits:RequestHeaderCount", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHeadWithinTheLimits_IsServed()
    {
        var answer = await SendAsync($"GET /serverless/v1/functions?name={new string('a', 7000)} HTTP/1.1\r\nHost: localhost\r\nX-Big: {new string('b', 20000)}\r\n");

        Assert.Equal(200, answer.Status);
    }

    [Fact]
    public async Task PastKestrelsOwnLimit_OrUnparsable_TheAnswerIsKestrels_WithoutABody()
    {
        var tooLong = await SendAsync($"GET /serverless/v1/functions?name={new string('a', 40000)} HTTP/1.1\r\nHost: localhost\r\n");
        var malformed = await SendAsync("GET /serverless/v1/functions HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n");

        Assert.Equal(414, tooLong.Status);
        Assert.Equal("", tooLong.Body);
        Assert.Equal(400, malformed.Status);
        Assert.Equal("", malformed.Body);
    }

    /// <summary>Sends <paramref name="head"/> (its request line and header lines) with <c>Connection: close</c> and reads the
    /// whole answer; the server closes the connection after it.</summary>
    private async Task<(int Status, string Body)> SendAsync(string head)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_address.Host, _address.Port, TestContext.Current.CancellationToken);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "Connection: close\r\n\r\n"), TestContext.Current.CancellationToken);

        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bounded.CancelAfter(TimeSpan.FromMinutes(1));
        var answer = await reader.ReadToEndAsync(bounded.Token);

        var status = int.Parse(answer.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, answer[(end + 4)..]);
    }
}