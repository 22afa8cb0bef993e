using MetaService.Core.Aliases;
using MetaService.Core.Functions;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>The keys a delete clears beside the records: every table and platform key the original clears, in every
/// configured cluster, and for one version only that version's (not those of a version whose name it begins).</summary>
public sealed class DeletedKeysTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;
    private const string Name = "0@svc@fn";

    private static async Task PutAsync(ServiceHarness h, params string[] keys) =>
        await h.Store.TxnAsync([], [.. keys.Select(k => new WriteOp.Put(k, "{}"u8.ToArray()))], ServiceHarness.Token);

    private static ServiceHarness TwoClusters() => new(new MetaOptions { Clusters = ["cluster002", MetaOptions.DefaultCluster] });

    [Fact]
    public async Task DeletingAFunction_ClearsEveryTableAndPlatformKeyOfIt()
    {
        await using var h = TwoClusters();
        await h.CreateAsync(ServiceHarness.Faas(Name));
        string[] keys =
        [
            .. PlatformKeys.FunctionTables(Tenant, Name).Select(t => t + "x"),
            PlatformKeys.PublishedVersions("/yr/functions", Tenant, Name) + "v0",
            PlatformKeys.Instance("cluster002", Tenant, Name, "latest"),
            PlatformKeys.InstanceLabel("cluster002", Tenant, Name, "latest", "l1"),
            PlatformKeys.ReserveLabelGuard(Tenant, Name, "latest"),
            PlatformKeys.LegacyReserveLabelGuards(Tenant, Name) + "latest",
            PlatformKeys.Aliases(Tenant, Name) + "prod",
            PlatformKeys.Triggers(Tenant, Name) + "t1",
            PlatformKeys.FunctionChain(Tenant, Name),
            AliasKeys.Guard(Tenant, Name),
            AliasKeys.PreviousRouting(Tenant, Name, "prod"),
            AliasKeys.Retention(Tenant, Name),
        ];
        await PutAsync(h, keys);
        var other = PlatformKeys.FunctionChain(Tenant, Name + "2");
        await PutAsync(h, other);

        await h.Service.DeleteAsync(Tenant, Name, null, null, ServiceHarness.Token);

        foreach (var key in keys)
        {
            Assert.True(await h.GetAsync(key) is null, key);
        }

        Assert.NotNull(await h.GetAsync(other));
    }

    [Fact]
    public async Task DeletingAVersion_ClearsItsKeysInEveryCluster_AndNotThoseOfALongerVersionName()
    {
        await using var h = TwoClusters();
        await h.CreateAsync(ServiceHarness.Faas(Name));
        await h.PublishAsync(Name, "v1");
        await h.PublishAsync(Name, "v10");
        string[] doomed =
        [
            PlatformKeys.Instance("cluster002", Tenant, Name, "v1"),
            PlatformKeys.InstanceLabel("cluster002", Tenant, Name, "v1", "l1"),
            PlatformKeys.InstanceLabel(MetaOptions.DefaultCluster, Tenant, Name, "v1", "l1"),
            PlatformKeys.ReserveLabelGuard(Tenant, Name, "v1"),
            .. PlatformKeys.VersionTables(Tenant, Name, "v1").Select(t => t + "x"),
        ];
        string[] kept =
        [
            PlatformKeys.Instance("cluster002", Tenant, Name, "v10"),
            PlatformKeys.InstanceLabel(MetaOptions.DefaultCluster, Tenant, Name, "v10", "l1"),
            PlatformKeys.ReserveLabelGuard(Tenant, Name, "v10"),
            .. PlatformKeys.VersionTables(Tenant, Name, "v10").Select(t => t + "x"),
        ];
        await PutAsync(h, [.. doomed, .. kept]);

        await h.Service.DeleteAsync(Tenant, Name, "v1", null, ServiceHarness.Token);

        foreach (var key in doomed)
        {
            Assert.True(await h.GetAsync(key) is null, key);
        }

        foreach (var key in kept)
        {
            Assert.True(await h.GetAsync(key) is not null, key);
        }

        Assert.NotNull(await h.GetAsync(PlatformKeys.Instance(MetaOptions.DefaultCluster, Tenant, Name, "v10")));
        Assert.NotNull(await h.GetAsync(PlatformKeys.Published(FunctionKinds.Faas, Tenant, Name, "v10")));
        Assert.NotNull(await h.GetAsync(PlatformKeys.Status(Tenant, Name, "v10")));
    }

    [Fact]
    public void TheStoredSizeOfAKey_IsTheLengthOfThePutAtIt()
    {
        WriteOp[] writes = [new WriteOp.Delete("/a"), new WriteOp.Put("/b", new byte[3]), new WriteOp.Put("/a", new byte[5])];

        Assert.Equal(5, FunctionWrites.StoredSize(writes, "/a"));
        Assert.Equal(3, FunctionWrites.StoredSize(writes, "/b"));
        Assert.Equal(0, FunctionWrites.StoredSize(writes, "/c"));
    }

    [Fact]
    public void AValueOverTheLimit_IsRefused_AndOneAtItIsNot()
    {
        var options = new MetaOptions { RecordBytesMax = 10 };

        Assert.Null(StoredSize.Over([new WriteOp.Put("/a", new byte[10]), new WriteOp.DeletePrefix("/b")], options));
        Assert.Null(StoredSize.Over([], options));
        Assert.Equal(MetaError.RecordTooLarge(11, 10), StoredSize.Over([new WriteOp.Put("/a", new byte[2]), new WriteOp.Put("/b", new byte[11])], options));
    }
}