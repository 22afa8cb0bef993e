using MetaService.Core.Catalog;
using MetaService.Core.Records;

using Xunit;

namespace MetaService.Core.Tests;

public sealed class RecentRecordsTests
{
    [Fact]
    public void Find_GivesTheRecordAtExactlyItsModRevision()
    {
        var recent = new RecentRecords(4);
        var record = Record("a");
        recent.Keep("/a", 5, record);

        Assert.Same(record, recent.Find("/a", 5));
        Assert.Null(recent.Find("/a", 6));
        Assert.Null(recent.Find("/b", 5));
    }

    [Fact]
    public void Keep_BeyondTheCapacity_DropsTheLeastRecentlyUsed()
    {
        var recent = new RecentRecords(2);
        recent.Keep("/a", 1, Record("a"));
        recent.Keep("/b", 2, Record("b"));
        Assert.NotNull(recent.Find("/a", 1));

        recent.Keep("/c", 3, Record("c"));

        Assert.NotNull(recent.Find("/a", 1));
        Assert.Null(recent.Find("/b", 2));
        Assert.NotNull(recent.Find("/c", 3));
    }

    [Fact]
    public void Keep_OfAnOlderRevision_LeavesTheNewerOne()
    {
        var recent = new RecentRecords(2);
        var newer = Record("new");
        recent.Keep("/a", 7, newer);

        recent.Keep("/a", 6, Record("old"));

        Assert.Same(newer, recent.Find("/a", 7));
        Assert.Null(recent.Find("/a", 6));
    }

    [Fact]
    public void Keep_WithNoCapacity_KeepsNothing()
    {
        var recent = new RecentRecords(0);
        recent.Keep("/a", 1, Record("x"));

        Assert.Null(recent.Find("/a", 1));
    }

    private static FunctionRecord Record(string name) => new()
    {
        TenantId = "t",
        Name = name,
        Version = "latest",
        Runtime = "python3.9",
        RevisionId = "1",
        CreateTime = "",
        PublishTime = "",
    };
}