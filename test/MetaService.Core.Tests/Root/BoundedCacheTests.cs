using Xunit;

namespace MetaService.Core.Tests.Root;

/// <summary>The bounded cache every keeper of decoded or made values builds on: least recently used out first, each
/// value counted at its keeper's cost, never past its bound.</summary>
public sealed class BoundedCacheTests
{
    [Fact]
    public void AValueKept_IsFound_AndAnAbsentKeyIsNot()
    {
        var cache = new BoundedCache<long, string>(1_000);
        cache.Keep(1, "one", 100);

        Assert.True(cache.TryGet(1, out var found));
        Assert.Equal("one", found);
        Assert.False(cache.TryGet(2, out _));
        Assert.Equal(100, cache.Bytes);
    }

    [Fact]
    public void PastTheBound_TheLeastRecentlyUsedGo_UntilItFits()
    {
        var cache = new BoundedCache<long, string>(300);
        cache.Keep(1, "a", 100);
        cache.Keep(2, "b", 100);
        cache.Keep(3, "c", 100);
        Assert.True(cache.TryGet(1, out _));

        cache.Keep(4, "d", 150);

        Assert.True(cache.TryGet(1, out _));
        Assert.False(cache.TryGet(2, out _));
        Assert.False(cache.TryGet(3, out _));
        Assert.True(cache.TryGet(4, out _));
        Assert.Equal(250, cache.Bytes);
    }

    [Fact]
    public void AValueAtTheBound_IsKept_AndOneByteMoreIsNot_EvictingNothing()
    {
        var cache = new BoundedCache<long, string>(100);
        cache.Keep(1, "fits", 100);
        Assert.True(cache.TryGet(1, out _));

        cache.Keep(2, "too big", 101);

        Assert.False(cache.TryGet(2, out _));
        Assert.True(cache.TryGet(1, out _));
        Assert.Equal(100, cache.Bytes);
    }

    [Fact]
    public void KeepingAKeyAgain_ReplacesItsValue_AndCountsOnlyTheNewCost()
    {
        var cache = new BoundedCache<long, string>(1_000);
        cache.Keep(1, "old", 300);

        cache.Keep(1, "new", 100);

        Assert.True(cache.TryGet(1, out var found));
        Assert.Equal("new", found);
        Assert.Equal(100, cache.Bytes);
    }

    [Fact]
    public void AKeptValueThatTheKeeperSaysStays_IsNotReplaced()
    {
        var cache = new BoundedCache<long, int>(1_000);
        cache.Keep(1, 7, 100);

        cache.Keep(1, 6, 50, replaces: kept => kept <= 6);
        Assert.True(cache.TryGet(1, out var stayed));
        Assert.Equal(7, stayed);
        Assert.Equal(100, cache.Bytes);

        cache.Keep(1, 8, 50, replaces: kept => kept <= 8);
        Assert.True(cache.TryGet(1, out var replaced));
        Assert.Equal(8, replaced);
        Assert.Equal(50, cache.Bytes);
    }

    [Fact]
    public void ACacheOfNoBytes_KeepsNothing()
    {
        var cache = new BoundedCache<long, string>(0);
        cache.Keep(1, "x", 1);

        Assert.False(cache.TryGet(1, out _));
        Assert.Equal(0, cache.Bytes);
    }
}