using MetaService.Load;

namespace MetaService.Reliability.Tests;

/// <summary>R3: thousands of generated bad requests: no 5xx, no dropped connection, and the store revision moves
/// only by the writes that were accepted.</summary>
public sealed class BadRequestTests
{
    [Fact]
    public async Task GeneratedBadRequests_NeverAnswer5xx_NeverDropAConnection_LeaveTheStoreAsItWas()
    {
        using var directory = new DataDirectory();
        using var server = await directory.StartAsync();
        using var client = server.Client();
        const string existing = "0-rel-r3";
        await Api.CreateAsync(client, existing);
        var before = directory.StoreRevision();
        var requests = new BadRequests(seed: 5, existing);
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        var accepted = 0;

        for (var i = 0; i < Scale.BadRequests; i++)
        {
            var bad = requests.Next();
            var status = await SendAsync(client, bad);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status is 0 or >= 500)
            {
                failures.Add($"{bad.Kind} {bad.Method} {bad.Path[..Math.Min(80, bad.Path.Length)]}: {(status == 0 ? "connection dropped" : status)}");
            }
            else if (status is >= 200 and < 300 && bad.Method != HttpMethod.Get)
            {
                accepted++;
            }
        }

        var after = directory.StoreRevision();
        Assert.Empty(failures);
        Assert.Equal(before + accepted, after);
        Assert.True(statuses.Where(s => s.Key >= 400).Sum(s => s.Value) >= Scale.BadRequests * 9 / 10, string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
    }

    /// <summary>The status of the answer, or 0 when the connection was dropped.</summary>
    private static async Task<int> SendAsync(HttpClient client, BadRequest bad)
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
            await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}