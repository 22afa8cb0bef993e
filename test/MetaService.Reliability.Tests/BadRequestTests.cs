using System.Text.Json;

using MetaService.Load;

namespace MetaService.Reliability.Tests;

/// <summary>R3: thousands of generated requests, each with its known answer: every refusal has its status and its
/// <c>{code, message}</c> body and leaves the store's revision where it was; every request a server must tolerate is
/// accepted and writes once; nothing is answered 5xx and no connection is dropped.</summary>
public sealed class BadRequestTests
{
    [Fact]
    public async Task GeneratedRequests_GetTheirKnownAnswers_AndOnlyAcceptedOnesWrite()
    {
        using var directory = new DataDirectory();
        using var server = await directory.StartAsync();
        using var client = server.Client();
        const string existing = "0-rel-r3";
        await Api.CreateAsync(client, existing);
        var requests = new BadRequests(seed: 5, existing);
        var generated = BadRequests.Kinds.ToDictionary(k => k, _ => 0);
        var wrong = new List<string>();
        var revision = directory.StoreRevision();

        for (var i = 0; i < Scale.BadRequests; i++)
        {
            var request = requests.Next();
            var (status, body) = await SendAsync(client, request);
            var now = directory.StoreRevision();
            if (Problem(request, status, body, now - revision) is { } problem)
            {
                wrong.Add($"#{i} {request.Kind}: {request.Method} {request.Path[..Math.Min(80, request.Path.Length)]}: {problem}");
            }

            generated[request.Kind]++;
            revision = now;
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {Scale.BadRequests} requests got another answer than theirs; the first ones:\n" + string.Join('\n', wrong.Take(20)));
        Assert.All(generated, g => Assert.True(g.Value > 0, $"no request of kind '{g.Key}' was generated"));
    }

    /// <summary>What is wrong with the answer <paramref name="status"/> <paramref name="body"/>, after which the store's
    /// revision moved by <paramref name="written"/>; null when it is the request's answer.</summary>
    private static string? Problem(BadRequest request, int status, string body, long written)
    {
        if (status == 0)
        {
            return "the connection was dropped";
        }

        if (status != request.Status)
        {
            return $"answered {status} {Cut(body)}, expected {request.Status} with code {request.Code}";
        }

        if (written != (request.Writes ? 1 : 0))
        {
            return $"the store's revision moved by {written}, expected {(request.Writes ? 1 : 0)}";
        }

        return request.Code switch
        {
            _ when request.Status < 400 => null,
            BadRequests.BeforeTheService => body.Length == 0 ? null : $"answered {status} {Cut(body)}, expected no body (the HTTP server's own refusal)",
            _ => IsError(body, request.Code) ? null : $"answered {status} {Cut(body)}, expected {{code: {request.Code}, message}}",
        };
    }

    /// <summary>Whether <paramref name="body"/> is <c>{code, message}</c> with this code and a message.</summary>
    private static bool IsError(string body, int expected)
    {
        try
        {
            using var answer = JsonDocument.Parse(body);
            var root = answer.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var value) && value == expected
                && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String && message.GetString()!.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Cut(string text) => text.Length > 200 ? text[..200] + "…" : text;

    /// <summary>The status and body of the answer, or status 0 when the connection was dropped.</summary>
    private static async Task<(int Status, string Body)> SendAsync(HttpClient client, BadRequest bad)
    {
        using var request = new HttpRequestMessage(bad.Method, new Uri(bad.Path, UriKind.Relative));
        if (bad.Body is not null)
        {
            request.Content = new ByteArrayContent(bad.Body);
            if (bad.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", bad.ContentType);
            }
        }

        foreach (var (name, value) in bad.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        try
        {
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
    }
}