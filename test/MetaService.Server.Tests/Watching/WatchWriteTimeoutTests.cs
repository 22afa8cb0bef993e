using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

using MetaService.Server.Tests.Observability;

using Microsoft.AspNetCore.Hosting;

namespace MetaService.Server.Tests.Watching;

/// <summary>
/// A watcher that reads nothing while changes keep coming (over a real connection, on Kestrel, its socket's buffers
/// filled) does not hold the server: its stream ends once a write has waited <c>Watch:WriteTimeoutSeconds</c>, and its
/// answer is never ended as a finished one would be (no last chunk), so the client knows it was cut off. Kestrel's own
/// minimum response data rate, which would also drop such a connection (sooner or later than the write timeout), is
/// turned off here, so that the write timeout alone is what ends it.
/// </summary>
public sealed class WatchWriteTimeoutTests
{
    private const string Ended = "GET /serverless/v1/watch 200 ";

    [Fact]
    public async Task AWatcherThatReadsNothing_IsCutOff_AndItsAnswerIsNotEnded()
    {
        await using var factory = new MetaServiceFactory();
        factory.Settings["Watch:WriteTimeoutSeconds"] = "0.5";
        var (logged, log) = LogCapture.Attach(factory);
        await using var _ = logged;
        await using var server = logged.WithWebHostBuilder(b => b.ConfigureKestrel(k => k.Limits.MinResponseDataRate = null));
        var address = factory.StartOnKestrel(server);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bounded.CancelAfter(TimeSpan.FromMinutes(2));
        using var watcher = new TcpClient { ReceiveBufferSize = 4096 };
        await watcher.ConnectAsync(address.Host, address.Port, bounded.Token);
        await using var stream = watcher.GetStream();
        await stream.WriteAsync("GET /serverless/v1/watch?kind=functions HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray(), bounded.Token);
        var opened = await ReadUntilAsync(stream, "retry: 1000", bounded.Token);

        // The watcher reads no more; each change is about 60 KB, and at most 300 (18 MB) are written.
        using var api = new Api(server.CreateClient());
        var written = 0;
        while (written < 300 && !log.Lines.Any(l => l.Contains(Ended, StringComparison.Ordinal)))
        {
            var body = Bodies.Faas(Names.Faas());
            body["environment"] = new JsonObject { ["BIG"] = new string('x', 60_000) };
            await api.CreateOkAsync(body);
            written++;
        }

        await log.WaitForAsync(l => l.Contains(Ended, StringComparison.Ordinal));
        var rest = await ReadToTheEndAsync(stream, bounded.Token);

        Assert.StartsWith("HTTP/1.1 200 ", opened, StringComparison.Ordinal);
        Assert.Contains("Transfer-Encoding: chunked", opened, StringComparison.OrdinalIgnoreCase);
        Assert.False(rest.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal), "the cut-off answer was ended as a finished one");
    }

    /// <summary>Reads until <paramref name="text"/> has come; answers what came.</summary>
    private static async Task<string> ReadUntilAsync(NetworkStream stream, string text, CancellationToken cancellationToken)
    {
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (!received.ToString().Contains(text, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            Assert.NotEqual(0, read);
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return received.ToString();
    }

    /// <summary>Reads until the server closes or resets the connection; answers the last bytes that came.</summary>
    private static async Task<string> ReadToTheEndAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var tail = "";
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                return tail;
            }

            if (read == 0)
            {
                return tail;
            }

            tail = (tail + Encoding.ASCII.GetString(buffer, 0, read))[^Math.Min(tail.Length + read, 64)..];
        }
    }
}