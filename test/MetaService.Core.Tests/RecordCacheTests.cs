using MetaService.Core.Catalog;
using MetaService.Core.Records;

using Xunit;

namespace MetaService.Core.Tests;

public sealed class RecordCacheTests
{
    private const int Overhead = RecordCache.EntryOverhead;

    [Fact]
    public void Find_GivesTheRecordAtExactlyItsModRevision()
    {
        var cache = new RecordCache(10_000);
        var record = Record("a");
        cache.Keep("/a", 5, record, 100);

        Assert.Same(record, cache.Find("/a", 5));
        Assert.Null(cache.Find("/a", 6));
        Assert.Null(cache.Find("/b", 5));
    }

    [Fact]
    public void Keep_BeyondTheBytes_DropsTheLeastRecentlyUsed_UntilItFits()
    {
        var cache = new RecordCache(3 * (100 + Overhead));
        cache.Keep("/a", 1, Record("a"), 100);
        cache.Keep("/b", 2, Record("b"), 100);
        cache.Keep("/c", 3, Record("c"), 100);
        Assert.NotNull(cache.Find("/a", 1));

        cache.Keep("/d", 4, Record("d"), 200);

        Assert.NotNull(cache.Find("/a", 1));
        Assert.Null(cache.Find("/b", 2));
        Assert.Null(cache.Find("/c", 3));
        Assert.NotNull(cache.Find("/d", 4));
        Assert.Equal(100 + 200 + (2 * Overhead), cache.Bytes);
    }

    [Fact]
    public void Keep_OfANewerRevision_ReplacesTheOlder_AndCountsOnlyTheNewer()
    {
        var cache = new RecordCache(10_000);
        cache.Keep("/a", 6, Record("old"), 300);
        var newer = Record("new");

        cache.Keep("/a", 7, newer, 100);

        Assert.Same(newer, cache.Find("/a", 7));
        Assert.Null(cache.Find("/a", 6));
        Assert.Equal(100 + Overhead, cache.Bytes);
    }

    [Fact]
    public void Keep_OfAnOlderRevision_LeavesTheNewerOne()
    {
        var cache = new RecordCache(10_000);
        var newer = Record("new");
        cache.Keep("/a", 7, newer, 100);

        cache.Keep("/a", 6, Record("old"), 100);

        Assert.Same(newer, cache.Find("/a", 7));
        Assert.Null(cache.Find("/a", 6));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(Overhead + 99, 100)]
    public void ARecordBiggerThanTheCache_IsNotKept_AndEvictsNothing(long capacity, int size)
    {
        var cache = new RecordCache(capacity);
        cache.Keep("/a", 1, Record("x"), size);

        Assert.Null(cache.Find("/a", 1));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void ARecordBiggerThanTheCache_LeavesTheRecordsKeptBefore()
    {
        var cache = new RecordCache(2 * (100 + Overhead));
        cache.Keep("/a", 1, Record("a"), 100);

        cache.Keep("/b", 2, Record("b"), 300 + Overhead);

        Assert.NotNull(cache.Find("/a", 1));
        Assert.Null(cache.Find("/b", 2));
        Assert.Equal(100 + Overhead, cache.Bytes);
    }

    [Fact]
    public void Keep_AgainAtTheSameRevision_MakesTheRecordTheMostRecentlyUsed()
    {
        var cache = new RecordCache(2 * (100 + Overhead));
        cache.Keep("/a", 1, Record("a"), 100);
        cache.Keep("/b", 2, Record("b"), 100);

        cache.Keep("/a", 1, Record("a"), 100);
        cache.Keep("/c", 3, Record("c"), 100);

        Assert.NotNull(cache.Find("/a", 1));
        Assert.Null(cache.Find("/b", 2));
        Assert.NotNull(cache.Find("/c", 3));
    }

    [Fact]
    public void Keep_OfANewerRevision_LeavesNoTraceOfTheOlder_InWhatIsDroppedNext()
    {
        var cache = new RecordCache(2 * (100 + Overhead));
        cache.Keep("/a", 1, Record("a"), 100);
        cache.Keep("/b", 2, Record("b"), 100);
        var newer = Record("a2");
        cache.Keep("/a", 3, newer, 100);

        cache.Keep("/c", 4, Record("c"), 100);

        Assert.Same(newer, cache.Find("/a", 3));
        Assert.Null(cache.Find("/b", 2));
        Assert.NotNull(cache.Find("/c", 4));
        Assert.Equal(2 * (100 + Overhead), cache.Bytes);
    }

    [Fact]
    public void ARecordThatFillsTheCacheExactly_IsKept()
    {
        var cache = new RecordCache(Overhead + 100);
        cache.Keep("/a", 1, Record("x"), 100);

        Assert.NotNull(cache.Find("/a", 1));
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