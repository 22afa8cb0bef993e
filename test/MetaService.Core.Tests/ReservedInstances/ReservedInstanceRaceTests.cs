using System.Text;

using MetaService.Core.ReservedInstances;
using MetaService.Core.Storage;
using MetaService.Core.Tests.Pools;

using Xunit;

using static MetaService.Core.Tests.ReservedInstances.Reserving;

namespace MetaService.Core.Tests.ReservedInstances;

/// <summary>Reserved-instance writes that race: a write re-reads after losing its transaction (so a new label's limit is
/// checked against labels created meanwhile), gives up after 32 lost races, and a rider commits with it or is taken.</summary>
public sealed class ReservedInstanceRaceTests
{
    private const string RiderKey = "/idem/reserve";

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ANewLabel_CreatedWhileAnotherNewLabelCommits_IsCheckedAgainstTheLimitAgain()
    {
        await using var reserving = await WithHelloAsync();
        await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), None);
        var racing = new RacingStore(reserving.Store);
        racing.Rival = (store, n) => n == 0 ? new ReservedInstanceService(store, reserving.Options).CreateAsync(Tenant.Default, Request("b", ("cluster002", 1, 0)), None) : Task.CompletedTask;

        var outcome = await new ReservedInstanceService(racing, reserving.Options).CreateAsync(Tenant.Default, Request("c", ("cluster001", 1, 0)), None);

        Assert.Equal("label count reached max(2). check input parameters", outcome.Error!.Message);
        Assert.Equal(1, racing.Transactions);
        Assert.Null(await reserving.Store.GetAsync(LabelKey("cluster001", "c"), None));
    }

    [Fact]
    public async Task AWriteThatLostARace_IsWrittenOnTheNextAttempt()
    {
        await using var reserving = await WithHelloAsync();
        var racing = new RacingStore(reserving.Store) { Rival = (store, n) => n == 0 ? TouchFunctionAsync(store) : Task.CompletedTask };

        var created = await new ReservedInstanceService(racing, reserving.Options).CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), None);

        Assert.True(created.IsSuccess);
        Assert.Equal(2, racing.Transactions);
        Assert.NotNull(await reserving.Store.GetAsync(LabelKey("cluster001", "a"), None));
    }

    [Fact]
    public async Task AWrite_GivesUpAfter32LostRaces()
    {
        await using var reserving = await WithHelloAsync();
        var racing = new RacingStore(reserving.Store) { Rival = (store, _) => TouchFunctionAsync(store) };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new ReservedInstanceService(racing, reserving.Options).CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), None));

        Assert.Equal("writing reserved instances of 0@faaspy@hello lost 32 races in a row", error.Message);
        Assert.Equal(32, racing.Transactions);
        Assert.Null(await reserving.Store.GetAsync(LabelKey("cluster001", "a"), None));
    }

    [Fact]
    public async Task ADelete_GivesUpAfter32LostRaces()
    {
        await using var reserving = await WithHelloAsync();
        await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), None);
        var racing = new RacingStore(reserving.Store) { Rival = (store, _) => TouchFunctionAsync(store) };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new ReservedInstanceService(racing, reserving.Options).DeleteAsync(Tenant.Default, Version("a"), None));

        Assert.Equal("deleting reserved instances of 0@faaspy@hello lost 32 races in a row", error.Message);
        Assert.Equal(32, racing.Transactions);
        Assert.NotNull(await reserving.Store.GetAsync(LabelKey("cluster001", "a"), None));
    }

    [Fact]
    public async Task ADeleteThatLostARace_IsAppliedOnTheNextAttempt()
    {
        await using var reserving = await WithHelloAsync();
        await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), None);
        var racing = new RacingStore(reserving.Store) { Rival = (store, n) => n == 0 ? TouchFunctionAsync(store) : Task.CompletedTask };

        var deleted = await new ReservedInstanceService(racing, reserving.Options).DeleteAsync(Tenant.Default, Version("a"), None);

        Assert.True(deleted.Value);
        Assert.Equal(2, racing.Transactions);
        Assert.Null(await reserving.Store.GetAsync(LabelKey("cluster001", "a"), None));
    }

    [Fact]
    public async Task ARider_CommitsWithTheWrite_RecordingTheAnswer()
    {
        await using var reserving = await WithHelloAsync();
        var rider = new TxnRider<ReserveResult>([Compare.Absent(RiderKey)], r => [new WriteOp.Put(RiderKey, Encoding.UTF8.GetBytes(r.BaseInfo.InstanceLabel + r.Configs.Count))]);
        var before = await reserving.RevisionAsync();

        var created = await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), rider, None);

        Assert.True(created.IsSuccess);
        Assert.Equal(before + 1, await reserving.RevisionAsync());
        Assert.Equal("a1", await reserving.ValueAsync(RiderKey));
    }

    [Fact]
    public async Task ARiderWhoseKeyWasTaken_IsAnsweredAsTaken_AndNothingIsWritten()
    {
        await using var reserving = await WithHelloAsync();
        await reserving.Store.TxnAsync([], [new WriteOp.Put(RiderKey, [1])], None);
        var rider = new TxnRider<ReserveResult>([Compare.Absent(RiderKey)], _ => [new WriteOp.Put(RiderKey, [2])]);
        var before = await reserving.RevisionAsync();

        var outcome = await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)), rider, None);

        Assert.Equal(TxnRiders.Taken(), outcome.Error);
        Assert.Equal(before, await reserving.RevisionAsync());
    }
}