using MetaService.Core.Aliases;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Aliases.AliasFixture;

namespace MetaService.Core.Tests.Aliases;

/// <summary>Alias writes that lose a race: they read and decide again and commit, and one that loses every race gives
/// up after 32 tries with a fault, never a half-made write.</summary>
public sealed class AliasServiceRaceTests
{
    [Fact]
    public async Task AWriteThatLosesARace_ReadsAgain_AndCommits()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var losing = new LosingStore(temp.Store) { Losses = 31 };

        var created = await Service(losing, new ManualClock()).CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct);

        Assert.Equal("prod", created.Value!.Name);
        Assert.Equal(32, losing.Transactions);
        Assert.NotNull(await StoredAsync(temp.Store, "prod"));
    }

    [Fact]
    public async Task AWriteThatLosesEveryRace_GivesUpAfter32()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var losing = new LosingStore(temp.Store) { Losses = int.MaxValue };
        var service = Service(losing, new ManualClock());

        var alias = await Assert.ThrowsAsync<InvalidOperationException>(() => service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct));
        var tries = losing.Transactions;
        var retention = await Assert.ThrowsAsync<InvalidOperationException>(() => service.SetRetentionAsync(Alice, Name, new VersionRetention { KeepVersions = 2 }, ct));

        Assert.Equal($"writing alias prod of {Name} lost 32 races in a row", alias.Message);
        Assert.Equal(32, tries);
        Assert.Equal($"setting the retention of {Name} lost 32 races in a row", retention.Message);
        Assert.Equal(64, losing.Transactions);
    }

    [Fact]
    public async Task ARetentionThatLosesARace_IsSetOnItsRetry()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var losing = new LosingStore(temp.Store) { Losses = 1 };

        var set = await Service(losing, new ManualClock()).SetRetentionAsync(Alice, Name, new VersionRetention { KeepVersions = 2 }, ct);

        Assert.Equal(2, set.Value!.KeepVersions);
        Assert.Equal(2, losing.Transactions);
        Assert.NotNull(await temp.Store.GetAsync(AliasKeys.Retention(Alice, Name), ct));
    }
}