using MetaService.Server.Watch;

namespace MetaService.Server.Tests.Watching;

/// <summary>The ring of one kind's recent changes: what readers see (published revisions only, whole, filtered), where
/// they read next, what it forgets when its bytes pass the bound or the store compacts, and when it wakes them.</summary>
public sealed class WatchRingTests
{
    /// <summary>What a change costs the ring beyond its data (<see cref="WatchChange.Size"/>, with an empty scope and name).</summary>
    private const int Overhead = 160;

    private static readonly WatchFilter All = new("", null, Masked: false);

    [Fact]
    public void ANewRing_HoldsWhatFollowsItsRevision_AndNothingBefore()
    {
        var ring = new WatchRing(4096, 10);

        var next = ring.Read(11, All, 10);
        var before = ring.Read(10, All, 10);
        var ahead = ring.Read(15, All, 10);

        Assert.Equal((11L, 10L), (ring.First, ring.Published));
        Assert.Equal((true, 0, 11L), (next.Held, next.Changes.Count, next.Next));
        Assert.Equal((false, 0, 10L), (before.Held, before.Changes.Count, before.Next));
        Assert.Equal((true, 0, 15L), (ahead.Held, ahead.Changes.Count, ahead.Next));
    }

    [Fact]
    public void AddedChanges_AreReadOnlyOnceTheirRevisionIsPublished()
    {
        var ring = new WatchRing(4096, 10);
        ring.Add(Change(11));
        ring.Add(Change(12));

        var unpublished = ring.Read(11, All, 10);
        ring.Publish(11);
        var first = ring.Read(11, All, 10);
        ring.Publish(12);
        var both = ring.Read(11, All, 10);

        Assert.Equal((0, 11L), (unpublished.Changes.Count, unpublished.Next));
        Assert.Equal([11L], Revisions(first));
        Assert.Equal(12L, first.Next);
        Assert.Equal([11L, 12L], Revisions(both));
        Assert.Equal(13L, both.Next);
        Assert.Equal(12L, ring.Published);
    }

    [Fact]
    public void ARevisionPublished_WithNoChangeOfTheKind_MovesTheNextReadOn()
    {
        var ring = new WatchRing(4096, 10);

        ring.Publish(15);
        var read = ring.Read(11, All, 10);

        Assert.Equal((true, 0, 16L), (read.Held, read.Changes.Count, read.Next));
        Assert.Equal(11L, ring.First);
    }

    [Fact]
    public void AChange_AtOrBeforeThePublishedRevision_OrBeforeTheLastAdded_IsRefused()
    {
        var ring = new WatchRing(4096, 10);
        ring.Add(Change(12));
        ring.Add(Change(12));

        var behind = Assert.Throws<ArgumentException>(() => ring.Add(Change(11)));
        ring.Publish(12);
        var published = Assert.Throws<ArgumentException>(() => ring.Add(Change(12)));

        Assert.StartsWith("change at revision 11 after revision 12", behind.Message, StringComparison.Ordinal);
        Assert.StartsWith("change at revision 12 after revision 12", published.Message, StringComparison.Ordinal);
        Assert.Equal([12L, 12L], Revisions(ring.Read(11, All, 10)));
    }

    [Fact]
    public void APublishOfAnEarlierRevision_ChangesNothing_AndWakesNobody()
    {
        var ring = new WatchRing(4096, 10);
        ring.Publish(12);
        var signal = ring.Signal;

        ring.Publish(12);
        ring.Publish(11);

        Assert.Equal(12L, ring.Published);
        Assert.False(signal.IsCompleted);
    }

    [Fact]
    public void APublish_AReset_AndATick_EachWakeTheReaders_WithANewSignalForTheNext()
    {
        var ring = new WatchRing(4096, 10);
        var beforePublish = ring.Read(11, All, 10).Signal;
        ring.Publish(11);
        var beforeTick = ring.Signal;
        ring.Tick();
        var beforeReset = ring.Signal;
        ring.Reset(20);

        Assert.True(beforePublish.IsCompleted);
        Assert.True(beforeTick.IsCompleted);
        Assert.True(beforeReset.IsCompleted);
        Assert.False(ring.Signal.IsCompleted);
        Assert.NotSame(beforeReset, ring.Signal);
        Assert.Equal(1L, ring.Ticks);
    }

    [Fact]
    public void AReader_GetsTheChangesItsFilterTakes_FromItsRevisionOn()
    {
        var ring = new WatchRing(4096, 10);
        ring.Add(Change(11, "t/p", "a"));
        ring.Add(Change(12, "t/p", "b"));
        ring.Add(Change(13, "other/p", "a"));
        ring.Add(Change(14, "t/p", "a"));
        ring.Publish(14);

        var tenant = ring.Read(11, new WatchFilter("t/p", null, false), 10);
        var named = ring.Read(11, new WatchFilter("t/p", "a", false), 10);
        var later = ring.Read(13, new WatchFilter("t/p", null, false), 10);

        Assert.Equal([11L, 12L, 14L], Revisions(tenant));
        Assert.Equal([11L, 14L], Revisions(named));
        Assert.Equal([14L], Revisions(later));
        Assert.Equal(15L, later.Next);
    }

    [Fact]
    public void AReadOfAtMostMax_EndsWithAWholeRevision_AndNextIsTheRevisionAfter()
    {
        var ring = new WatchRing(4096, 10);
        ring.Add(Change(11));
        ring.Add(Change(11));
        ring.Add(Change(12));
        ring.Add(Change(13));
        ring.Publish(13);

        var one = ring.Read(11, All, 1);
        var three = ring.Read(11, All, 3);
        var rest = ring.Read(one.Next, All, 1);

        Assert.True(one.Held && three.Held && rest.Held);
        Assert.Equal([11L, 11L], Revisions(one));
        Assert.Equal(12L, one.Next);
        Assert.Equal([11L, 11L, 12L], Revisions(three));
        Assert.Equal(13L, three.Next);
        Assert.Equal([12L], Revisions(rest));
        Assert.Equal(13L, rest.Next);
    }

    [Fact]
    public void PastItsBytes_TheRingForgetsItsOldestWholeRevisions_AndAReadFromThemIsNotHeld()
    {
        // Three changes of 100 bytes' data fit; a fourth does not.
        var ring = new WatchRing(3 * (100 + Overhead), 10);
        ring.Add(Change(11, bytes: 100));
        ring.Add(Change(11, bytes: 100));
        ring.Add(Change(12, bytes: 100));
        ring.Publish(12);
        var full = ring.Read(11, All, 10);

        ring.Add(Change(13, bytes: 100));
        ring.Publish(13);

        Assert.Equal([11L, 11L, 12L], Revisions(full));
        Assert.Equal(12L, ring.First);
        Assert.False(ring.Read(11, All, 10).Held);
        Assert.Equal([12L, 13L], Revisions(ring.Read(12, All, 10)));
    }

    [Fact]
    public void ChangesNotYetPublished_AreNeverForgottenForTheBound()
    {
        var ring = new WatchRing(100 + Overhead, 10);
        ring.Add(Change(11, bytes: 100));
        ring.Publish(11);
        ring.Add(Change(12, bytes: 100));
        ring.Add(Change(13, bytes: 100));
        ring.Publish(12);

        // Past the bound with 13 unpublished: every published revision is forgotten, and 13 stays to be published.
        Assert.Equal(13L, ring.First);
        Assert.Equal((true, 0), (ring.Read(13, All, 10).Held, ring.Read(13, All, 10).Changes.Count));
        ring.Publish(13);
        Assert.Equal([13L], Revisions(ring.Read(13, All, 10)));
        Assert.Equal(13L, ring.First);
    }

    [Fact]
    public void PastTheBound_WithTwoRevisionsUnpublished_TheRingForgetsOnlyWhatWasPublished()
    {
        var ring = new WatchRing(100 + Overhead, 10);
        ring.Add(Change(11, bytes: 100));
        ring.Add(Change(12, bytes: 100));
        ring.Add(Change(13, bytes: 100));

        ring.Publish(11);
        var first = ring.First;
        ring.Publish(13);

        Assert.Equal(12L, first);
        Assert.Equal(13L, ring.First);
        Assert.Equal([13L], Revisions(ring.Read(13, All, 10)));
    }

    [Fact]
    public void AfterManyChangesForgotten_ReadsFindTheirRevisionsAsBefore()
    {
        // Ten changes fit; 3,000 pass, so the forgotten ones are removed from the list more than once.
        var ring = new WatchRing(10 * (10 + Overhead), 0);
        for (var revision = 1; revision <= 3000; revision++)
        {
            ring.Add(Change(revision, bytes: 10));
            if (revision % 7 == 0)
            {
                ring.Add(Change(revision, bytes: 10));
            }

            ring.Publish(revision);
        }

        var held = ring.Read(ring.First, All, 100);
        var middle = ring.Read(2996, All, 2);

        Assert.Equal(Enumerable.Range((int)ring.First, (int)(3001 - ring.First)).SelectMany(r => r % 7 == 0 ? new long[] { r, r } : [r]), Revisions(held));
        Assert.InRange(held.Changes.Count, 9, 10);
        Assert.Equal([2996L, 2996L], Revisions(middle));
        Assert.Equal(2997L, middle.Next);
        Assert.False(ring.Read(ring.First - 1, All, 100).Held);
    }

    [Fact]
    public void DroppedUnpublishedChanges_AreGone_TheirBytesWithThem_AndTheRevisionCanBeAddedAgain()
    {
        var ring = new WatchRing(2 * (100 + Overhead), 10);
        ring.Add(Change(11, bytes: 100));
        ring.Publish(11);
        ring.Add(Change(12, bytes: 100));
        ring.Add(Change(13, bytes: 100));

        ring.DropUnpublished();
        ring.Add(Change(12, bytes: 100));
        ring.Publish(13);

        Assert.Equal([11L, 12L], Revisions(ring.Read(11, All, 10)));
        Assert.Equal((11L, 13L), (ring.First, ring.Published));
    }

    [Fact]
    public void AReset_ForgetsEverything_AndTheRingHoldsWhatFollowsItsRevision()
    {
        // One change fits: 11 is forgotten when 12 is published.
        var ring = new WatchRing(10 + Overhead, 10);
        ring.Add(Change(11));
        ring.Publish(11);
        ring.Add(Change(12));
        ring.Publish(12);
        ring.Add(Change(13));

        ring.Reset(20);
        ring.Add(Change(21));
        ring.Publish(21);

        Assert.Equal((21L, 21L), (ring.First, ring.Published));
        Assert.False(ring.Read(11, All, 10).Held);
        Assert.Equal([21L], Revisions(ring.Read(21, All, 10)));
    }

    [Fact]
    public void AfterAReset_TheBytesCountFromNothing()
    {
        var ring = new WatchRing(2 * (100 + Overhead), 10);
        ring.Add(Change(11, bytes: 100));
        ring.Add(Change(12, bytes: 100));
        ring.Publish(12);

        ring.Reset(20);
        ring.Add(Change(21, bytes: 100));
        ring.Add(Change(22, bytes: 100));
        ring.Publish(22);

        Assert.Equal(21L, ring.First);
        Assert.Equal([21L, 22L], Revisions(ring.Read(21, All, 10)));
    }

    private static WatchChange Change(long revision, string scope = "", string name = "", int bytes = 10) =>
        new(revision, $"/k/{revision}", scope, name, deleted: false, bytes, () => [], null);

    private static long[] Revisions(RingRead read) => [.. read.Changes.Select(c => c.Revision)];
}