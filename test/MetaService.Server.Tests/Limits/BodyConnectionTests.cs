using System.Net.Sockets;
using System.Text;

namespace MetaService.Server.Tests.Limits;

/// <summary>
/// A body refused for its size, sent over a raw socket to the server on Kestrel without a <c>Content-Length</c>
/// (chunked, so that only reading it tells its size): the answer is 413 with its <c>{code, message}</c>, and the
/// connection stays usable, its next request answered on it, as for any other refusal.
/// </summary>
public sealed class BodyConnectionTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();
    private Uri _address = null!;

    public ValueTask InitializeAsync()
    {
        _factory.Settings["Server:MaxRequestBodyBytes"] = "200";
        _address = _factory.StartOnKestrel();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    /// <summary>With an <c>Idempotency-Key</c> the body is read by the key's filter first, into a buffer of the limit and
    /// one byte; without, by the route. On one connection: the body in one piece, then in two (the second sent half a
    /// second after the first, so that the first read takes only the first piece, the path warmed by the first request:
    /// the next read must not take the body more than a byte past the limit, or the buffer throws, a 500 where a 413 is
    /// due), then a list, answered on the same connection.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AChunkedBodyOverTheLimit_Is413_InOnePieceOrTwo_AndTheConnectionAnswersItsNextRequest(bool idempotencyKey)
    {
        var first = "{\"description\":\"" + new string('d', 130) + "\"";
        var second = ",\"handler\":\"" + new string('h', 1000) + "\"}";
        var head = "POST /serverless/v1/functions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + (idempotencyKey ? $"Idempotency-Key: {Guid.NewGuid()}\r\n" : "") + "Transfer-Encoding: chunked\r\n\r\n";
        using var client = new TcpClient();
        await client.ConnectAsync(_address.Host, _address.Port, TestContext.Current.CancellationToken);
        await using var stream = client.GetStream();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bounded.CancelAfter(TimeSpan.FromMinutes(1));

        var (onePiece, twoPieces) = await _factory.Store.NothingWrittenAsync(async () =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + Chunk(first) + Chunk(second) + "0\r\n\r\n"), bounded.Token);
            var onePiece = await ReadAnswerAsync(stream, bounded.Token);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + Chunk(first)), bounded.Token);
            await Task.Delay(TimeSpan.FromMilliseconds(500), bounded.Token);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Chunk(second) + "0\r\n\r\n"), bounded.Token);
            return (onePiece, await ReadAnswerAsync(stream, bounded.Token));
        });
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /serverless/v1/functions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), bounded.Token);
        var next = await ReadAnswerAsync(stream, bounded.Token);

        Assert.All([onePiece, twoPieces], refused =>
        {
            Assert.StartsWith("HTTP/1.1 413 ", refused, StringComparison.Ordinal);
            Assert.Contains("request body is larger than 200 bytes", refused, StringComparison.Ordinal);
        });
        Assert.StartsWith("HTTP/1.1 200 ", next, StringComparison.Ordinal);
    }

    private static string Chunk(string text) => $"{Encoding.UTF8.GetByteCount(text):x}\r\n{text}\r\n";

    /// <summary>One answer: its head and its body (as many bytes as its <c>Content-Length</c> says, or chunks up to the
    /// last), or what came of it before the connection ended.</summary>
    private static async Task<string> ReadAnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.UTF8.GetString([.. received]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var chunked = text[..end].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
                if (chunked ? text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal) : received.Count >= end + 4 + ContentLength(text[..end]))
                {
                    return text;
                }
            }

            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return text;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }
    }

    private static int ContentLength(string head) =>
        head.Split("\r\n")
            .Select(line => line.Split(": ", 2))
            .Where(parts => parts.Length == 2 && parts[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(parts => int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
}