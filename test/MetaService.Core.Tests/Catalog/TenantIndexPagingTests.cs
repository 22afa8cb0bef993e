using System.Globalization;

using MetaService.Core.Catalog;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Catalog;

/// <summary>Pages of the tenant index in key order (what <c>limit</c> and <c>continue</c> read): the first matches after a
/// key, as many as asked, with the same name and version filters as a whole list.</summary>
public sealed class TenantIndexPagingTests
{
    private static readonly Tenant Alice = new("alice", "shop");

    [Fact]
    public void Pages_WalkEveryMatchOnce_InKeyOrder()
    {
        var index = Filled();
        var expected = index.Match(null, null).Select(e => e.Rest).Order(StringComparer.Ordinal).ToList();

        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var page = index.MatchAfter(null, null, after, 3);
            seen.AddRange(page.Select(e => e.Rest));
            if (page.Count < 3)
            {
                break;
            }

            after = page[^1].Rest;
        }

        Assert.Equal(expected, seen);
        Assert.Equal(8, seen.Count);
    }

    [Fact]
    public void APage_StartsAfterTheKeyGiven_NotAtIt()
    {
        var index = Filled();
        var first = index.MatchAfter(null, null, null, 2);

        var next = index.MatchAfter(null, null, first[0].Rest, 2);

        Assert.Equal(first[1].Rest, next[0].Rest);
        Assert.Equal(2, next.Count);
    }

    [Fact]
    public void APage_HoldsTheSmallestKeys_WhateverTheOrderTheyWereAddedIn()
    {
        var index = new TenantIndex(PlatformKeys.TenantRecords(Alice));
        foreach (var name in new[] { "m", "z", "c", "a", "x", "b" })
        {
            index.Put(Entry(index, name, "$latest", 1));
        }

        Assert.Equal(["a", "b", "c"], index.MatchAfter(null, null, null, 3).Select(e => e.Name));
        Assert.Equal(["x", "z"], index.MatchAfter(null, null, "shop/m/$latest/", 3).Select(e => e.Name));
    }

    [Fact]
    public void APageOfNone_IsEmpty()
    {
        var index = Filled();

        Assert.Empty(index.MatchAfter(null, null, null, 0));
        Assert.Empty(index.MatchAfter(null, null, "shop/zzz/", 5));
    }

    [Fact]
    public void APage_KeepsTheNameAndVersionFilters()
    {
        var index = Filled();

        Assert.Equal(
            ["shop/fn-01/v1/", "shop/fn-03/v1/"],
            index.MatchAfter("fn-0", "v1", null, 10).Select(e => e.Rest));
        Assert.Equal(["shop/fn-03/v1/"], index.MatchAfter("fn-0", "v1", "shop/fn-01/v1/", 10).Select(e => e.Rest));
        Assert.Equal(
            ["shop/fn-03/$latest/", "shop/fn-03/v1/", "shop/fn-03/v2/"],
            index.MatchAfter("n-03", null, null, 10).Select(e => e.Rest));
        Assert.Empty(index.MatchAfter("nothing", null, null, 10));
        Assert.Equal(4, index.MatchAfter(null, "$latest", null, 10).Count);
        Assert.Equal(index.Match("fn", "v1").Count, index.MatchAfter("fn", "v1", null, 100).Count);
    }

    [Fact]
    public void NameFilters_FindLongNames_AndNamesThatRepeatATrigram()
    {
        var index = new TenantIndex(PlatformKeys.TenantRecords(Alice));
        var longName = "0-svc-" + string.Concat(Enumerable.Range(0, 20).Select(i => i.ToString("D3", CultureInfo.InvariantCulture))) + "-end";
        string[] names = [longName, "aaaaaaab", "abab-abab", "short"];
        foreach (var name in names)
        {
            index.Put(Entry(index, name, "$latest", 1));
        }

        foreach (var filter in new[] { "019-end", "0-svc-000", "aaaa", "aab", "bab-ab", "abab", "ab", "sho", longName, longName + "x", "zzz" })
        {
            var expected = names.Where(n => n.Contains(filter, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            Assert.Equal(expected, index.Match(filter, null).Select(e => e.Name).Order(StringComparer.Ordinal));
            Assert.Equal(expected, index.MatchAfter(filter, null, null, 10).Select(e => e.Name));
        }
    }

    /// <summary>Four functions fn-00 … fn-03 with a draft each, fn-01 and fn-03 with v1 and v2 too.</summary>
    private static TenantIndex Filled()
    {
        var index = new TenantIndex(PlatformKeys.TenantRecords(Alice));
        var revision = 0;
        for (var i = 3; i >= 0; i--)
        {
            var name = "fn-" + i.ToString("D2", CultureInfo.InvariantCulture);
            index.Put(Entry(index, name, "$latest", ++revision));
            if (i % 2 == 1)
            {
                index.Put(Entry(index, name, "v2", ++revision));
                index.Put(Entry(index, name, "v1", ++revision));
            }
        }

        return index;
    }

    private static FunctionEntry Entry(TenantIndex index, string name, string version, long revision) =>
        FunctionEntry.Create(index.Prefix, PlatformKeys.Record(Alice, name, version), revision);
}