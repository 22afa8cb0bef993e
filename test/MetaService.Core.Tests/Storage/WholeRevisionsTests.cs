using System.Threading.Channels;

using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Storage;

/// <summary>A watch followed by whole revisions: a revision is published only once all its changes are applied, when the
/// next revision begins or when the watch has nothing more at hand, never on its first change.</summary>
public sealed class WholeRevisionsTests
{
    [Fact]
    public async Task ARevision_IsPublished_AfterAllItsChanges_WhenTheNextBegins_OrTheWatchPauses()
    {
        var watch = Channel.CreateUnbounded<WatchEvent>();
        var log = new List<string>();
        Write(watch, 1, "/a");
        Write(watch, 2, "/b");
        Write(watch, 2, "/c");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var follow = WholeRevisions.FollowAsync(watch.Reader.ReadAllAsync(stop.Token), e => Add(log, $"apply {e.Kv.Key}@{e.Kv.ModRevision}"), r => Add(log, $"publish {r}"), stop.Token);
        await UntilAsync(log, "publish 2");

        Assert.Equal(["apply /a@1", "publish 1", "apply /b@2", "apply /c@2", "publish 2"], Snapshot(log));

        Write(watch, 4, "/d");
        await UntilAsync(log, "publish 4");
        Write(watch, 5, "/e");
        watch.Writer.Complete();
        await follow;

        Assert.Equal(["apply /d@4", "publish 4", "apply /e@5"], Snapshot(log)[5..8]);
        Assert.DoesNotContain("publish 2", Snapshot(log)[5..]);
    }

    [Fact]
    public async Task AWatchIdleFromTheStart_PublishesNothingUntilItsFirstRevision()
    {
        var watch = Channel.CreateUnbounded<WatchEvent>();
        var log = new List<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var follow = WholeRevisions.FollowAsync(watch.Reader.ReadAllAsync(stop.Token), e => Add(log, $"apply {e.Kv.Key}@{e.Kv.ModRevision}"), r => Add(log, $"publish {r}"), stop.Token);

        Write(watch, 3, "/a");
        await UntilAsync(log, "publish 3");
        watch.Writer.Complete();
        await follow;

        Assert.Equal(["apply /a@3", "publish 3"], Snapshot(log));
    }

    [Fact]
    public async Task AWatchThatFails_EndsTheFollowWithItsFault_AndAStopCancelsIt()
    {
        var failing = Channel.CreateUnbounded<WatchEvent>();
        Write(failing, 1, "/a");
        failing.Writer.Complete(new RevisionCompactedException(1, 3));
        var published = new List<long>();

        await Assert.ThrowsAsync<RevisionCompactedException>(() => WholeRevisions.FollowAsync(failing.Reader.ReadAllAsync(TestContext.Current.CancellationToken), _ => { }, published.Add, TestContext.Current.CancellationToken));

        var idle = Channel.CreateUnbounded<WatchEvent>();
        using var stop = new CancellationTokenSource();
        var follow = WholeRevisions.FollowAsync(idle.Reader.ReadAllAsync(stop.Token), _ => { }, published.Add, stop.Token);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follow);
    }

    [Fact]
    public async Task AnEmptyWatch_PublishesNothing()
    {
        var watch = Channel.CreateUnbounded<WatchEvent>();
        watch.Writer.Complete();
        var published = new List<long>();

        await WholeRevisions.FollowAsync(watch.Reader.ReadAllAsync(TestContext.Current.CancellationToken), _ => { }, published.Add, TestContext.Current.CancellationToken);

        Assert.Empty(published);
    }

    private static void Write(Channel<WatchEvent> watch, long revision, string key) =>
        Assert.True(watch.Writer.TryWrite(new WatchEvent(WatchEventType.Put, new KeyValue(key, [], revision, revision, 1))));

    private static void Add(List<string> log, string line)
    {
        lock (log)
        {
            log.Add(line);
        }
    }

    private static string[] Snapshot(List<string> log)
    {
        lock (log)
        {
            return [.. log];
        }
    }

    /// <summary>Waits (bounded) until the log holds <paramref name="line"/>.</summary>
    private static async Task UntilAsync(List<string> log, string line)
    {
        for (var i = 0; i < 2000 && !Snapshot(log).Contains(line); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(Snapshot(log).Contains(line), $"the follow never logged '{line}': {string.Join(", ", Snapshot(log))}");
    }
}