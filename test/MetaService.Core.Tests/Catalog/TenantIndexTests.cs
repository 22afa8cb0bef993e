using System.Globalization;

using MetaService.Core.Catalog;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Catalog;

/// <summary>The catalog's per-tenant index: entries read their parts from the key, counts follow puts and removes, and
/// the name filter finds the same names whether its trigrams are indexed, common (not indexed) or absent.</summary>
public sealed class TenantIndexTests
{
    private static readonly Tenant Alice = new("alice", "shop");

    [Fact]
    public void AnEntry_ReadsProductNameAndVersion_FromItsKey()
    {
        var prefix = PlatformKeys.TenantRecords(Alice);
        var key = PlatformKeys.Record(Alice, "0-app-hello", "$latest");

        Assert.True(FunctionEntry.TryTenantPrefix(key, out var length));
        Assert.Equal(prefix, key[..length]);
        var entry = FunctionEntry.Create(prefix, key, 7);

        Assert.Equal((key, 7L, "shop", "0-app-hello", "$latest"), (entry.Key, entry.ModRevision, entry.Product, entry.Name, entry.Version));
        Assert.True(entry.IsDraft);
        Assert.True(entry.KeyIs(key));
        Assert.False(entry.KeyIs(key + "x"));
        Assert.False(entry.KeyIs(PlatformKeys.Record(Alice, "0-app-hello", "1")));
        Assert.True(entry.VersionIs("$latest"));
        Assert.False(entry.VersionIs("latest"));
        Assert.False(FunctionEntry.Create(prefix, PlatformKeys.Record(Alice, "0-app-hello", "12"), 8).IsDraft);
        Assert.Equal(("shop", "0-app-hello"), FunctionEntry.FunctionOf(key, length));
    }

    [Theory]
    [InlineData("/repo/FunctionVersion/")]
    [InlineData("/repo/FunctionVersion/yrk/alice/")]
    [InlineData("/repo/FunctionVersion/yrk/alice/shop/name/1")]
    [InlineData("/repo/FunctionStatus/yrk/alice/shop/name/1/")]
    public void AKeyThatIsNotARecordKey_HasNoEntry(string key)
    {
        Assert.False(FunctionEntry.TryTenantPrefix(key, out _));
    }

    [Fact]
    public void Counts_FollowPutsAndRemoves_AndAPutOfAKnownVersionReplacesIt()
    {
        var index = new TenantIndex(PlatformKeys.TenantRecords(Alice));
        index.Put(Entry(index, "a", "$latest", 1));
        index.Put(Entry(index, "a", "1", 2));
        index.Put(Entry(index, "a", "1", 3));
        index.Put(Entry(index, "b", "latest", 4));

        Assert.Equal((2L, 1L, 3L), (index.Functions, index.Published, index.Entries));
        Assert.Equal(3, index.Find("shop", "a", PlatformKeys.Record(Alice, "a", "1"))!.ModRevision);

        index.Remove(Entry(index, "a", "1", 3));
        index.Remove(Entry(index, "a", "1", 3));
        Assert.Equal((2L, 0L, 2L), (index.Functions, index.Published, index.Entries));
        Assert.Null(index.Find("shop", "a", PlatformKeys.Record(Alice, "a", "1")));

        index.Remove(Entry(index, "a", "$latest", 1));
        Assert.Equal((1L, 0L, 1L), (index.Functions, index.Published, index.Entries));
        Assert.Empty(index.Versions("shop", "a"));
    }

    [Fact]
    public void NameFilter_FindsTheSameNames_WhenItsTrigramsAreIndexed_Common_OrAbsent()
    {
        // 5,000 names sharing "svc-common-" (its trigrams are in every name: common, not indexed), and a few others.
        var index = new TenantIndex(PlatformKeys.TenantRecords(Alice));
        var names = Enumerable.Range(0, 5000).Select(i => "svc-common-" + i.ToString("D4", CultureInfo.InvariantCulture))
            .Concat(["other-one", "other-two", "xcommonx"]).ToList();
        var revision = 0;
        foreach (var name in names)
        {
            index.Put(Entry(index, name, "$latest", ++revision));
        }

        foreach (var filter in new[] { "common", "svc-com", "mon-12", "-4999", "other", "r-t", "zzz", "co", "" })
        {
            var expected = names.Where(n => n.Contains(filter, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            Assert.Equal(expected, index.Match(filter, null).Select(e => e.Name).Order(StringComparer.Ordinal));
        }

        // After the index is built: a new name with only common trigrams, and one with new ones, are found.
        index.Put(Entry(index, "svc-common-", "$latest", ++revision));
        index.Put(Entry(index, "qqq-new", "$latest", ++revision));
        Assert.Contains("svc-common-", index.Match("svc-common", null).Select(e => e.Name));
        Assert.Equal(["qqq-new"], index.Match("qqq", null).Select(e => e.Name));
        Assert.Empty(index.Match("common", "1"));
    }

    [Fact]
    public void NameFilter_FindsItsNames_InATenantWithNamesShorterThanATrigram()
    {
        // Names of one or two characters have no trigram; indexing them must not fail the filter of longer names.
        var index = new TenantIndex(PlatformKeys.TenantRecords(Alice));
        index.Put(Entry(index, "a", "$latest", 1));
        index.Put(Entry(index, "ab", "$latest", 2));
        index.Put(Entry(index, "0-svc-abc", "$latest", 3));

        Assert.Equal(["0-svc-abc"], index.Match("abc", null).Select(e => e.Name));
        Assert.Equal(["0-svc-abc"], index.MatchAfter("abc", null, null, 10).Select(e => e.Name));
    }

    [Fact]
    public void TwoProducts_WhoseHashCodesCollide_KeepTheirFunctionsOfOneNameApart()
    {
        // The function's key is its product and name: two products with the same hash code must still be two functions.
        var (first, second) = ProductsWithTheSameHashCode();
        var index = new TenantIndex(PlatformKeys.TenantRecords(Alice));
        index.Put(FunctionEntry.Create(index.Prefix, $"{index.Prefix}{first}/same/$latest/", 1));
        index.Put(FunctionEntry.Create(index.Prefix, $"{index.Prefix}{second}/same/$latest/", 2));

        Assert.Equal(2L, index.Functions);
        Assert.Equal([first], index.Versions(first, "same").Select(e => e.Product));
        Assert.Equal([second], index.Versions(second, "same").Select(e => e.Product));
    }

    /// <summary>Two different products whose ordinal hash codes are equal in this process (a birthday search: about
    /// 80,000 tries are expected among 32-bit codes).</summary>
    private static (string First, string Second) ProductsWithTheSameHashCode()
    {
        var seen = new Dictionary<int, string>();
        for (var i = 0; i < 4_000_000; i++)
        {
            var product = "p" + i.ToString(CultureInfo.InvariantCulture);
            if (seen.TryGetValue(product.GetHashCode(StringComparison.Ordinal), out var other))
            {
                return (other, product);
            }

            seen[product.GetHashCode(StringComparison.Ordinal)] = product;
        }

        throw new InvalidOperationException("no two products with the same hash code among 4,000,000");
    }

    [Fact]
    public void EntriesCompareAsTheirKeysDo()
    {
        var alice = new TenantIndex(PlatformKeys.TenantRecords(Alice));
        var bob = new TenantIndex(PlatformKeys.TenantRecords(new Tenant("bob", "shop")));
        FunctionEntry[] entries =
        [
            Entry(alice, "a", "$latest", 1), Entry(alice, "a", "v1", 1), Entry(alice, "a-b", "$latest", 1), Entry(alice, "b", "v10", 1),
            Entry(alice, "b", "v2", 1), FunctionEntry.Create(bob.Prefix, PlatformKeys.Record(new Tenant("bob", "shop"), "a", "v1"), 1),
        ];

        foreach (var a in entries)
        {
            foreach (var b in entries)
            {
                Assert.Equal(Math.Sign(string.CompareOrdinal(a.Key, b.Key)), Math.Sign(FunctionEntry.CompareKeys(a, b)));
            }
        }
    }

    private static FunctionEntry Entry(TenantIndex index, string name, string version, long revision) =>
        FunctionEntry.Create(index.Prefix, PlatformKeys.Record(Alice, name, version), revision);
}