using System.Text;

using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Storage;

/// <summary>The in-memory window of a store's latest changes: readers see published revisions only, whole and in order,
/// and a position before the window is not held.</summary>
public sealed class ChangeFeedTests
{
    [Fact]
    public void Read_GivesPublishedChangesUnderThePrefix_InRevisionOrder()
    {
        var feed = new ChangeFeed(1 << 20, revision: 10);
        feed.Add(Put("/a/1", 11));
        feed.Add(Put("/b/1", 11));
        feed.Add(Put("/a/2", 12));
        feed.Publish(12);
        feed.Add(Put("/a/3", 13));

        var read = feed.Read("/a/", 11, max: 100);

        Assert.True(read.Held);
        Assert.Equal(["/a/1", "/a/2"], read.Events.Select(e => e.Kv.Key));
        Assert.Equal(13, read.Next);
        Assert.False(read.Changed.IsCompleted);
    }

    [Fact]
    public void Read_FromBeforeTheWindow_IsNotHeld()
    {
        var feed = new ChangeFeed(1 << 20, revision: 10);

        Assert.False(feed.Read("/", 10, 100).Held);
        Assert.True(feed.Read("/", 11, 100).Held);
    }

    [Fact]
    public void Read_FromTheMiddle_SkipsOlderRevisions()
    {
        var feed = new ChangeFeed(1 << 20, revision: 0);
        for (var revision = 1; revision <= 5; revision++)
        {
            feed.Add(Put($"/k{revision}", revision));
        }

        feed.Publish(5);

        Assert.Equal(["/k4", "/k5"], feed.Read("/", 4, 100).Events.Select(e => e.Kv.Key));
        Assert.Empty(feed.Read("/", 6, 100).Events);
        Assert.Equal(6, feed.Read("/", 6, 100).Next);
    }

    [Fact]
    public void Read_StopsAtARevisionBoundary_AfterMax()
    {
        var feed = new ChangeFeed(1 << 20, revision: 0);
        feed.Add(Put("/a", 1));
        feed.Add(Put("/b", 1));
        feed.Add(Put("/c", 1));
        feed.Add(Put("/d", 2));
        feed.Publish(2);

        var read = feed.Read("/", 1, max: 2);

        Assert.Equal(["/a", "/b", "/c"], read.Events.Select(e => e.Kv.Key));
        Assert.Equal(2, read.Next);
    }

    [Fact]
    public void Publish_BeyondTheCapacity_DropsWholeOldestRevisions()
    {
        var feed = new ChangeFeed(3 * (1000 + 96 + (2 * 3)), revision: 0); // three changes of a 3-character key and 1000 bytes
        for (var revision = 1; revision <= 5; revision++)
        {
            feed.Add(Put("/k" + revision, revision, 1000));
            feed.Publish(revision);
        }

        Assert.Equal(3, feed.First);
        Assert.False(feed.Read("/", 2, 100).Held);
        Assert.Equal(["/k3", "/k4", "/k5"], feed.Read("/", 3, 100).Events.Select(e => e.Kv.Key));
    }

    [Fact]
    public async Task Changed_CompletesOnPublish()
    {
        var feed = new ChangeFeed(1 << 20, revision: 0);
        var waiting = feed.Read("/", 1, 100).Changed;

        feed.Add(Put("/a", 1));
        feed.Publish(1);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(["/a"], feed.Read("/", 1, 100).Events.Select(e => e.Kv.Key));
    }

    [Fact]
    public void Reset_PutsEarlierReadersOutsideTheWindow()
    {
        var feed = new ChangeFeed(1 << 20, revision: 0);
        feed.Add(Put("/a", 1));
        feed.Publish(1);
        var waiting = feed.Read("/", 2, 100).Changed;

        feed.Reset(7);

        Assert.True(waiting.IsCompleted);
        Assert.False(feed.Read("/", 2, 100).Held);
        Assert.True(feed.Read("/", 8, 100).Held);
        Assert.Equal(7, feed.Published);
    }

    [Fact]
    public void Add_OfAnOlderRevision_IsRefused()
    {
        var feed = new ChangeFeed(1 << 20, revision: 5);

        Assert.Throws<ArgumentException>(() => feed.Add(Put("/a", 5)));
        feed.Add(Put("/a", 7));
        Assert.Throws<ArgumentException>(() => feed.Add(Put("/b", 6)));
    }

    private static WatchEvent Put(string key, long revision, int size = 1) =>
        new(WatchEventType.Put, new KeyValue(key, Encoding.UTF8.GetBytes(new string('x', size)), revision, revision, 1));
}