using System.Globalization;
using System.Text;

using MetaService.Core.History;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>Where history entries live: leaves that sort newest first and carry their time, trail keys that sort by time,
/// snapshot keys, and continue tokens that name a key below a prefix and nothing else.</summary>
public sealed class HistoryKeysTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;
    private static readonly DateTimeOffset Time = HistoryTestKit.Start;

    [Fact]
    public void ALeaf_HoldsTheInvertedSequence_TheTimeAndARandomSuffix()
    {
        var leaf = HistoryKeys.NewLeaf(42, Time);

        var parts = leaf.Split('-');
        Assert.Equal(3, parts.Length);
        Assert.Equal((long.MaxValue - 42).ToString("D19", CultureInfo.InvariantCulture), parts[0]);
        Assert.Equal(Time.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture), parts[1]);
        Assert.Matches("^[0-9a-f]{8}$", parts[2]);
        Assert.Equal(Time, HistoryKeys.TimeOf(HistoryKeys.FunctionPrefix(Alice, "fn") + leaf));
    }

    [Fact]
    public void ALeafOfAnEarlyTime_KeepsItsWidth_AndABareLeafStillHasItsTime()
    {
        var early = DateTimeOffset.FromUnixTimeMilliseconds(5);

        var leaf = HistoryKeys.NewLeaf(1, early);

        Assert.Equal("0000000000005", leaf.Split('-')[1]);
        Assert.Equal(early, HistoryKeys.TimeOf(leaf));
    }

    [Fact]
    public void Leaves_SortNewestFirst_AndSmallSequencesKeepTheirWidth()
    {
        var leaves = new[] { 1L, 9L, 10L, 12345L, long.MaxValue - 1 }.Select(s => HistoryKeys.NewLeaf(s, Time)).ToList();

        Assert.Equal(leaves.AsEnumerable().Reverse(), leaves.Order(StringComparer.Ordinal));
        Assert.All(leaves, l => Assert.Equal(19, l.IndexOf('-', StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("/metaservice/history/functions/alice/shop/fn/9223372036854775765-1778293549477")]
    [InlineData("/metaservice/history/functions/alice/shop/fn/9223372036854775765-1778293549477-0a0b0c0d-x")]
    [InlineData("/metaservice/history/functions/alice/shop/fn/9223372036854775765-+778293549477-0a0b0c0d")]
    [InlineData("/metaservice/history/functions/alice/shop/fn/9223372036854775765-17782935494x7-0a0b0c0d")]
    [InlineData("/metaservice/history/functions/alice/shop/fn/")]
    public void AKeyThatIsNotAnEntrys_HasNoTime_AndNoTrailKey(string key)
    {
        Assert.Null(HistoryKeys.TimeOf(key));
        Assert.Null(HistoryKeys.TrailKeyOf(key));
    }

    [Fact]
    public void AnEntrysTrailKey_IsUnderTheTenantsTrail_AndReadsBackItsTime()
    {
        var leaf = HistoryKeys.NewLeaf(7, Time);
        var functionKey = HistoryKeys.FunctionPrefix(Alice, "0-svc-fn") + leaf;

        var trail = HistoryKeys.TrailKeyOf(functionKey);

        var prefix = HistoryKeys.TrailPrefix(Alice);
        Assert.Equal("/metaservice/history/trail/alice/shop/", prefix);
        Assert.Equal(HistoryKeys.TrailKey(Alice, Time, "0-svc-fn", leaf), trail);
        Assert.Equal($"{prefix}{long.MaxValue - Time.ToUnixTimeMilliseconds():D19}/0-svc-fn/{leaf}", trail);
        Assert.Equal(Time.ToUnixTimeMilliseconds(), HistoryKeys.TrailMillis(trail!, prefix));
    }

    [Fact]
    public void ATrailKeyOfATenantWithoutProduct_KeepsItsEmptySegment()
    {
        var tenant = new Tenant("bob");
        var leaf = HistoryKeys.NewLeaf(7, Time);

        var trail = HistoryKeys.TrailKeyOf(HistoryKeys.FunctionPrefix(tenant, "fn") + leaf);

        Assert.Equal(HistoryKeys.TrailKey(tenant, Time, "fn", leaf), trail);
        Assert.StartsWith("/metaservice/history/trail/bob//", trail, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyWithoutTenantProductAndName_HasNoTrailKey()
    {
        var key = "/metaservice/history/functions/alice/" + HistoryKeys.NewLeaf(7, Time);

        Assert.NotNull(HistoryKeys.TimeOf(key));
        Assert.Null(HistoryKeys.TrailKeyOf(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("922337203685477580")]
    [InlineData("9223372036854775807")]
    [InlineData("92233720368547758x7/fn")]
    public void AKeyShorterThanATrailTime_OrNotOne_HasNoTrailTime(string rest)
    {
        var prefix = HistoryKeys.TrailPrefix(Alice);

        Assert.Null(HistoryKeys.TrailMillis(prefix + rest, prefix));
    }

    [Fact]
    public void TrailKeys_SortNewestFirst_AndAReadUntilATimeStartsJustBeforeIt()
    {
        var until = Time;
        var later = HistoryKeys.TrailKey(Alice, until.AddMilliseconds(1), "fn", HistoryKeys.NewLeaf(3, until.AddMilliseconds(1)));
        var at = HistoryKeys.TrailKey(Alice, until, "fn", HistoryKeys.NewLeaf(2, until));
        var earlier = HistoryKeys.TrailKey(Alice, until.AddMilliseconds(-1), "fn", HistoryKeys.NewLeaf(1, until.AddMilliseconds(-1)));

        var start = HistoryKeys.TrailStartAfter(Alice, until);

        Assert.Equal([later, at, earlier], new[] { earlier, later, at }.Order(StringComparer.Ordinal));
        Assert.True(string.CompareOrdinal(later, start) < 0, "an entry after 'until' is before the start");
        Assert.True(string.CompareOrdinal(at, start) > 0, "an entry at 'until' is after the start");
        Assert.StartsWith(HistoryKeys.TrailPrefix(Alice), start, StringComparison.Ordinal);
    }

    [Fact]
    public void ASnapshot_IsKeptByItsLeafFirst_AndEarlierOnesBesideTheEntry()
    {
        var leaf = HistoryKeys.NewLeaf(7, Time);
        var functionKey = HistoryKeys.FunctionPrefix(Alice, "fn") + leaf;

        Assert.Equal($"/metaservice/history/functions/alice/shop/fn/{leaf}", functionKey);
        Assert.Equal($"/metaservice/history/snapshots/{leaf}/alice/shop/fn", HistoryKeys.SnapshotKeyOf(functionKey));
        Assert.Equal($"/metaservice/history/snapshots/alice/shop/fn/{leaf}", HistoryKeys.EarlierSnapshotKeyOf(functionKey));
        Assert.Equal("/metaservice/history/functions/", HistoryKeys.AllFunctions);
        Assert.StartsWith(HistoryKeys.Root, HistoryKeys.AllFunctions, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData("???~~~>>>")]
    [InlineData("/name-with-é/???")]
    public void AToken_IsUrlSafe_AndNamesItsKeyBack(string tail)
    {
        var prefix = HistoryKeys.FunctionPrefix(Alice, "fn");
        var key = prefix + HistoryKeys.NewLeaf(5, Time) + tail;

        var token = HistoryKeys.Token(key, prefix);

        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
        Assert.DoesNotContain('=', token);
        Assert.Equal(key, HistoryKeys.KeyOf(token, prefix));
    }

    [Fact]
    public void ATokenOfAKeyWithBase64sOtherCharacters_StillNamesItsKey()
    {
        var prefix = HistoryKeys.FunctionPrefix(Alice, "fn");
        var key = prefix + "0000000000000000001" + "???>~~";

        var token = HistoryKeys.Token(key, prefix);

        Assert.Contains('-', token);
        Assert.Contains('_', token);
        Assert.Equal(key, HistoryKeys.KeyOf(token, prefix));
    }

    [Fact]
    public void ATokenOf1024Characters_IsTaken_AndALongerOneIsNot()
    {
        var prefix = HistoryKeys.TrailPrefix(Alice);
        var longest = prefix + "0000000000000000001" + new string('a', 768 - 19);
        var longer = longest + "aaa";

        var token = HistoryKeys.Token(longest, prefix);

        Assert.Equal(1024, token.Length);
        Assert.Equal(longest, HistoryKeys.KeyOf(token, prefix));
        Assert.Null(HistoryKeys.KeyOf(HistoryKeys.Token(longer, prefix), prefix));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("MDAwMDAwMDAwMDAwMDAwMDAwMQ")]
    [InlineData("MDAwMDAwMDAwMDAwMDAwMDB4MTI")]
    [InlineData("_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-")]
    [InlineData("eDAwMDAwMDAwMDAwMDAwMDAwMDAx")]
    public void WhatIsNotAToken_NamesNoKey(string token)
    {
        Assert.Null(HistoryKeys.KeyOf(token, HistoryKeys.TrailPrefix(Alice)));
    }

    [Fact]
    public void ATokenOfBytesThatAreNotUtf8_NamesNoKey()
    {
        var bytes = Encoding.ASCII.GetBytes("0000000000000000001").Concat(new byte[] { 0xC3, 0x28 }).ToArray();
        var token = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Null(HistoryKeys.KeyOf(token, HistoryKeys.TrailPrefix(Alice)));
    }

    [Fact]
    public void AnAppendLogToken_NamesAPositiveId_AndNothingElseIsOne()
    {
        Assert.Equal(5, HistoryKeys.AppendedIdOf(HistoryKeys.Token(5)));
        Assert.Equal(1, HistoryKeys.AppendedIdOf(HistoryKeys.Token(1)));
        Assert.Null(HistoryKeys.AppendedIdOf(HistoryKeys.Token(0)));
        Assert.Null(HistoryKeys.AppendedIdOf(HistoryKeys.Token(-1)));
        Assert.Null(HistoryKeys.AppendedIdOf(HistoryKeys.Token("/p/00000000000000000001", "/p/")));
    }
}