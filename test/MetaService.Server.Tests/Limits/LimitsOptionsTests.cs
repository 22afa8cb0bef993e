using MetaService.Server.Limits;

namespace MetaService.Server.Tests.Limits;

/// <summary>The <c>Limits:</c> settings: their defaults, their bounds, and each problem's message.</summary>
public sealed class LimitsOptionsTests
{
    [Fact]
    public void Defaults_AreNoProblem()
    {
        var options = new LimitsOptions();

        Assert.Equal((1000d, 2000, 8192, 32768, 100, 0), (options.RequestsPerSecond, options.RequestBurst, options.RequestLineBytes, options.RequestHeadersBytes, options.RequestHeaderCount, options.AllowedHosts.Length));
        Assert.Empty(options.Problems());
    }

    [Fact]
    public void TheBounds_NoRateLimit_AndHostNamesAddressesOrAStar_AreNoProblem()
    {
        Assert.Empty(new LimitsOptions { RequestsPerSecond = 0, RequestBurst = 1, RequestLineBytes = 256, RequestHeadersBytes = 1024, RequestHeaderCount = 10, AllowedHosts = ["*"] }.Problems());
        Assert.Empty(new LimitsOptions { RequestLineBytes = 262144, RequestHeadersBytes = 1048576, RequestHeaderCount = 10000, AllowedHosts = ["meta.example", "127.0.0.1", "::1"] }.Problems());
    }

    public static TheoryData<LimitsOptions, string> OutOfRange => new()
    {
        { new LimitsOptions { RequestsPerSecond = -1 }, "Limits:RequestsPerSecond is -1: give 0 (no limit) or a positive number (default 1000)" },
        { new LimitsOptions { RequestsPerSecond = double.NaN }, "Limits:RequestsPerSecond is NaN: give 0 (no limit) or a positive number (default 1000)" },
        { new LimitsOptions { RequestBurst = 0 }, "Limits:RequestBurst is 0: give a positive number of requests (default 2000)" },
        { new LimitsOptions { RequestLineBytes = 255 }, "Limits:RequestLineBytes is 255: give 256 to 262144 (default 8192)" },
        { new LimitsOptions { RequestLineBytes = 262145 }, "Limits:RequestLineBytes is 262145: give 256 to 262144 (default 8192)" },
        { new LimitsOptions { RequestHeadersBytes = 1023 }, "Limits:RequestHeadersBytes is 1023: give 1024 to 1048576 (default 32768)" },
        { new LimitsOptions { RequestHeadersBytes = 1048577 }, "Limits:RequestHeadersBytes is 1048577: give 1024 to 1048576 (default 32768)" },
        { new LimitsOptions { RequestHeaderCount = 9 }, "Limits:RequestHeaderCount is 9: give 10 to 10000 (default 100)" },
        { new LimitsOptions { RequestHeaderCount = 10001 }, "Limits:RequestHeaderCount is 10001: give 10 to 10000 (default 100)" },
        { new LimitsOptions { AllowedHosts = ["https://meta.example:8080"] }, "Limits:AllowedHosts has 'https://meta.example:8080', which is not a host name: give names or addresses without scheme or port, or *" },
    };

    [Fact]
    public void AnInfiniteRate_IsAProblem() =>
        Assert.EndsWith(": give 0 (no limit) or a positive number (default 1000)", Assert.Single(new LimitsOptions { RequestsPerSecond = double.PositiveInfinity }.Problems()), StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void OutOfRange_IsAProblem_NamingTheSettingAndItsBounds(LimitsOptions options, string problem) =>
        Assert.Equal([problem], options.Problems());
}