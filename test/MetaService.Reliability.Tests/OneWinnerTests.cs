using System.Net;
using System.Text;

using MetaService.Load;

namespace MetaService.Reliability.Tests;

/// <summary>R1: of 64 concurrent updates carrying one revisionId, exactly one wins, every round.</summary>
public sealed class OneWinnerTests
{
    private const int Writers = 64;

    [Fact]
    public async Task ConcurrentUpdatesWithOneRevisionId_HaveExactlyOneWinnerEveryRound()
    {
        using var directory = new DataDirectory();
        using var server = await directory.StartAsync();
        using var client = server.Client();
        var name = "0-rel-r1";
        var revision = await Api.CreateAsync(client, name);
        var uri = new Uri($"{Api.Functions}/{name}", UriKind.Relative);

        for (var round = 0; round < Scale.Rounds; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, Writers).Select(async i =>
            {
                using var response = await client.PutAsync(uri, new StringContent(Samples.UpdateBody(revision, (round * Writers) + i), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
                return (response.StatusCode, Body: await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
            }));

            var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
            Assert.Single(winners);
            Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r =>
            {
                Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode);
                Assert.Contains("4134", Encoding.UTF8.GetString(r.Body), StringComparison.Ordinal);
            });
            revision = Generator.RevisionId(winners[0].Body);
            Assert.Equal(revision, Generator.RevisionId(await Api.GetBytesAsync(client, uri.ToString())));
        }
    }
}