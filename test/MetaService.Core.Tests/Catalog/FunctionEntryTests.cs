using MetaService.Core.Catalog;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Catalog;

/// <summary>What a catalog entry reads from its record key: which keys are record keys at all (and where their tenant
/// prefix ends), and the product, name and version of one, with and without a product.</summary>
public sealed class FunctionEntryTests
{
    [Theory]
    [InlineData("/repo/FunctionVersion/yrk/t/p/fn/1/", "/repo/FunctionVersion/yrk/t/")]
    [InlineData("/repo/FunctionVersion/yrk/t//fn/$latest/", "/repo/FunctionVersion/yrk/t/")]
    [InlineData("/repo/FunctionVersion/yrk/t/p/f/v/", "/repo/FunctionVersion/yrk/t/")]
    [InlineData("/repo/FunctionVersion/x/p/f/v/", "/repo/FunctionVersion/x/")]
    // Four parts below the root, the first empty: a part of the tenant's all the same, as an empty product is a part.
    [InlineData("/repo/FunctionVersion//p/f/v/", "/repo/FunctionVersion//")]
    public void ARecordKey_HasItsTenantPrefix(string key, string prefix)
    {
        Assert.True(FunctionEntry.TryTenantPrefix(key, out var length));
        Assert.Equal(prefix, key[..length]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/repo/FunctionVersion/p/f/v/")]
    [InlineData("/repo/FunctionVersion/f/v/")]
    [InlineData("/repo/FunctionVersionX/yrk/t/p/f/v/")]
    [InlineData("/other/FunctionVersion/yrk/t/p/f/v/")]
    public void AKeyWithTooFewParts_OrElsewhere_IsNoRecordKey(string key)
    {
        Assert.False(FunctionEntry.TryTenantPrefix(key, out _));
    }

    [Fact]
    public void AKeyLongerThanAnEntryCanIndex_IsNoRecordKey()
    {
        var name = new string('n', ushort.MaxValue);
        var key = $"/repo/FunctionVersion/yrk/t/p/{name}/1/";

        Assert.False(FunctionEntry.TryTenantPrefix(key, out _));
        Assert.True(FunctionEntry.TryTenantPrefix($"/repo/FunctionVersion/yrk/t/p/{name[..(ushort.MaxValue - 40)]}/1/", out _));
    }

    [Fact]
    public void AKeyOfExactlyTheLongestIndexableLength_IsARecordKey_ReadingItsParts()
    {
        const string Prefix = "/repo/FunctionVersion/yrk/t/";
        var name = new string('n', ushort.MaxValue - Prefix.Length - "p//1/".Length);
        var key = $"{Prefix}p/{name}/1/";
        Assert.Equal(ushort.MaxValue, key.Length);

        Assert.True(FunctionEntry.TryTenantPrefix(key, out var length));
        var entry = FunctionEntry.Create(key[..length], key, 3);
        Assert.Equal((Prefix, "p", name, "1"), (key[..length], entry.Product, entry.Name, entry.Version));
        Assert.False(FunctionEntry.TryTenantPrefix($"{Prefix}p/{name}n/1/", out _));
    }

    [Fact]
    public void AnEntryWithoutAProduct_ReadsItsParts()
    {
        var tenant = new Tenant("t");
        var key = PlatformKeys.Record(tenant, "0-svc-fn", "latest");
        Assert.True(FunctionEntry.TryTenantPrefix(key, out var length));

        var entry = FunctionEntry.Create(key[..length], key, 3);

        Assert.Equal(("", "0-svc-fn", "latest", key), (entry.Product, entry.Name, entry.Version, entry.Key));
        Assert.True(entry.IsDraft);
        Assert.Equal("/0-svc-fn/latest/", entry.Rest);
        Assert.Equal(("", "0-svc-fn"), FunctionEntry.FunctionOf(key, length));
    }

    [Fact]
    public void KeyIs_ComparesTheWholeKey_PrefixAndRest()
    {
        var key = "/repo/FunctionVersion/yrk/t/p/fn/1/";
        var entry = FunctionEntry.Create("/repo/FunctionVersion/yrk/t/", key, 1);

        Assert.True(entry.KeyIs(key));
        Assert.False(entry.KeyIs("/repo/FunctionVersion/yrk/u/p/fn/1/"));
        Assert.False(entry.KeyIs("/repo/FunctionVersion/yrk/t/p/fn/2/"));
        Assert.False(entry.KeyIs("/repo/FunctionVersion/yrk/t/p/fn/1"));
        Assert.False(entry.KeyIs("/repo/FunctionVersion/yrk/t/p/fn/11/"));
    }

    [Fact]
    public void SameKeyAs_WantsTheSameTenantAndRest_WhateverTheRevision()
    {
        var alice = FunctionEntry.Create("/repo/FunctionVersion/yrk/alice/", "/repo/FunctionVersion/yrk/alice/p/fn/1/", 1);

        Assert.True(alice.SameKeyAs(FunctionEntry.Create("/repo/FunctionVersion/yrk/alice/", "/repo/FunctionVersion/yrk/alice/p/fn/1/", 9)));
        Assert.False(alice.SameKeyAs(FunctionEntry.Create("/repo/FunctionVersion/yrk/bob/", "/repo/FunctionVersion/yrk/bob/p/fn/1/", 1)));
        Assert.False(alice.SameKeyAs(FunctionEntry.Create("/repo/FunctionVersion/yrk/alice/", "/repo/FunctionVersion/yrk/alice/p/fn/2/", 1)));
    }

    [Fact]
    public void CompareKeys_OfTwoTenants_OrdersByTheTenantFirst()
    {
        var a = FunctionEntry.Create("/repo/FunctionVersion/yrk/a/", "/repo/FunctionVersion/yrk/a/p/z/1/", 1);
        var b = FunctionEntry.Create("/repo/FunctionVersion/yrk/b/", "/repo/FunctionVersion/yrk/b/p/a/1/", 1);

        Assert.True(FunctionEntry.CompareKeys(a, b) < 0);
        Assert.True(FunctionEntry.CompareKeys(b, a) > 0);
        Assert.Equal(0, FunctionEntry.CompareKeys(a, FunctionEntry.Create("/repo/FunctionVersion/yrk/a/", a.Key, 5)));
    }
}