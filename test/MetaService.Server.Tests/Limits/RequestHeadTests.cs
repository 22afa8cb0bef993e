using System.Net.Sockets;
using System.Text;

namespace MetaService.Server.Tests.Limits;

/// <summary>
/// Requests whose head is too large, sent over a raw socket to the server on Kestrel: a request line over
/// <c>Limits:RequestLineBytes</c> answers 414, header lines over <c>Limits:RequestHeadersBytes</c> or more than
/// <c>Limits:RequestHeaderCount</c> of them 431, each with a <c>{code, message}</c> body. Past Kestrel's own limits (four
/// times these) and for a request Kestrel cannot parse, the answer is Kestrel's, without a body, as docs/compatibility.md says.
/// </summary>
public sealed class RequestHeadTests : IAsyncLifetime
{
    private const string Target = "/serverless/v1/functions?name=";

    private readonly MetaServiceFactory _factory = new();
    private Uri _address = null!;

    public ValueTask InitializeAsync()
    {
        _address = _factory.StartOnKestrel();
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

    /// <summary>Each limit counts as HTTP/1.1 sends the head: <c>METHOD SP target SP HTTP/1.1 CRLF</c> for the request line
    /// (here 15 bytes besides the target) and <c>name: value CRLF</c> per header line (Host and Connection here: 36 bytes,
    /// two lines). A head exactly at a limit is served; a byte or a line more is refused, the message saying both counts.</summary>
    [Fact]
    public async Task AHeadExactlyAtEachLimit_IsServed_AndOneMoreIsRefused_SayingHowMuch()
    {
        var lineAt = await SendAsync($"GET {Target}{new string('a', 8192 - 15 - Target.Length)} HTTP/1.1\r\nHost: localhost\r\n");
        var lineOver = await SendAsync($"GET {Target}{new string('a', 8192 - 15 - Target.Length + 1)} HTTP/1.1\r\nHost: localhost\r\n");
        var bytesAt = await SendAsync($"GET /serverless/v1/functions HTTP/1.1\r\nHost: localhost\r\nX-Big: {new string('b', 32768 - 36 - 9)}\r\n");
        var bytesOver = await SendAsync($"GET /serverless/v1/functions HTTP/1.1\r\nHost: localhost\r\nX-Big: {new string('b', 32768 - 36 - 8)}\r\n");
        var countAt = await SendAsync($"GET /serverless/v1/functions HTTP/1.1\r\nHost: localhost\r\n{Lines(98)}");
        var countOver = await SendAsync($"GET /serverless/v1/functions HTTP/1.1\r\nHost: localhost\r\n{Lines(99)}");

        Assert.Equal((200, 200, 200), (lineAt.Status, bytesAt.Status, countAt.Status));
        Assert.Equal((414, 431, 431), (lineOver.Status, bytesOver.Status, countOver.Status));
        Assert.Contains("the request line has 8193 bytes; at most 8192 are accepted (Limits:RequestLineBytes): shorten the path and query", lineOver.Body, StringComparison.Ordinal);
        Assert.Contains("the request's header lines have 32769 bytes; at most 32768 are accepted (Limits:RequestHeadersBytes)", bytesOver.Body, StringComparison.Ordinal);
        Assert.Contains("the request has 101 header lines; at most 100 are accepted (Limits:RequestHeaderCount)", countOver.Body, StringComparison.Ordinal);
    }

    private static string Lines(int count) => string.Concat(Enumerable.Range(0, count).Select(i => $"X-H{i}: {i}\r\n"));

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