namespace MetaService.Server.Tests.Watching;

/// <summary>
/// A watch from a revision the server's ring no longer holds is replayed from the store (a ring of 4 KiB here): a
/// transaction that changed two keys (a publish writes the draft and the new version) is two events, the <c>id:</c>
/// only on the last, so that a client resuming from an id never splits it; every other revision's event carries its id.
/// </summary>
public sealed class WatchReplayTests
{
    [Fact]
    public async Task AReplayedTransactionOfTwoKeys_IsTwoEvents_WithTheIdOnlyOnTheLast()
    {
        await using var own = new MetaServiceFactory();
        own.Settings["Watch:RingBytes"] = "4096";
        using var api = own.CreateApi();
        var (name, revision, since) = await WatchWrites.CreatedAndListedAsync(api);
        await api.PublishOkAsync(name, revision, "v1");
        await WatchWrites.DescribeRoundsAsync(api, name, (string)(await api.GetOkAsync(name))["revisionId"]!, 20);

        using var stream = await WatchClient.OpenAsync(api.Client, "?since=" + since);
        var events = new List<ServerEvent>();
        for (var i = 0; i < 22; i++)
        {
            events.Add(Assert.IsType<ServerEvent>(await stream.NextAsync()));
        }

        Assert.All(events, e => Assert.Equal("put", e.Event));
        Assert.Equal(("latest", "v1"), ((string?)events[0].Json["versionNumber"], (string?)events[1].Json["versionNumber"]));
        Assert.Null(events[0].Id);
        var published = Assert.IsType<long>(events[1].Id);
        Assert.Equal(Enumerable.Range(1, 20).Select(r => published + r), events.Skip(2).Select(e => e.Id ?? 0));
        Assert.Equal(Enumerable.Range(1, 20), events.Skip(2).Select(e => WatchWrites.Round(e.Json)));
    }
}