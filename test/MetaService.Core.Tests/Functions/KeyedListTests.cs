using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>Lists in key order continued after the last row a page gave: each page at most its limit, where the next
/// starts (none after the last), the record filters applied across passes, and one function's versions.</summary>
public sealed class KeyedListTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;
    private static readonly FunctionQuery All = new(null, null, null, Paging.Default);

    [Fact]
    public async Task Pages_FollowOneAnother_InKeyOrder_UntilTheLastHasNoNext()
    {
        await using var h = new ServiceHarness();
        foreach (var name in new[] { "0-svc-e", "0-svc-b", "0-svc-d", "0-svc-a", "0-svc-c" })
        {
            await h.CreateAsync(ServiceHarness.Yrlib(name));
        }

        var names = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = (await h.Service.ListAfterAsync(Tenant, All, ListFilter.None, new KeyPaging(2, after), ServiceHarness.Token)).Value!;
            Assert.True(page.Functions!.Count <= 2);
            Assert.Equal(await h.RevisionAsync(), page.Revision);
            names.AddRange(page.Functions.Select(f => f.Name));
            after = page.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(["0-svc-a", "0-svc-b", "0-svc-c", "0-svc-d", "0-svc-e"], names);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task APageThatEndsTheList_ExactlyAtItsLimit_HasNoNext()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-a"));
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-b"));

        var page = (await h.Service.ListAfterAsync(Tenant, All, ListFilter.None, new KeyPaging(2, null), ServiceHarness.Token)).Value!;
        var first = (await h.Service.ListAfterAsync(Tenant, All, ListFilter.None, new KeyPaging(1, null), ServiceHarness.Token)).Value!;

        Assert.Equal(["0-svc-a", "0-svc-b"], page.Functions!.Select(f => f.Name));
        Assert.Null(page.Next);
        Assert.Equal(["0-svc-a"], first.Functions!.Select(f => f.Name));
        Assert.NotNull(first.Next);
    }

    [Fact]
    public async Task AnEmptyTenant_HasNoRows_AndTheCatalogsRevision()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-a"));

        var page = (await h.Service.ListAfterAsync(new Tenant("nobody"), All, new ListFilter(FunctionKinds.Faas, null, null), new KeyPaging(5, null), ServiceHarness.Token)).Value!;

        Assert.Null(page.Functions);
        Assert.Null(page.Next);
        Assert.Equal(h.Catalog.AppliedRevision, page.Revision);
    }

    [Fact]
    public async Task TheRecordFilters_FillEachPageWithMatchingRows()
    {
        await using var h = new ServiceHarness();
        for (var i = 0; i < 7; i++)
        {
            var name = $"0-svc-f{i}";
            await h.CreateAsync(i % 2 == 0 ? ServiceHarness.Yrlib(name) : ServiceHarness.Faas(name));
        }

        var filter = new ListFilter(FunctionKinds.Yrlib, null, null);
        var first = (await h.Service.ListAfterAsync(Tenant, All, filter, new KeyPaging(3, null), ServiceHarness.Token)).Value!;
        var second = (await h.Service.ListAfterAsync(Tenant, All, filter, new KeyPaging(3, first.Next), ServiceHarness.Token)).Value!;

        Assert.Equal(["0-svc-f0", "0-svc-f2", "0-svc-f4"], first.Functions!.Select(f => f.Name));
        Assert.Equal(["0-svc-f6"], second.Functions!.Select(f => f.Name));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task AFilteredPage_ReadsPassAfterPass_UntilItIsFull()
    {
        await using var h = new ServiceHarness();
        var writes = new List<WriteOp>();
        for (var i = 0; i < 300; i++)
        {
            var name = $"0-svc-f{i:D3}";
            var request = i is 10 or 290 ? ServiceHarness.Yrlib(name) : ServiceHarness.Faas(name);
            var record = FunctionRules.BuildDraft(request, Tenant, h.Options, h.Clock).Value!;
            writes.Add(new WriteOp.Put(PlatformKeys.Record(Tenant, name, record.Version), FunctionEntry.Encode(record)));
        }

        await h.Store.TxnAsync([], writes, ServiceHarness.Token);
        await h.Catalog.WaitForAsync(await h.RevisionAsync(), ServiceHarness.Token);
        var filter = new ListFilter(FunctionKinds.Yrlib, null, null);

        var both = (await h.Service.ListAfterAsync(Tenant, All, filter, new KeyPaging(2, null), ServiceHarness.Token)).Value!;
        var first = (await h.Service.ListAfterAsync(Tenant, All, filter, new KeyPaging(1, null), ServiceHarness.Token)).Value!;
        var second = (await h.Service.ListAfterAsync(Tenant, All, filter, new KeyPaging(1, first.Next), ServiceHarness.Token)).Value!;

        Assert.Equal(["0-svc-f010", "0-svc-f290"], both.Functions!.Select(f => f.Name));
        Assert.Null(both.Next);
        Assert.Equal(["0-svc-f010"], first.Functions!.Select(f => f.Name));
        Assert.Equal(["0-svc-f290"], second.Functions!.Select(f => f.Name));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task ARecordThatCannotBeRead_IsLeftOutOfAFilteredList()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-a"));
        var key = PlatformKeys.Record(Tenant, "0-svc-b", "$latest");
        await h.Store.TxnAsync([], [new WriteOp.Put(key, "not json"u8.ToArray())], ServiceHarness.Token);
        await h.Catalog.WaitForAsync(await h.RevisionAsync(), ServiceHarness.Token);

        var keyed = (await h.Service.ListAfterAsync(Tenant, All, new ListFilter(FunctionKinds.Yrlib, null, null), new KeyPaging(5, null), ServiceHarness.Token)).Value!;
        var paged = (await h.Service.ListAsync(Tenant, All, new ListFilter(FunctionKinds.Yrlib, null, null), ServiceHarness.Token)).Value!;

        Assert.Equal(["0-svc-a"], keyed.Functions!.Select(f => f.Name));
        Assert.Equal(["0-svc-a"], paged.Functions!.Select(f => f.Name));
    }

    [Fact]
    public async Task TheVersionsOfAFunction_ArePagedInKeyOrder()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-a"));
        foreach (var version in new[] { "v3", "v1", "v2" })
        {
            await h.PublishAsync("0-svc-a", version);
        }

        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-b"));

        var first = (await h.Service.ListVersionsAfterAsync(Tenant, "0-svc-a", new KeyPaging(2, null), ServiceHarness.Token)).Value!;
        var second = (await h.Service.ListVersionsAfterAsync(Tenant, "0-svc-a", new KeyPaging(2, first.Next), ServiceHarness.Token)).Value!;
        var bad = await h.Service.ListVersionsAfterAsync(Tenant, "bad name", new KeyPaging(2, null), ServiceHarness.Token);

        Assert.Equal(["$latest", "v1"], first.Functions!.Select(f => f.Version));
        Assert.Equal(["v2", "v3"], second.Functions!.Select(f => f.Version));
        Assert.Null(second.Next);
        Assert.Equal(await h.RevisionAsync(), first.Revision);
        Assert.Equal(4104, bad.Error!.Code);
    }
}