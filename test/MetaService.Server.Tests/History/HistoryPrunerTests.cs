using MetaService.Core.History;
using MetaService.Core.Storage;
using MetaService.Server.History;
using MetaService.Tests.Fixtures;

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Tests.History;

/// <summary>When the history's pruner runs (<see cref="HistoryPruner"/>): a pruner of the test's own, on a clock the test
/// moves, beside a server whose own pruner never runs in the test (a pass every 600 s, no trimming as the log grows). A
/// function with 5 entries, and a retention of 2 per function, shows each pass that ran.</summary>
public sealed class HistoryPrunerTests : IAsyncLifetime
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly MetaServiceFactory _factory = new();
    private readonly ManualClock _clock = new();
    private readonly string _name = Names.Faas();
    private Api _api = null!;
    private string _revisionId = "";

    public async ValueTask InitializeAsync()
    {
        _factory.Settings["History:PruneAfterAppends"] = "0";
        _api = _factory.CreateApi();
        _revisionId = (string)(await _api.CreateOkAsync(Bodies.Faas(_name)))["revisionId"]!;
        await UpdateAsync(4);
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task TrimmingAsTheLogGrows_LooksEverySecond_AndTheWholePassRunsOnlyWhenDue()
    {
        using var pruner = await StartAsync(_factory.Store, pruneAfterAppends: 1000);
        Assert.Equal(ManualClock.Start + Second, _clock.NextDue);

        await TickAsync(Second);
        Assert.Equal(5, await CountAsync());
        Assert.Equal(ManualClock.Start + (2 * Second), _clock.NextDue);

        await TickAsync(TimeSpan.FromSeconds(58));
        Assert.Equal(5, await CountAsync());

        await TickAsync(Second);
        Assert.Equal(2, await CountAsync());

        // The next pass is an interval later: a second on, only the growth is looked at (5 < 1000 appended).
        await UpdateAsync(3);
        await TickAsync(Second);
        Assert.Equal(5, await CountAsync());
    }

    [Fact]
    public async Task ALogGrownBy_PruneAfterAppends_IsTrimmedAtTheNextLook()
    {
        using var pruner = await StartAsync(_factory.Store, pruneAfterAppends: 4);

        await TickAsync(Second);

        Assert.Equal(2, await CountAsync());
    }

    [Fact]
    public async Task WithoutTrimmingAsTheLogGrows_ItWaitsTheWholeInterval()
    {
        using var pruner = await StartAsync(_factory.Store, pruneAfterAppends: 0);

        Assert.Equal(ManualClock.Start + TimeSpan.FromSeconds(60), _clock.NextDue);
    }

    [Fact]
    public async Task OnAStoreWithoutAnAppendLog_ItWaitsTheWholeInterval()
    {
        await using var store = new WithoutAppendLog(_factory.Store, ownsInner: false);
        using var pruner = await StartAsync(store, pruneAfterAppends: 1000);

        Assert.Equal(ManualClock.Start + TimeSpan.FromSeconds(60), _clock.NextDue);
    }

    [Fact]
    public async Task APassTheStoreCouldNotServe_IsMadeAgainAtTheNextPass()
    {
        await using var store = new UnavailableOnce(_factory.Store);
        using var pruner = await StartAsync(store, pruneAfterAppends: 0);

        await TickAsync(TimeSpan.FromSeconds(60));
        Assert.True(store.Refused);
        Assert.Equal(5, await CountAsync());

        await TickAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, await CountAsync());
    }

    private async Task<HistoryPruner> StartAsync(IMetaStore store, int pruneAfterAppends)
    {
        var options = new HistoryOptions { MaxEntriesPerFunction = 2, PruneIntervalSeconds = 60, PruneAfterAppends = pruneAfterAppends };
        var pruner = new HistoryPruner(store, _clock, Options.Create(options), NullLogger<HistoryPruner>.Instance);
        await pruner.StartAsync(TestContext.Current.CancellationToken);
        await WaitingAsync();
        return pruner;
    }

    /// <summary>Moves the clock on, then waits until the pruner waits again: whatever the tick made it do is done.</summary>
    private async Task TickAsync(TimeSpan by)
    {
        _clock.Advance(by);
        await WaitingAsync();
    }

    private Task WaitingAsync() =>
        Polling.UntilAsync(() => Task.FromResult(_clock.NextDue > _clock.GetUtcNow()), "the pruner waiting for its next tick");

    private async Task<int> CountAsync() => (await HistoryTests.EntriesAsync(_api, _name)).Count;

    private async Task UpdateAsync(int times)
    {
        for (var i = 0; i < times; i++)
        {
            _revisionId = await HistoryTests.UpdateAsync(_api, _name, _revisionId, 300 + i);
        }
    }

    /// <summary>Refuses the first key range it is asked for as a store that cannot be reached would.</summary>
    private sealed class UnavailableOnce(IMetaStore inner) : DelegatingStore(inner)
    {
        public bool Refused { get; private set; }

        public override Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
        {
            if (Refused)
            {
                return base.RangeKeysAsync(prefix, limit, startAfter, cancellationToken);
            }

            Refused = true;
            throw new StoreUnavailableException("the store is not reachable (a test's)");
        }
    }
}