using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace MetaService.Client;

/// <summary>One change a watch received: <c>put</c> or <c>delete</c>, the store revision (null on all but the last change
/// of a transaction), and the object (a put: what a get answers; a delete: the parts of its key).</summary>
public sealed record ChangeEvent(string Type, long? Revision, JsonElement Data);

/// <summary><c>GET /serverless/v1/watch</c>: changes as they happen, across broken connections.</summary>
public sealed partial class MetaClient
{
    private const string WatchPath = "serverless/v1/watch";

    /// <summary>The changes of <paramref name="kind"/> (functions, reserve-instance, podpools or aliases; null: functions), of one
    /// <paramref name="name"/> when given, after revision <paramref name="since"/> (null: from now), until cancelled. A broken
    /// stream (or one the server ended because it fell behind) is connected again and resumed with <c>Last-Event-ID</c>, so no
    /// change is missed or repeated; after <see cref="MetaClientOptions.WatchRetries"/> attempts in a row that receive
    /// nothing, the last failure is thrown. A refusal (400, 403, 410: list again) throws <see cref="MetaClientException"/>.</summary>
    public async IAsyncEnumerable<ChangeEvent> WatchAsync(string? kind = null, string? name = null, long? since = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var resumeAfter = since;
        var failures = 0;
        while (true)
        {
            var path = WatchPath + Query(("kind", kind), ("name", name));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            Authorize(request);
            if (resumeAfter is { } after)
            {
                request.Headers.Add("Last-Event-ID", after.ToString(CultureInfo.InvariantCulture));
            }

            var events = new List<ChangeEvent>();
            Exception? broken = null;
            HttpResponseMessage? response = null;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw Refusal(response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken), $"GET {path}");
                }
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                broken = e;
            }

            if (response is not null && broken is null)
            {
                using (response)
                {
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    using var reader = new StreamReader(body);
                    var pending = new List<ChangeEvent>();
                    while (true)
                    {
                        ServerSentEvent? next;
                        try
                        {
                            next = await ReadEventAsync(reader, cancellationToken);
                        }
                        catch (Exception e) when (e is IOException or HttpRequestException)
                        {
                            broken = e;
                            break;
                        }

                        if (next is null || next.Type == "error")
                        {
                            break;
                        }

                        // The changes of one transaction are given out once its id has arrived, so a resume never splits one.
                        pending.Add(new ChangeEvent(next.Type, next.Id, next.Data));
                        if (next.Id is { } id)
                        {
                            foreach (var change in pending)
                            {
                                yield return change;
                            }

                            pending.Clear();
                            resumeAfter = id;
                            failures = 0;
                        }
                    }
                }
            }

            if (++failures > Math.Max(_options.WatchRetries, 1))
            {
                throw broken ?? new HttpRequestException($"GET {path}: the stream ended {failures - 1} times in a row without a change");
            }

            await Task.Delay(_options.WatchRetryDelay, cancellationToken);
        }
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (!string.IsNullOrEmpty(_options.Tenant))
        {
            request.Headers.Add("X-Tenant-Id", _options.Tenant);
        }

        if (!string.IsNullOrEmpty(_options.Product))
        {
            request.Headers.Add("X-Product-Id", _options.Product);
        }

        if (!string.IsNullOrEmpty(_options.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
        }
    }

    /// <summary>The next event of a Server-Sent Events stream (comments skipped), or null at its end.</summary>
    private static async Task<ServerSentEvent?> ReadEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? type = null, data = null;
        long? id = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    using var document = JsonDocument.Parse(data);
                    return new ServerSentEvent(type ?? "message", id, document.RootElement.Clone());
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon == 0)
            {
                continue;
            }

            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (colon < 0 ? line : line[..colon])
            {
                case "event":
                    type = value;
                    break;
                case "data":
                    data = data is null ? value : data + "\n" + value;
                    break;
                case "id" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                    id = parsed;
                    break;
            }
        }

        return null;
    }

    private sealed record ServerSentEvent(string Type, long? Id, JsonElement Data);
}