using MetaService.Server.Idempotency;

namespace MetaService.Server.Tests.IdempotencyKeys;

/// <summary>The <c>Idempotency:</c> settings: their defaults, their bounds, and each problem's message.</summary>
public sealed class IdempotencyOptionsTests
{
    [Fact]
    public void Defaults_AreADayOfKeys_PrunedEveryTenMinutes()
    {
        var options = new IdempotencyOptions();

        Assert.Equal((86400, 600, TimeSpan.FromDays(1)), (options.WindowSeconds, options.PruneIntervalSeconds, options.Window));
        Assert.Empty(options.Problems());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2592000, 86400)]
    public void TheBounds_AreNoProblem(int window, int prune) =>
        Assert.Empty(new IdempotencyOptions { WindowSeconds = window, PruneIntervalSeconds = prune }.Problems());

    [Theory]
    [InlineData(0, 600, "Idempotency:WindowSeconds is 0: give 1 to 2592000 seconds (default 86400, 24 h)")]
    [InlineData(2592001, 600, "Idempotency:WindowSeconds is 2592001: give 1 to 2592000 seconds (default 86400, 24 h)")]
    [InlineData(86400, 0, "Idempotency:PruneIntervalSeconds is 0: give 1 to 86400 seconds (default 600)")]
    [InlineData(86400, 86401, "Idempotency:PruneIntervalSeconds is 86401: give 1 to 86400 seconds (default 600)")]
    public void OutOfRange_IsAProblem_NamingTheSettingAndItsBounds(int window, int prune, string problem) =>
        Assert.Equal([problem], new IdempotencyOptions { WindowSeconds = window, PruneIntervalSeconds = prune }.Problems());

    [Fact]
    public void BothOutOfRange_AreTwoProblems() =>
        Assert.Equal(2, new IdempotencyOptions { WindowSeconds = -1, PruneIntervalSeconds = -1 }.Problems().Count());
}