using MetaService.Core.Functions;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>Lists paged by index: the tenant's versions (or one function's) most recently changed first, ties in key
/// order, filtered by name, version and the record filters, with the total and the revision they were read at.</summary>
public sealed class ListTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    private static FunctionQuery Query(string? name = null, string? version = null, string? qualifier = null, Paging? page = null) =>
        new(name, version, qualifier, page ?? Paging.Default);

    [Fact]
    public async Task AList_IsNewestChangeFirst_WithItsTotalAndRevision()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-a"));
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-c"));
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-b"));

        var page = (await h.Service.ListAsync(Tenant, Query(), ServiceHarness.Token)).Value!;

        Assert.Equal(["0-svc-b", "0-svc-c", "0-svc-a"], page.Functions!.Select(f => f.Name));
        Assert.Equal(3, page.Total);
        Assert.Equal(await h.RevisionAsync(), page.Revision);
    }

    [Fact]
    public async Task VersionsWrittenTogether_AreListedInKeyOrder()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-a"));
        await h.PublishAsync("0-svc-a", "v1");
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-0"));

        var page = (await h.Service.ListAsync(Tenant, Query(), ServiceHarness.Token)).Value!;

        Assert.Equal(["0-svc-0/$latest", "0-svc-a/$latest", "0-svc-a/v1"], page.Functions!.Select(f => $"{f.Name}/{f.Version}"));
    }

    [Theory]
    [InlineData(1, 2, new[] { "0-svc-d", "0-svc-c" })]
    [InlineData(2, 2, new[] { "0-svc-b", "0-svc-a" })]
    [InlineData(2, 3, new[] { "0-svc-a" })]
    public async Task APage_IsItsSliceOfTheList(int index, int size, string[] expected)
    {
        await using var h = new ServiceHarness();
        foreach (var name in new[] { "0-svc-a", "0-svc-b", "0-svc-c", "0-svc-d" })
        {
            await h.CreateAsync(ServiceHarness.Yrlib(name));
        }

        var page = (await h.Service.ListAsync(Tenant, Query(page: new Paging(index, size)), ServiceHarness.Token)).Value!;

        Assert.Equal(expected, page.Functions!.Select(f => f.Name));
        Assert.Equal(4, page.Total);
    }

    [Fact]
    public async Task APagePastTheEnd_HasNoRows_ButTheTotal()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());

        var page = (await h.Service.ListAsync(Tenant, Query(page: new Paging(3, 1)), ServiceHarness.Token)).Value!;
        var far = (await h.Service.ListAsync(Tenant, Query(page: new Paging(int.MaxValue, int.MaxValue)), ServiceHarness.Token)).Value!;

        Assert.Null(page.Functions);
        Assert.Equal(1, page.Total);
        Assert.Null(far.Functions);
    }

    [Theory]
    [InlineData("svc-a", null, null, new[] { "0-svc-a/$latest", "0-svc-a/v1" })]
    [InlineData(null, "v1", null, new[] { "0-svc-a/v1" })]
    [InlineData(null, null, "v1", new[] { "0-svc-a/v1" })]
    [InlineData(null, "v1", "v9", new[] { "0-svc-a/v1" })]
    [InlineData(null, "", "v1", new[] { "0-svc-a/v1" })]
    public async Task TheNameAndVersionFilters_ChooseTheRows(string? name, string? version, string? qualifier, string[] expected)
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-a"));
        await h.PublishAsync("0-svc-a", "v1");
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-b"));

        var plain = (await h.Service.ListAsync(Tenant, Query(name, version, qualifier), ServiceHarness.Token)).Value!;
        var filtered = (await h.Service.ListAsync(Tenant, Query(name, version, qualifier), ListFilter.None, ServiceHarness.Token)).Value!;
        var keyed = (await h.Service.ListAfterAsync(Tenant, Query(name, version, qualifier), ListFilter.None, new KeyPaging(10, null), ServiceHarness.Token)).Value!;

        Assert.Equal(expected, plain.Functions!.Select(f => $"{f.Name}/{f.Version}").Order(StringComparer.Ordinal));
        Assert.Equal(expected, filtered.Functions!.Select(f => $"{f.Name}/{f.Version}").Order(StringComparer.Ordinal));
        Assert.Equal(expected, keyed.Functions!.Select(f => $"{f.Name}/{f.Version}"));
    }

    [Fact]
    public async Task TheRecordFilters_KeepTheVersionsTheyMatch_NewestFirst()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-a"));
        await h.CreateAsync(ServiceHarness.Faas("0@svc@b"));
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-c") with { Runtime = "java11" });

        var yrlib = (await h.Service.ListAsync(Tenant, Query(), new ListFilter(FunctionKinds.Yrlib, null, null), ServiceHarness.Token)).Value!;
        var java = (await h.Service.ListAsync(Tenant, Query(), new ListFilter(null, "java11", null), ServiceHarness.Token)).Value!;

        Assert.Equal(["0-svc-c", "0-svc-a"], yrlib.Functions!.Select(f => f.Name));
        Assert.Equal(2, yrlib.Total);
        Assert.Equal(await h.RevisionAsync(), yrlib.Revision);
        Assert.Equal(["0-svc-c"], java.Functions!.Select(f => f.Name));
    }

    [Fact]
    public async Task UpdatedSince_KeepsWhatChangedAtOrAfterIt_ByUpdateTimeElseCreateTime()
    {
        await using var h = new ServiceHarness();
        var t0 = h.Clock.Now;
        var old = await h.CreateAsync(ServiceHarness.Yrlib("0-svc-old"));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-new"));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-updated"));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.Service.UpdateAsync(Tenant, "0-svc-old", new FunctionRequest { RevisionId = old.RevisionId, Description = "x" }, ServiceHarness.Token);

        var since = (await h.Service.ListAsync(Tenant, Query(), new ListFilter(null, null, t0.AddMinutes(1)), ServiceHarness.Token)).Value!;

        Assert.Equal(["0-svc-new", "0-svc-old", "0-svc-updated"], since.Functions!.Select(f => f.Name).Order(StringComparer.Ordinal));
        var later = (await h.Service.ListAsync(Tenant, Query(), new ListFilter(null, null, t0.AddMinutes(2).AddMilliseconds(1)), ServiceHarness.Token)).Value!;
        Assert.Equal(["0-svc-old"], later.Functions!.Select(f => f.Name));
    }

    [Fact]
    public async Task TheVersionsOfAFunction_AreListedAlone()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-a"));
        await h.PublishAsync("0-svc-a", "v1");
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-ab"));

        var page = (await h.Service.ListVersionsAsync(Tenant, "0-svc-a", new Paging(1, 10), ServiceHarness.Token)).Value!;
        var bad = await h.Service.ListVersionsAsync(Tenant, "bad name", Paging.Default, ServiceHarness.Token);

        Assert.Equal(["$latest", "v1"], page.Functions!.Select(f => f.Version));
        Assert.Equal(await h.RevisionAsync(), page.Revision);
        Assert.Equal(4104, bad.Error!.Code);
    }
}