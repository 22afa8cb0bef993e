using System.Text;

using MetaService.Core.Storage;

using Xunit;

using static MetaService.Core.Tests.ReservedInstances.Reserving;

namespace MetaService.Core.Tests.ReservedInstances;

/// <summary>Reading a version's labels (grouped across clusters, most recently written first, at the revision read) and
/// deleting one label everywhere or every label of the version, with the refusals that write nothing.</summary>
public sealed class ReservedInstanceReadDeleteTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<Reserving> TwoLabelsAsync()
    {
        var reserving = await WithHelloAsync();
        Assert.True((await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 3, 1), ("cluster002", 4, 2)), None)).IsSuccess);
        Assert.True((await reserving.Service.CreateAsync(Tenant.Default, Request("b", ("cluster002", 5, 0)), None)).IsSuccess);
        return reserving;
    }

    private static async Task<string[]> LabelsAsync(Reserving reserving) =>
        [.. (await reserving.Service.GetAsync(Tenant.Default, Version(), None)).Value!.Select(l => l.InstanceLabel)];

    [Fact]
    public async Task AGet_GroupsEachLabelAcrossClusters_MostRecentlyWrittenFirst_AtTheStoreRevision()
    {
        await using var reserving = await TwoLabelsAsync();

        var found = (await reserving.Service.GetAtAsync(Tenant.Default, Version("ignored"), None)).Value!;

        Assert.Equal(["b", "a"], found.Labels.Select(l => l.InstanceLabel));
        Assert.Equal([("cluster002", 5L, 0L)], found.Labels[0].InstanceConfigInfos.Select(c => (c.ClusterId, c.MaxInstance, c.MinInstance)));
        Assert.Equal(
            [("cluster002", 4L, 2L), ("cluster001", 3L, 1L)],
            found.Labels[1].InstanceConfigInfos.Select(c => (c.ClusterId, c.MaxInstance, c.MinInstance)).OrderByDescending(c => c.ClusterId));
        Assert.Equal(await reserving.RevisionAsync(), found.Revision);
    }

    [Fact]
    public async Task AGet_OfAMissingFunction_OrABadRequest_IsRefused()
    {
        await using var reserving = await WithHelloAsync();

        var missing = await reserving.Service.GetAsync(Tenant.Default, Version() with { Version = "7" }, None);
        var bad = await reserving.Service.GetAsync(Tenant.Default, Version() with { FuncName = "" }, None);

        Assert.Equal(4115, missing.Error!.Code);
        Assert.Equal("funcName: non zero value required. check input parameters", bad.Error!.Message);
    }

    [Fact]
    public async Task AGet_SkipsKeysNestedBelowALabel()
    {
        await using var reserving = await TwoLabelsAsync();
        await reserving.Store.TxnAsync([], [new WriteOp.Put(LabelKey("cluster001", "a") + "/extra", Encoding.UTF8.GetBytes("not a label"))], None);

        Assert.Equal(["b", "a"], await LabelsAsync(reserving));
    }

    [Fact]
    public async Task ALabelStoredAsJsonNull_CannotBeRead()
    {
        await using var reserving = await WithHelloAsync();
        await reserving.Store.TxnAsync([], [new WriteOp.Put(LabelKey("cluster001", "x"), Encoding.UTF8.GetBytes("null"))], None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => reserving.Service.GetAsync(Tenant.Default, Version(), None));

        Assert.Equal($"the value at {LabelKey("cluster001", "x")} is empty", error.Message);
    }

    [Fact]
    public async Task DeletingALabel_RemovesItInEveryCluster_AndKeepsTheOthers()
    {
        await using var reserving = await TwoLabelsAsync();

        var deleted = await reserving.Service.DeleteAsync(Tenant.Default, Version("a"), None);

        Assert.True(deleted.Value);
        Assert.Equal(["b"], await LabelsAsync(reserving));
        Assert.Null(await reserving.Store.GetAsync(LabelKey("cluster001", "a"), None));
        Assert.Null(await reserving.Store.GetAsync(LabelKey("cluster002", "a"), None));
    }

    [Fact]
    public async Task DeletingWithoutALabel_RemovesEveryLabelOfTheVersion()
    {
        await using var reserving = await TwoLabelsAsync();

        var deleted = await reserving.Service.DeleteAsync(Tenant.Default, Version(), None);

        Assert.True(deleted.Value);
        Assert.Empty(await LabelsAsync(reserving));
    }

    [Fact]
    public async Task ADeleteForAMissingFunction_OrWithABadLabel_IsRefused_AndWritesNothing()
    {
        await using var reserving = await TwoLabelsAsync();
        var before = await reserving.RevisionAsync();

        var missing = await reserving.Service.DeleteAsync(Tenant.Default, Version("a") with { Version = "7" }, None);
        var bad = await reserving.Service.DeleteAsync(Tenant.Default, Version("-a"), None);

        Assert.Equal((4115, ErrorKind.NotFound), (missing.Error!.Code, missing.Error.Kind));
        Assert.Equal(
            "instanceLabel -a is invalid: letters, digits, '-', '_' and '.', starting and ending with a letter or digit. check input parameters",
            bad.Error!.Message);
        Assert.Equal(before, await reserving.RevisionAsync());
    }

    [Fact]
    public async Task ADryRunDelete_WritesNothing()
    {
        await using var reserving = await TwoLabelsAsync();
        var before = await reserving.RevisionAsync();

        var deleted = await reserving.Service.AsDryRun().DeleteAsync(Tenant.Default, Version(), None);

        Assert.True(deleted.Value);
        Assert.Equal(before, await reserving.RevisionAsync());
        Assert.Equal(["b", "a"], await LabelsAsync(reserving));
    }
}