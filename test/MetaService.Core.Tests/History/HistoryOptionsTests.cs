using MetaService.Core.History;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>The history's settings: on by default with their documented defaults, and each out of its range named with
/// the range to give.</summary>
public sealed class HistoryOptionsTests
{
    [Fact]
    public void TheDefaults_AreValid()
    {
        var options = new HistoryOptions();

        Assert.Equal((true, 100, 90, 600, 500), (options.Enabled, options.MaxEntriesPerFunction, options.MaxAgeDays, options.PruneIntervalSeconds, options.PruneBatch));
        Assert.Equal(8L * 1024 * 1024, options.ChangesCacheBytes);
        Assert.Equal(10_000, options.PruneAfterAppends);
        Assert.Empty(options.Problems());
        Assert.Equal("History", HistoryOptions.Section);
    }

    [Fact]
    public void TheBoundsOfEachRange_AreValid()
    {
        Assert.Empty(new HistoryOptions { MaxEntriesPerFunction = 1, MaxAgeDays = 1, PruneIntervalSeconds = 1, PruneBatch = 1 }.Problems());
        Assert.Empty(new HistoryOptions { MaxEntriesPerFunction = 1_000_000, MaxAgeDays = 36_500, PruneIntervalSeconds = 86_400, PruneBatch = 10_000 }.Problems());
    }

    [Theory]
    [InlineData(0, 1, 1, 1, "History:MaxEntriesPerFunction is 0: give 1 to 1000000 (default 100)")]
    [InlineData(1_000_001, 1, 1, 1, "History:MaxEntriesPerFunction is 1000001: give 1 to 1000000 (default 100)")]
    [InlineData(1, 0, 1, 1, "History:MaxAgeDays is 0: give 1 to 36500 days (default 90)")]
    [InlineData(1, 36_501, 1, 1, "History:MaxAgeDays is 36501: give 1 to 36500 days (default 90)")]
    [InlineData(1, 1, 0, 1, "History:PruneIntervalSeconds is 0: give 1 to 86400 seconds (default 600)")]
    [InlineData(1, 1, 86_401, 1, "History:PruneIntervalSeconds is 86401: give 1 to 86400 seconds (default 600)")]
    [InlineData(1, 1, 1, 0, "History:PruneBatch is 0: give 1 to 10000 keys (default 500)")]
    [InlineData(1, 1, 1, 10_001, "History:PruneBatch is 10001: give 1 to 10000 keys (default 500)")]
    public void AValueOutOfItsRange_IsNamed(int entries, int days, int interval, int batch, string problem)
    {
        var options = new HistoryOptions { MaxEntriesPerFunction = entries, MaxAgeDays = days, PruneIntervalSeconds = interval, PruneBatch = batch };

        Assert.Equal([problem], options.Problems());
    }

    [Theory]
    [InlineData(0L, null)]
    [InlineData(1L << 30, null)]
    [InlineData(-1L, "History:ChangesCacheBytes is -1: give 0 (none kept) to 1073741824 bytes (default 8388608)")]
    [InlineData((1L << 30) + 1, "History:ChangesCacheBytes is 1073741825: give 0 (none kept) to 1073741824 bytes (default 8388608)")]
    public void ChangesCacheBytes_IsZeroTo1GiB(long bytes, string? problem)
    {
        Assert.Equal(problem is null ? [] : [problem], new HistoryOptions { ChangesCacheBytes = bytes }.Problems());
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(100_000_000, null)]
    [InlineData(-1, "History:PruneAfterAppends is -1: give 0 (only every History:PruneIntervalSeconds) to 100000000 entries (default 10000)")]
    [InlineData(100_000_001, "History:PruneAfterAppends is 100000001: give 0 (only every History:PruneIntervalSeconds) to 100000000 entries (default 10000)")]
    public void PruneAfterAppends_IsZeroTo100Million(int appends, string? problem)
    {
        Assert.Equal(problem is null ? [] : [problem], new HistoryOptions { PruneAfterAppends = appends }.Problems());
    }

    [Fact]
    public void EveryValueOutOfRange_IsNamed_EachOnce()
    {
        Assert.Equal(6, new HistoryOptions { MaxEntriesPerFunction = -1, MaxAgeDays = -1, PruneIntervalSeconds = -1, PruneBatch = -1, ChangesCacheBytes = -1, PruneAfterAppends = -1 }.Problems().Count());
    }
}