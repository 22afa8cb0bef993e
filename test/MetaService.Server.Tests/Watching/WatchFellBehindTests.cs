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
        var events = await WatchWrites.FallenBehindAsync();

        var sent = events.LastOrDefault(e => e is { Event: "put", Id: not null })?.Id;
        Assert.Equal("error", events[^1].Event);
        Assert.NotNull(sent);
        Assert.StartsWith($"this watch fell behind: changes after revision {sent} are no longer held for it ", (string)events[^1].Json["message"]!, StringComparison.Ordinal);
    }
}