using System.Text;

using MetaService.Core.Pools;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Pools;

/// <summary>Creating pools: the exact value the platform reads, the refusals (an empty list, broken rules, a taken id) with
/// their code, kind and message, the valid pools of a mixed request created all the same, and a dry run that writes nothing.</summary>
public sealed class PoolServiceCreateTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task APool_IsStored_AsTheSnakeCaseJsonThePlatformReads()
    {
        await using var temp = new TempStore();

        var created = await new PoolService(temp.Store).CreateAsync([new Pool { Id = "p1", Size = 1 }], None);

        Assert.True(created.Value);
        Assert.Equal(
            """{"id":"p1","group":"default","size":1,"max_size":1,"ready_count":0,"status":0,"msg":"","image":"","init_image":"","reuse":false,"labels":null,"environment":null,"resources":{"requests":null,"limits":null},"volumes":"","volume_mounts":"","affinities":"","runtime_class_name":"","node_selector":null,"tolerations":"","horizontal_pod_autoscaler_spec":"","topology_spread_constraints":"","pod_pending_duration_threshold":0,"idle_recycle_time":{"reserved":0,"scaled":0},"scalable":false}""",
            await PlatformPools.StoredJsonAsync(temp.Store, "p1"));
    }

    [Fact]
    public async Task EveryPoolOfARequest_IsCreated_EachInItsOwnWrite()
    {
        await using var temp = new TempStore();
        var before = await temp.Store.GetRevisionAsync(None);

        var created = await new PoolService(temp.Store).CreateAsync([new Pool { Id = "p1", Size = 1 }, new Pool { Id = "p2", Size = 2, MaxSize = 3, Group = "gpu" }], None);

        Assert.True(created.Value);
        Assert.Equal(before + 2, await temp.Store.GetRevisionAsync(None));
        var p2 = (await PlatformPools.StoredAsync(temp.Store, "p2"))!;
        Assert.Equal(("gpu", 2, 3, true, PoolStatus.New), (p2.Group, p2.Size, p2.MaxSize, p2.Scalable, p2.Status));
    }

    [Fact]
    public async Task AnEmptyOrAbsentList_IsRefused_AndNothingIsWritten()
    {
        await using var temp = new TempStore();
        var service = new PoolService(temp.Store);
        var before = await temp.Store.GetRevisionAsync(None);

        var empty = await service.CreateAsync([], None);
        var absent = await service.CreateAsync(null, None);

        var expected = (4104, "failed to create pod pool, err: input pod pool list is empty. check input parameters", ErrorKind.Invalid);
        Assert.Equal(expected, (empty.Error!.Code, empty.Error.Message, empty.Error.Kind));
        Assert.Equal(expected, (absent.Error!.Code, absent.Error.Message, absent.Error.Kind));
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
    }

    [Fact]
    public async Task APoolThatBreaksARule_IsRefusedAndNotStored_WhileTheValidOnesAreCreated()
    {
        await using var temp = new TempStore();

        var outcome = await new PoolService(temp.Store).CreateAsync(
            [new Pool { Id = "Bad", Size = 1 }, new Pool { Id = "p2", Size = 1 }, new Pool { Id = "p3", Size = -1 }], None);

        Assert.Equal(ErrorKind.Invalid, outcome.Error!.Kind);
        Assert.Equal(
            "failed to create pod pool, id: Bad, err: pod pool id can contain only lowercase letters, digits and '-'. it cannot start or end with '-' "
            + "and cannot exceed 40 characters or less than 1 characters;failed to create pod pool, id: p3, err: size is less than 0. check input parameters",
            outcome.Error.Message);
        Assert.Null(await temp.Store.GetAsync(PlatformKeys.Pool("Bad"), None));
        Assert.Null(await temp.Store.GetAsync(PlatformKeys.Pool("p3"), None));
        Assert.NotNull(await PlatformPools.StoredAsync(temp.Store, "p2"));
    }

    [Fact]
    public async Task ATakenId_IsAConflict_AndTheStoredPoolIsKept()
    {
        await using var temp = new TempStore();
        var service = new PoolService(temp.Store);
        await service.CreateAsync([new Pool { Id = "p1", Size = 1 }], None);
        var before = await temp.Store.GetRevisionAsync(None);

        var outcome = await service.CreateAsync([new Pool { Id = "p1", Size = 7 }], None);

        Assert.Equal(
            (4104, "failed to create pod pool, id: p1, err: pool id already exists or is deleting. check input parameters", ErrorKind.Conflict),
            (outcome.Error!.Code, outcome.Error.Message, outcome.Error.Kind));
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
        Assert.Equal(1, (await PlatformPools.StoredAsync(temp.Store, "p1"))!.Size);
    }

    [Fact]
    public async Task ATakenIdBesideABrokenRule_IsReportedToo_AndTheAnswerIsInvalid()
    {
        await using var temp = new TempStore();
        var service = new PoolService(temp.Store);
        await service.CreateAsync([new Pool { Id = "p1", Size = 1 }], None);

        var outcome = await service.CreateAsync([new Pool { Id = "p1", Size = 1 }, new Pool { Id = "p2", Size = 2, MaxSize = 1 }], None);

        Assert.Equal(ErrorKind.Invalid, outcome.Error!.Kind);
        Assert.Equal(
            "failed to create pod pool, id: p1, err: pool id already exists or is deleting;failed to create pod pool, id: p2, err: max_size is less than size. check input parameters",
            outcome.Error.Message);
    }

    [Fact]
    public async Task ADryRun_ChecksEverything_AndWritesNothing()
    {
        await using var temp = new TempStore();
        var service = new PoolService(temp.Store);
        await service.CreateAsync([new Pool { Id = "p1", Size = 1 }], None);
        var before = await temp.Store.GetRevisionAsync(None);

        var valid = await service.AsDryRun().CreateAsync([new Pool { Id = "p2", Size = 1 }], None);
        var taken = await service.AsDryRun().CreateAsync([new Pool { Id = "p1", Size = 1 }], None);

        Assert.True(valid.Value);
        Assert.Equal(ErrorKind.Conflict, taken.Error!.Kind);
        Assert.Equal(before, await temp.Store.GetRevisionAsync(None));
        Assert.Null(await temp.Store.GetAsync(PlatformKeys.Pool("p2"), None));
    }

    [Fact]
    public async Task AStoredPoolThatIsJsonNull_CannotBeRead()
    {
        await using var temp = new TempStore();
        await temp.Store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Pool("p1"), Encoding.UTF8.GetBytes("null"))], None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new PoolService(temp.Store).ListAsync(new PoolQuery(null, null, 0, 10), None));

        Assert.Equal("the pool at /yr/podpools/info/p1 is empty", error.Message);
    }
}