using System.Net;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

/// <summary>One event of a Server-Sent Events stream: its type, data and id (null when the event carries none).</summary>
public sealed record ServerEvent(string Event, string Data, long? Id)
{
    public JsonNode Json => JsonNode.Parse(Data)!;
}

/// <summary>A client of <c>GET /serverless/v1/watch</c>: opens the stream and reads its events one at a time, each read
/// bounded (it fails the test past the bound instead of hanging).</summary>
public sealed class WatchClient : IDisposable
{
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(60);
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    /// <summary>How many comment lines (heartbeats and the opening line) have been read.</summary>
    public int Comments { get; private set; }

    public static async Task<WatchClient> OpenAsync(HttpClient client, string query, string? lastEventId = null, string path = "/serverless/v1/watch")
    {
        var response = await SendAsync(client, query, lastEventId, path);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            response.Dispose();
            Assert.Fail($"the watch answered {(int)response.StatusCode}: {text}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new WatchClient(response, await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The answer of a watch request that is refused (the test reads and disposes it).</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, string query, string? lastEventId = null, string path = "/serverless/v1/watch")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path + query, UriKind.Relative));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
    }

    /// <summary>The next event, or null when the stream ended.</summary>
    public async Task<ServerEvent?> NextAsync()
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(ReadBound);
        string? type = null, data = null;
        long? id = null;
        while (await _reader.ReadLineAsync(bound.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new ServerEvent(type ?? "message", data, id);
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                Comments++;
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "data":
                    data = data is null ? value : data + "\n" + value;
                    break;
                case "id":
                    id = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
        }

        return null;
    }

    /// <summary>Reads until a comment line arrives (a heartbeat), at most <paramref name="maxLines"/> lines.</summary>
    public async Task<bool> CommentAfterAsync(int seen, int maxLines = 1000)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(ReadBound);
        for (var i = 0; i < maxLines && Comments <= seen; i++)
        {
            if (await _reader.ReadLineAsync(bound.Token) is not { } line)
            {
                return false;
            }

            if (line.StartsWith(':'))
            {
                Comments++;
            }
        }

        return Comments > seen;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}