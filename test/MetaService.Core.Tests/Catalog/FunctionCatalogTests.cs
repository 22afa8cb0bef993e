using MetaService.Core.Catalog;
using MetaService.Core.Storage;

using Xunit;

using static MetaService.Core.Tests.Catalog.StoredRecords;

namespace MetaService.Core.Tests.Catalog;

/// <summary>The function catalog over a real store: it loads what the store holds, follows every later put and delete,
/// and answers versions, name and version filters, counts and pages of each tenant from memory.</summary>
public sealed class FunctionCatalogTests
{
    private static readonly Tenant Alice = new("alice", "shop");
    private static readonly Tenant Bob = new("bob");

    [Fact]
    public async Task Loading_IndexesEveryRecordOfEveryTenant_AndNothingElse()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await PutAsync(temp.Store, Alice, "0-svc-a", "v1");
        await PutAsync(temp.Store, Alice, "0-svc-b", "latest");
        await PutAsync(temp.Store, Bob, "0-svc-a", "latest");
        await PutAsync(temp.Store, "/repo/FunctionVersion/stray", [1]);
        var revision = await PutAsync(temp.Store, "/repo/FunctionStatus/yrk/alice/shop/0-svc-c/latest/", [1]);
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        Assert.Equal(["latest", "v1"], (await catalog.VersionsAsync(Alice, "0-svc-a", ct)).Select(e => e.Version).Order(StringComparer.Ordinal));
        Assert.Equal(revision, catalog.AppliedRevision);
        Assert.Equal(2, await catalog.FunctionCountAsync(Alice, ct));
        Assert.Equal(1, await catalog.FunctionCountAsync(Bob, ct));
        Assert.Equal(0, await catalog.FunctionCountAsync(new Tenant("carol"), ct));
        Assert.Empty(await catalog.VersionsAsync(new Tenant("carol"), "0-svc-a", ct));
        Assert.Empty(await catalog.VersionsAsync(Alice, "0-svc-c", ct));
        Assert.Equal(
            [new TenantCount("alice", 2, 1), new TenantCount("bob", 1, 0)],
            catalog.Counts().OrderBy(c => c.Tenant, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Loading_MoreRecordsThanAPage_IndexesThemAll()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        byte[] value = [1];
        var writes = Enumerable.Range(0, 10_001).Select(i => (WriteOp)new WriteOp.Put(PlatformKeys.Record(Alice, $"f{i:D5}", "latest"), value)).ToList();
        await temp.Store.TxnAsync([], writes, ct);
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        Assert.Equal(10_001, await catalog.FunctionCountAsync(Alice, ct));
    }

    [Fact]
    public async Task Loading_KeepsTenantsWhoseKeysShareABeginning_Apart()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, "/repo/FunctionVersion/yrk/a/a/f/1/", [1]);
        await PutAsync(temp.Store, "/repo/FunctionVersion/yrk/a/b/p/f/1/", [1]);
        await PutAsync(temp.Store, "/repo/FunctionVersion/yrk/b/a/f/1/", [1]);
        await PutAsync(temp.Store, "/repo/FunctionVersion/yrk/b/a/g/1/", [1]);
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        Assert.Equal(1, await catalog.FunctionCountAsync(new Tenant("a", "a"), ct));
        Assert.Equal(1, await catalog.FunctionCountAsync(new Tenant("a/b", "p"), ct));
        Assert.Equal(2, await catalog.FunctionCountAsync(new Tenant("b", "a"), ct));
        Assert.Equal(["f"], (await catalog.VersionsAsync(new Tenant("a/b", "p"), "f", ct)).Select(e => e.Name));
    }

    [Fact]
    public async Task AfterLoading_PutsAndDeletes_AreFollowed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        Assert.Equal(1, await catalog.FunctionCountAsync(Alice, ct));

        await PutAsync(temp.Store, Alice, "0-svc-a", "v1");
        await PutAsync(temp.Store, "/repo/FunctionVersion/stray", [1]);
        var put = await PutAsync(temp.Store, Bob, "0-svc-b", "latest");
        await catalog.WaitForAsync(put, ct);

        Assert.Equal(put, catalog.AppliedRevision);
        Assert.Equal(["latest", "v1"], (await catalog.VersionsAsync(Alice, "0-svc-a", ct)).Select(e => e.Version).Order(StringComparer.Ordinal));
        Assert.Equal(put, (await catalog.GetAsync(PlatformKeys.Record(Bob, "0-svc-b", "latest"), ct))!.ModRevision);

        var deleted = await DeleteAsync(temp.Store, PlatformKeys.Record(Alice, "0-svc-a", "v1"));
        await catalog.WaitForAsync(deleted, ct);

        Assert.Equal(["latest"], (await catalog.VersionsAsync(Alice, "0-svc-a", ct)).Select(e => e.Version));
        Assert.Null(await catalog.GetAsync(PlatformKeys.Record(Alice, "0-svc-a", "v1"), ct));
        Assert.Null(await catalog.GetAsync("/repo/FunctionVersion/stray", ct));
        Assert.Equal([new TenantCount("alice", 1, 0), new TenantCount("bob", 1, 0)], catalog.Counts().OrderBy(c => c.Tenant, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Counts_LeaveOutTenantsWithoutFunctions_AndOtherBusinesses()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, "/repo/FunctionVersion/other/t/p/f/1/", [1]);
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        var put = await PutAsync(temp.Store, Bob, "0-svc-b", "latest");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        Assert.Empty(catalog.Counts());

        await catalog.WaitForAsync(put, ct);
        var deleted = await DeleteAsync(temp.Store, PlatformKeys.Record(Bob, "0-svc-b", "latest"));
        await catalog.WaitForAsync(deleted, ct);

        Assert.Equal([new TenantCount("alice", 1, 0)], catalog.Counts());
    }

    [Fact]
    public async Task Match_FiltersByNameAndVersion_WithinTheTenant()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Alice, "0-svc-alpha", "latest");
        await PutAsync(temp.Store, Alice, "0-svc-alpha", "v1");
        await PutAsync(temp.Store, Alice, "0-svc-beta", "v1");
        await PutAsync(temp.Store, Bob, "0-svc-alpha", "v1");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        Assert.Equal(3, (await catalog.MatchAsync(Alice, null, null, ct)).Count);
        Assert.Equal(["0-svc-alpha", "0-svc-beta"], (await catalog.MatchAsync(Alice, "svc", "v1", ct)).Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["latest"], (await catalog.MatchAsync(Alice, "alpha", "latest", ct)).Select(e => e.Version));
        Assert.Empty(await catalog.MatchAsync(new Tenant("carol"), null, null, ct));
    }

    [Fact]
    public async Task Pages_AreInKeyOrder_AtTheRevisionApplied_EvenRightAfterAChange()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Alice, "0-svc-c", "latest");
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        await catalog.FunctionCountAsync(Alice, ct);
        var put = await PutAsync(temp.Store, Alice, "0-svc-b", "latest");
        await catalog.WaitForAsync(put, ct);

        var (rows, revision) = await catalog.PageAsync(Alice, null, null, null, 2, ct);
        var (next, _) = await catalog.PageAsync(Alice, "svc", "latest", rows[^1].Rest, 2, ct);
        var (none, noneAt) = await catalog.PageAsync(new Tenant("carol"), null, null, null, 2, ct);

        Assert.Equal(["0-svc-a", "0-svc-b"], rows.Select(e => e.Name));
        Assert.Equal(put, revision);
        Assert.Equal(["0-svc-c"], next.Select(e => e.Name));
        Assert.Empty(none);
        Assert.Equal(put, noneAt);
    }

    [Fact]
    public async Task ChangedAfter_NamesTheKeysChangedSinceARevision_AndNoneWithoutOne()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var first = await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await PutAsync(temp.Store, Bob, "0-svc-b", "latest");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        var (applied, keys) = await catalog.ChangedAfterAsync(first, ct);
        var (_, none) = await catalog.ChangedAfterAsync(null, ct);

        Assert.Equal(first + 1, applied);
        Assert.Equal([PlatformKeys.Record(Bob, "0-svc-b", "latest")], keys);
        Assert.Empty(none);
        Assert.Equal(2, (await catalog.ChangedAfterAsync(0, ct)).Keys.Count);
    }
}