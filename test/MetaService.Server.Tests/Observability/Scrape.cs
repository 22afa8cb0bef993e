using System.Globalization;

namespace MetaService.Server.Tests.Observability;

/// <summary>Reads <c>/metrics</c> (Prometheus text) as a test would read it with its eyes.</summary>
public static class Scrape
{
    public static async Task<string> TextAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The sum of the samples of <paramref name="series"/> whose labels contain every fragment given.</summary>
    public static double Value(string text, string series, params string[] labels) => text
        .Split('\n')
        .Where(l => l.StartsWith(series + "{", StringComparison.Ordinal) && labels.All(f => l.Contains(f, StringComparison.Ordinal)))
        .Sum(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));

    /// <summary>Scrapes until the series reaches <paramref name="atLeast"/> and returns its value; fails when it does not
    /// within 1,000 scrapes or a minute. HTTP duration samples and refusals are recorded when the request ends, just
    /// after the answer reaches the client.</summary>
    public static async Task<double> UntilAsync(HttpClient client, double atLeast, string series, params string[] labels)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(TimeSpan.FromMinutes(1));
        var value = 0.0;
        for (var attempt = 0; attempt < 1_000 && !patience.IsCancellationRequested; attempt++)
        {
            value = Value(await TextAsync(client), series, labels);
            if (value >= atLeast)
            {
                return value;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"{series}{{{string.Join(',', labels)}}} stayed at {value}, below {atLeast}");
        return value;
    }
}