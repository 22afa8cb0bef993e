using MetaService.Sqlite;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The embedded store's settings' checks: each bound is exact, and each problem names its key and what to give.</summary>
public sealed class SqliteOptionsTests
{
    private static readonly SqliteStoreOptions Valid = new() { DataDirectory = "/var/lib/meta" };

    [Fact]
    public void TheDefaults_HaveNoProblem()
    {
        Assert.Empty(Valid.Problems());
    }

    [Fact]
    public void EachBound_IsAllowed()
    {
        Assert.Empty((Valid with { HistoryRetention = 1, MaxBatch = 1, FeedCapacityBytes = 1 }).Problems());
        Assert.Empty((Valid with { HistoryRetention = int.MaxValue, MaxBatch = 10_000, FeedCapacityBytes = long.MaxValue }).Problems());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void HistoryRetention_BelowOne_IsAProblem(int retention)
    {
        Assert.Equal(
            [$"Store:Sqlite:HistoryRetention is {retention}: keep at least 1 revision of history (default 100000)"],
            (Valid with { HistoryRetention = retention }).Problems());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_001)]
    public void MaxBatch_OutsideOneTo10000_IsAProblem(int batch)
    {
        Assert.Equal(
            [$"Store:Sqlite:MaxBatch is {batch}: give 1 (one fsync per write) to 10000 (default 256)"],
            (Valid with { MaxBatch = batch }).Problems());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void FeedCapacityBytes_BelowOne_IsAProblem(long capacity)
    {
        Assert.Equal(
            [$"Store:Sqlite:FeedCapacityBytes is {capacity}: give at least 1 byte (default 16777216; watchers further behind read the file)"],
            (Valid with { FeedCapacityBytes = capacity }).Problems());
    }

    [Fact]
    public void EveryProblem_IsNamed_InTheOrderOfTheSettings()
    {
        var problems = (Valid with { HistoryRetention = 0, MaxBatch = 0, FeedCapacityBytes = 0 }).Problems().ToList();

        Assert.Equal(3, problems.Count);
        Assert.StartsWith("Store:Sqlite:HistoryRetention", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Store:Sqlite:MaxBatch", problems[1], StringComparison.Ordinal);
        Assert.StartsWith("Store:Sqlite:FeedCapacityBytes", problems[2], StringComparison.Ordinal);
    }

    [Fact]
    public void TheFile_IsMetaDb_InTheDataDirectory()
    {
        Assert.Equal(Path.Combine("/var/lib/meta", "meta.db"), Valid.DatabasePath);
    }
}