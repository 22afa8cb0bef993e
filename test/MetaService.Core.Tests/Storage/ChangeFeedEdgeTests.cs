using System.Text;

using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Storage;

/// <summary>The change feed at its edges: the exact size a change costs against the capacity, a change larger than the
/// whole window, a change not yet published however large, a read that stops at exactly <c>max</c>, a publish that covers
/// nothing new, a reset's window, a long run of trimmed revisions, and where waiting readers resume.</summary>
public sealed class ChangeFeedEdgeTests
{
    /// <summary>What one change of <see cref="Put"/> costs: its key's UTF-16 bytes (4 characters), its value (10 bytes)
    /// and 96 bytes of objects around them.</summary>
    private const int ChangeSize = (4 * 2) + 10 + 96;

    [Theory]
    [InlineData(2 * ChangeSize, 1)]
    [InlineData((2 * ChangeSize) - 1, 2)]
    public void AChange_CostsItsKeyValueAndOverhead_AgainstTheCapacity(long capacity, long first)
    {
        var feed = new ChangeFeed(capacity, revision: 0);
        feed.Add(Put("/k/1", 1));
        feed.Add(Put("/k/2", 2));
        feed.Publish(2);

        Assert.Equal(first, feed.First);
        Assert.Equal(first == 1 ? ["/k/1", "/k/2"] : ["/k/2"], feed.Read("/", first, 100).Events.Select(e => e.Kv.Key));
    }

    [Fact]
    public void AChangeLargerThanTheWindow_IsDroppedOncePublished_AndTheFeedGoesOn()
    {
        var feed = new ChangeFeed(ChangeSize - 1, revision: 0);
        feed.Add(Put("/k/1", 1));
        feed.Publish(1);

        Assert.Equal(2, feed.First);
        Assert.False(feed.Read("/", 1, 100).Held);
        var empty = feed.Read("/", 2, 100);
        Assert.True(empty.Held);
        Assert.Empty(empty.Events);

        feed.Add(Put("/k/2", 2));
        feed.Publish(2);
        Assert.Equal(3, feed.First);
    }

    [Fact]
    public async Task AChangeNotYetPublished_IsNeverTrimmed_EvenWhenItAloneIsOverTheCapacity()
    {
        var feed = new ChangeFeed(ChangeSize - 1, revision: 0);
        feed.Add(Put("/k/1", 1));
        feed.Add(Put("/k/2", 2));

        // Publishing revision 1 trims it; revision 2, over the capacity on its own but not visible yet, stays. (A trim
        // that went on past the visible changes would never end: nothing it could drop would bring the size down.)
        await Task.Run(() => feed.Publish(1), TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(2, feed.First);
        feed.Publish(2);
        Assert.Equal(3, feed.First);
    }

    [Fact]
    public void ARead_StopsAfterExactlyMaxChanges_WhenTheNextBeginsANewRevision_AndStillHoldsItsPosition()
    {
        var feed = new ChangeFeed(1 << 20, revision: 0);
        feed.Add(Put("/k/1", 1));
        feed.Add(Put("/k/2", 2));
        feed.Add(Put("/k/3", 3));
        feed.Publish(3);

        var read = feed.Read("/", 1, max: 1);

        Assert.True(read.Held);
        Assert.Equal(["/k/1"], read.Events.Select(e => e.Kv.Key));
        Assert.Equal(2, read.Next);
    }

    [Fact]
    public void APublishOfNothingNew_WakesNobody()
    {
        var feed = new ChangeFeed(1 << 20, revision: 4);
        feed.Add(Put("/k/1", 5));
        feed.Publish(5);
        var waiting = feed.Read("/", 6, 100).Changed;

        feed.Publish(5);
        feed.Publish(3);

        Assert.False(waiting.IsCompleted);
        Assert.Equal(5, feed.Published);
        feed.Publish(6);
        Assert.True(waiting.IsCompleted);
    }

    [Fact]
    public void AfterAReset_TheWindowStartsPastTheResetRevision_AndHoldsNothingFromBefore()
    {
        var feed = new ChangeFeed(3 * ChangeSize, revision: 0);
        feed.Add(Put("/k/1", 1));
        feed.Add(Put("/k/2", 2));
        feed.Publish(2);

        feed.Reset(10);

        Assert.Equal((11L, 10L), (feed.First, feed.Published));
        Assert.False(feed.Read("/", 10, 100).Held);
        feed.Add(Put("/k/3", 11));
        feed.Add(Put("/k/4", 12));
        feed.Add(Put("/k/5", 13));
        feed.Add(Put("/k/6", 14));
        feed.Publish(14);

        // Only the changes since the reset count against the capacity, and only they are dropped.
        Assert.Equal(12, feed.First);
        Assert.Equal(["/k/4", "/k/5", "/k/6"], feed.Read("/", 12, 100).Events.Select(e => e.Kv.Key));
    }

    [Fact]
    public void ALongRunOfTrimmedRevisions_LeavesTheNewestReadable()
    {
        var feed = new ChangeFeed(2 * ChangeSize, revision: 0);
        for (var revision = 1; revision <= 5000; revision++)
        {
            feed.Add(Put($"/k/{revision % 10}", revision));
            feed.Publish(revision);
        }

        Assert.Equal(4999, feed.First);
        var read = feed.Read("/", 4999, 100);
        Assert.Equal([4999L, 5000L], read.Events.Select(e => e.Kv.ModRevision));
        Assert.Equal(5001, read.Next);
        Assert.Equal([5000L], feed.Read("/k/0", 4999, 100).Events.Select(e => e.Kv.ModRevision));
    }

    [Fact]
    public void AnAddAfterAnUnpublishedRevision_NamesTheLatestRevision_WhenRefused()
    {
        var feed = new ChangeFeed(1 << 20, revision: 5);
        feed.Add(Put("/k/1", 7));

        Assert.Equal("change at revision 6 after revision 7 (Parameter 'change')", Assert.Throws<ArgumentException>(() => feed.Add(Put("/k/2", 6))).Message);
        Assert.Equal("change at revision 5 after revision 7 (Parameter 'change')", Assert.Throws<ArgumentException>(() => feed.Add(Put("/k/2", 5))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChangeFeed(0, revision: 0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WaitingReaders_ResumeOnThePublishingThread_OnlyWhenTheFeedAsksForIt(bool inline)
    {
        var feed = new ChangeFeed(1 << 20, revision: 0, wakeReadersInline: inline);
        var publishing = false;
        var publisher = Environment.CurrentManagedThreadId;
        var resumed = feed.Read("/", 1, 100).Changed.ContinueWith(
            _ => publishing && Environment.CurrentManagedThreadId == publisher,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        publishing = true;
        feed.Add(Put("/k/1", 1));
        feed.Publish(1);
        publishing = false;

        Assert.Equal(inline, await resumed.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    private static WatchEvent Put(string key, long revision) =>
        new(WatchEventType.Put, new KeyValue(key, Encoding.UTF8.GetBytes("0123456789"), revision, revision, 1));
}