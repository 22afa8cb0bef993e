using MetaService.Core.Records;

using Xunit;

namespace MetaService.Core.Tests;

public sealed class TimestampsTests
{
    [Theory]
    [InlineData("2025-03-18T06:43:54.416Z", "20250318064354416")]
    [InlineData("2025-03-18T06:43:54.410Z", "2025031806435441")]
    [InlineData("2025-03-18T06:43:54.400Z", "202503180643544")]
    [InlineData("2025-03-18T06:43:54.000Z", "20250318064354")]
    public void FormatRevisionId_DropsTrailingZerosOfTheMilliseconds(string time, string expected)
    {
        var formatted = Timestamps.FormatRevisionId(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, formatted);
    }

    [Theory]
    [InlineData("20250318064354416")]
    [InlineData("2025031806435441")]
    [InlineData("20250318064354")]
    public void TryParseRevisionId_ReadsWhatFormatWrites(string revisionId)
    {
        var parsed = Timestamps.TryParseRevisionId(revisionId, out var time);

        Assert.True(parsed);
        Assert.Equal(revisionId, Timestamps.FormatRevisionId(time));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2025031806435")]
    [InlineData("202503180643544160")]
    [InlineData("2025031806435x41")]
    [InlineData("20251318064354416")]
    public void TryParseRevisionId_RejectsWhatIsNotOne(string revisionId)
    {
        Assert.False(Timestamps.TryParseRevisionId(revisionId, out _));
    }

    [Fact]
    public void NextRevisionId_WhenTheClockHasNotMoved_IsOneMillisecondLater()
    {
        var now = new DateTimeOffset(2025, 3, 18, 6, 43, 54, 416, TimeSpan.Zero);

        var first = Timestamps.NextRevisionId(now, null);
        var second = Timestamps.NextRevisionId(now, first);
        var third = Timestamps.NextRevisionId(now.AddSeconds(-5), second);

        Assert.Equal("20250318064354416", first);
        Assert.Equal("20250318064354417", second);
        Assert.Equal("20250318064354418", third);
    }

    [Fact]
    public void Format_IsUtcWithMilliseconds()
    {
        var formatted = Timestamps.Format(new DateTimeOffset(2024, 5, 9, 10, 25, 49, 477, TimeSpan.FromHours(8)));

        Assert.Equal("2024-05-09 02:25:49.477 UTC", formatted);
    }
}