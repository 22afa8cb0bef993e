using MetaService.Server.Functions;

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MetaService.Server.Tests.Functions;

/// <summary>The filters of the keyed list (<see cref="KeyedLists.Filter"/>): <c>kind</c> and <c>runtime</c> as given, and
/// <c>updatedSince</c> as an instant in UTC, written in RFC 3339 or in the answers' own time layout.</summary>
public sealed class ListFilterTests
{
    [Theory]
    [InlineData("2026-12-03T10:00:07Z")]
    [InlineData("2026-12-03T10:00:07.000Z")]
    [InlineData("2026-12-03 10:00:07.000 UTC")]
    [InlineData("2026-12-03T12:00:07+02:00")]
    [InlineData("2026-12-03T10:00:07")]
    public void UpdatedSince_IsTheInstantInUtc_WhicheverWayItIsWritten(string since)
    {
        var filter = Filtered(new() { ["updatedSince"] = since });

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 10, 0, 7, TimeSpan.Zero), filter.UpdatedSince);
        Assert.Equal(TimeSpan.Zero, filter.UpdatedSince!.Value.Offset);
    }

    [Fact]
    public void TheAnswersLayout_KeepsItsMilliseconds()
    {
        var filter = Filtered(new() { ["updatedSince"] = "2026-12-03 10:00:07.250 UTC" });

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 10, 0, 7, 250, TimeSpan.Zero), filter.UpdatedSince);
    }

    [Fact]
    public void KindAndRuntime_AreTakenAsGiven_AndNoUpdatedSinceIsNone()
    {
        var filter = Filtered(new() { ["kind"] = "yrlib", ["runtime"] = "java1.8" });

        Assert.Equal(("yrlib", "java1.8", (DateTimeOffset?)null), (filter.Kind, filter.Runtime, filter.UpdatedSince));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-12-03 10:00:07.000 CET")]
    [InlineData("UTC")]
    public void AnUpdatedSinceThatIsNoTime_IsRefused_WithBothLayoutsShown(string since)
    {
        Assert.False(KeyedLists.Filter(Query(new() { ["updatedSince"] = since })).TryGet(out _, out var error));

        Assert.Equal(4104, error.Code);
        Assert.Equal("updatedSince must be a time such as 2026-12-03T10:00:00Z or 2026-12-03 10:00:00.000 UTC" + Core.MetaError.CheckInput, error.Message);
    }

    private static Core.Functions.ListFilter Filtered(Dictionary<string, StringValues> values)
    {
        Assert.True(KeyedLists.Filter(Query(values)).TryGet(out var filter, out _));
        return filter;
    }

    private static QueryCollection Query(Dictionary<string, StringValues> values) => new(values);
}