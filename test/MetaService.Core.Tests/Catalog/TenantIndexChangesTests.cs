using MetaService.Core.Catalog;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Catalog;

/// <summary>How the tenant index applies the watch's puts and deletes: a change older than (or as old as) what the index
/// holds changes nothing, so a replayed revision is harmless; counts and the keys changed after a revision follow.</summary>
public sealed class TenantIndexChangesTests
{
    private static readonly Tenant Alice = new("alice", "shop");

    [Fact]
    public void APut_AddsTheVersion_AndAPutAtALaterRevisionReplacesIt()
    {
        var index = New();

        index.Apply(Entry(index, "a", "1", 5), put: true);
        index.Apply(Entry(index, "a", "1", 6), put: true);

        Assert.Equal(6, Find(index, "a", "1")!.ModRevision);
        Assert.Equal((1L, 1L, 1L), (index.Functions, index.Published, index.Entries));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    public void APut_AtTheRevisionHeldOrAnEarlierOne_ChangesNothing(long replayed)
    {
        var index = New();
        var held = Entry(index, "a", "1", 5);
        index.Apply(held, put: true);

        index.Apply(Entry(index, "a", "1", replayed), put: true);

        Assert.Same(held, Find(index, "a", "1"));
        Assert.Equal((1L, 1L, 1L), (index.Functions, index.Published, index.Entries));
    }

    [Fact]
    public void ADelete_AtALaterRevision_RemovesTheVersion_AndTheFunctionWithItsLast()
    {
        var index = New();
        index.Apply(Entry(index, "a", "$latest", 3), put: true);
        index.Apply(Entry(index, "a", "1", 4), put: true);

        index.Apply(Entry(index, "a", "1", 7), put: false);

        Assert.Null(Find(index, "a", "1"));
        Assert.Equal((1L, 0L, 1L), (index.Functions, index.Published, index.Entries));

        index.Apply(Entry(index, "a", "$latest", 8), put: false);

        Assert.Equal((0L, 0L, 0L), (index.Functions, index.Published, index.Entries));
        Assert.Empty(index.Match(null, null));
        Assert.Empty(index.Match("a", null));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    public void ADelete_AtTheRevisionHeldOrAnEarlierOne_LeavesTheVersion(long replayed)
    {
        var index = New();
        index.Apply(Entry(index, "a", "1", 4), put: true);

        index.Apply(Entry(index, "a", "1", replayed), put: false);

        Assert.Equal(4, Find(index, "a", "1")!.ModRevision);
        Assert.Equal((1L, 1L, 1L), (index.Functions, index.Published, index.Entries));
    }

    [Fact]
    public void ADelete_OfAVersionOrFunctionTheIndexDoesNotHold_ChangesNothing()
    {
        var index = New();
        index.Apply(Entry(index, "a", "1", 4), put: true);

        index.Apply(Entry(index, "a", "2", 9), put: false);
        index.Apply(Entry(index, "b", "1", 9), put: false);
        index.Remove(Entry(index, "c", "1", 9));

        Assert.Equal((1L, 1L, 1L), (index.Functions, index.Published, index.Entries));
        Assert.Equal(["a"], index.Match(null, null).Select(e => e.Name));
    }

    [Fact]
    public void Drafts_AreEntries_ButNotPublishedVersions()
    {
        var index = New();
        index.Apply(Entry(index, "a", "$latest", 1), put: true);
        index.Apply(Entry(index, "b", "latest", 2), put: true);
        index.Apply(Entry(index, "b", "v1", 3), put: true);

        Assert.Equal((2L, 1L, 3L), (index.Functions, index.Published, index.Entries));

        index.Apply(Entry(index, "b", "latest", 4), put: false);
        Assert.Equal((2L, 1L, 2L), (index.Functions, index.Published, index.Entries));
    }

    [Fact]
    public void KeysChangedAfter_NamesOnlyTheEntriesAtALaterRevision()
    {
        var index = New();
        index.Apply(Entry(index, "a", "$latest", 3), put: true);
        index.Apply(Entry(index, "a", "1", 4), put: true);
        index.Apply(Entry(index, "b", "$latest", 5), put: true);

        Assert.Equal(
            [PlatformKeys.Record(Alice, "a", "1"), PlatformKeys.Record(Alice, "b", "$latest")],
            index.KeysChangedAfter(3).Order(StringComparer.Ordinal));
        Assert.Empty(index.KeysChangedAfter(5));
        Assert.Equal(3, index.KeysChangedAfter(2).Count());
    }

    [Fact]
    public void Find_WantsTheFunctionAndTheKey()
    {
        var index = New();
        index.Apply(Entry(index, "a", "1", 4), put: true);

        Assert.Null(index.Find("shop", "a", PlatformKeys.Record(Alice, "a", "2")));
        Assert.Null(index.Find("other", "a", PlatformKeys.Record(Alice, "a", "1")));
        Assert.Null(index.Find("shop", "b", PlatformKeys.Record(Alice, "a", "1")));
        Assert.Equal(["1"], index.Versions("shop", "a").Select(e => e.Version));
        Assert.Empty(index.Versions("other", "a"));
    }

    [Fact]
    public void AFunctionDeletedAndCreatedAgain_IsFoundOnce_ByItsNameFilter()
    {
        var index = New();
        index.Apply(Entry(index, "again", "$latest", 1), put: true);
        Assert.Single(index.Match("gai", null));

        index.Apply(Entry(index, "again", "$latest", 2), put: false);
        Assert.Empty(index.Match("gai", null));

        index.Apply(Entry(index, "again", "$latest", 3), put: true);
        Assert.Equal([3L], index.Match("gai", null).Select(e => e.ModRevision));
        Assert.Equal([3L], index.MatchAfter("gai", null, null, 10).Select(e => e.ModRevision));
    }

    [Fact]
    public void ManyFunctionsDeleted_AfterTheNameIndexIsBuilt_LeaveOnlyTheLiveOnesFound()
    {
        var index = New();
        for (var i = 0; i < 1100; i++)
        {
            index.Apply(Entry(index, $"gone-{i:D4}", "$latest", i + 1), put: true);
        }

        index.Apply(Entry(index, "kept-gone", "$latest", 5000), put: true);
        Assert.Equal(1101, index.Match("gone", null).Count);

        for (var i = 0; i < 1100; i++)
        {
            index.Apply(Entry(index, $"gone-{i:D4}", "$latest", 6000 + i), put: false);
        }

        index.Apply(Entry(index, "gone-0001", "$latest", 9000), put: true);

        Assert.Equal(["gone-0001", "kept-gone"], index.Match("gone", null).Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["gone-0001"], index.Match("ne-0", null).Select(e => e.Name));
        Assert.Equal((2L, 2L), (index.Functions, index.Entries));
    }

    private static TenantIndex New() => new(PlatformKeys.TenantRecords(Alice));

    private static FunctionEntry? Find(TenantIndex index, string name, string version) =>
        index.Find("shop", name, PlatformKeys.Record(Alice, name, version));

    private static FunctionEntry Entry(TenantIndex index, string name, string version, long revision) =>
        FunctionEntry.Create(index.Prefix, PlatformKeys.Record(Alice, name, version), revision);
}