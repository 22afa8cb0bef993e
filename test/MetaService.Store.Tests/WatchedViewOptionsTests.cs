using MetaService.Core.Storage;
using MetaService.Etcd;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The settings of the etcd view refuse, each naming itself, what it cannot run with; and take the edges it
/// can.</summary>
public sealed class WatchedViewOptionsTests
{
    [Fact]
    public void TheDefaults_AndTheSmallestValuesAllowed_HaveNoProblem()
    {
        Assert.Empty(new WatchedViewOptions().Problems());
        Assert.Empty(new WatchedViewOptions { ReadYourWritesTimeout = TimeSpan.FromTicks(1), ResyncDelay = TimeSpan.Zero, ChangeFeedBytes = 1 }.Problems());
    }

    [Theory]
    [InlineData(0, 200, 1, "Store:View:ReadYourWritesTimeout is 00:00:00: give a positive duration")]
    [InlineData(-1, 200, 1, "Store:View:ReadYourWritesTimeout is -00:00:00.0010000: give a positive duration")]
    [InlineData(5000, -1, 1, "Store:View:ResyncDelay is -00:00:00.0010000: give a duration of 0 or more")]
    [InlineData(5000, 200, 0, "Store:View:ChangeFeedBytes is 0: give at least 1 byte")]
    public void AValueOutOfRange_IsTheOneProblem_NamingIt(int readYourWritesMs, int resyncMs, long feedBytes, string problem)
    {
        var options = new WatchedViewOptions
        {
            ReadYourWritesTimeout = TimeSpan.FromMilliseconds(readYourWritesMs),
            ResyncDelay = TimeSpan.FromMilliseconds(resyncMs),
            ChangeFeedBytes = feedBytes,
        };

        Assert.StartsWith(problem, Assert.Single(options.Problems()), StringComparison.Ordinal);
    }

    [Fact]
    public void NoCachedPrefix_IsAProblem()
    {
        Assert.StartsWith("Store:View:CachedPrefixes is empty", Assert.Single(new WatchedViewOptions { CachedPrefixes = [] }.Problems()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/repo/")] // holds the function records
    [InlineData("/")]
    [InlineData(PlatformKeys.RecordRoot)]
    [InlineData(PlatformKeys.RecordRoot + "yrk/")] // lies inside them
    public void APrefixCoveringTheFunctionRecords_IsAProblem_NamingIt(string prefix)
    {
        var problem = Assert.Single(new WatchedViewOptions { CachedPrefixes = ["/yr/podpools/", prefix] }.Problems());

        Assert.Equal(
            $"Store:View:CachedPrefixes holds '{prefix}', which covers the function records ({PlatformKeys.RecordRoot}): "
                + "the function catalog keeps those, so give prefixes outside them (default /yr/podpools/)",
            problem);
    }

    [Theory]
    [InlineData("/yr/podpools/")]
    [InlineData("/repo/Alias/")]
    public void APrefixBesideTheFunctionRecords_IsNoProblem(string prefix)
    {
        Assert.Empty(new WatchedViewOptions { CachedPrefixes = [prefix] }.Problems());
    }
}