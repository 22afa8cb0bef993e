using MetaService.Server.Watch;

namespace MetaService.Server.Tests.Watching;

/// <summary>The <c>Watch:</c> settings: their defaults, their bounds, and each problem's message.</summary>
public sealed class WatchOptionsTests
{
    [Fact]
    public void Defaults_AreAHeartbeatEvery15Seconds_A16MiBRing_AndA30SecondWriteTimeout()
    {
        var options = new WatchOptions();

        Assert.Equal((15d, 16L * 1024 * 1024, 30d), (options.HeartbeatSeconds, options.RingBytes, options.WriteTimeoutSeconds));
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)), (options.Heartbeat, options.WriteTimeout));
        Assert.Empty(options.Problems());
    }

    [Theory]
    [InlineData(0.05, 4096, 0.1)]
    [InlineData(3600, 4096, 3600)]
    public void TheBounds_AreNoProblem(double heartbeat, long ring, double writeTimeout) =>
        Assert.Empty(new WatchOptions { HeartbeatSeconds = heartbeat, RingBytes = ring, WriteTimeoutSeconds = writeTimeout }.Problems());

    [Theory]
    [InlineData(0, 4096, 30, "Watch:HeartbeatSeconds is 0: give seconds from 0.05 to 3600 (default 15)")]
    [InlineData(3601, 4096, 30, "Watch:HeartbeatSeconds is 3601: give seconds from 0.05 to 3600 (default 15)")]
    [InlineData(15, 4095, 30, "Watch:RingBytes is 4095: give at least 4096 bytes (default 16777216)")]
    [InlineData(15, 4096, 0, "Watch:WriteTimeoutSeconds is 0: give seconds from 0.1 to 3600 (default 30)")]
    [InlineData(15, 4096, 3601, "Watch:WriteTimeoutSeconds is 3601: give seconds from 0.1 to 3600 (default 30)")]
    public void OutOfRange_IsAProblem_NamingTheSettingAndItsBounds(double heartbeat, long ring, double writeTimeout, string problem) =>
        Assert.Equal([problem], new WatchOptions { HeartbeatSeconds = heartbeat, RingBytes = ring, WriteTimeoutSeconds = writeTimeout }.Problems());

    [Fact]
    public void AllOutOfRange_AreThreeProblems() =>
        Assert.Equal(3, new WatchOptions { HeartbeatSeconds = -1, RingBytes = 0, WriteTimeoutSeconds = -1 }.Problems().Count());
}