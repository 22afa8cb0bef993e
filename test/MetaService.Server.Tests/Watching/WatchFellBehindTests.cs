namespace MetaService.Server.Tests.Watching;

/// <summary>
/// A watcher that reads more slowly than changes come is ended with an error event that names the last revision it was
/// sent, so that it can resume right after it. Only on the embedded store: a server of its own there has every revision
/// to itself, so the last event's id is that revision; on a shared etcd other tests' writes come between
/// (<c>WatchTests.ASlowReader_FallsBehindTheRing_AndIsEndedWithAnErrorEvent</c> runs on both and reads the message's form).
/// </summary>
public sealed class WatchFellBehindTests
{
    [Fact]
    public async Task ASlowReader_IsToldTheLastRevisionItWasSent_TheIdOfItsLastEvent()
    {
        await using var own = new MetaServiceFactory();
        own.Settings["Watch:RingBytes"] = "8192";
        own.Settings["Watch:WriteTimeoutSeconds"] = "600";
        using var api = own.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        using var stream = await WatchClient.OpenAsync(api.Client, "");

        // The stream is not read meanwhile: well past what the connection buffers (64 KiB) and the ring hold.
        await WatchWrites.DescribeRoundsAsync(api, name, revision, 200, " " + new string('x', 500));

        long? sent = null;
        ServerEvent? last = null;
        for (var i = 0; i < 400 && await stream.NextAsync() is { } next; i++)
        {
            sent = next.Event == "put" ? next.Id ?? sent : sent;
            last = next;
        }

        Assert.Equal("error", last?.Event);
        Assert.NotNull(sent);
        Assert.StartsWith($"this watch fell behind: changes after revision {sent} are no longer held for it ", (string)last!.Json["message"]!, StringComparison.Ordinal);
    }
}