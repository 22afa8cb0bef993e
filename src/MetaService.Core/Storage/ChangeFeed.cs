namespace MetaService.Core.Storage;

/// <summary>
/// The latest changes of a store, in memory, in revision order and bounded in bytes, for watchers in the same
/// process: a watcher whose position lies inside the window reads from here instead of asking the store again,
/// and wakes when a revision is published. The writer adds the changes of a revision, then publishes it; readers
/// see published revisions only, and always whole.
/// </summary>
/// <param name="capacityBytes">What the window holds at most, by <see cref="RevisionWindow{T}.SizeOf"/>.</param>
/// <param name="revision">The next change comes after it.</param>
/// <param name="wakeReadersInline">Readers waiting on <see cref="FeedRead.Changed"/> resume on the thread that publishes,
/// before <see cref="RevisionWindow{T}.Publish"/> returns (their code up to their next wait runs there): a publisher
/// that wants its readers current when it goes on asks for it; by default they resume on the thread pool.</param>
public sealed class ChangeFeed(long capacityBytes, long revision, bool wakeReadersInline = false)
    : RevisionWindow<WatchEvent>(capacityBytes, revision, wakeReadersInline)
{
    /// <summary>What a change costs the window beyond its key and value (the objects around them).</summary>
    private const int Overhead = 96;

    /// <summary>The published changes under <paramref name="prefix"/> from revision <paramref name="from"/> on, whole
    /// revisions only, stopping after the revision in which <paramref name="max"/> is reached. Not held when
    /// <paramref name="from"/> lies before the window: the reader must read elsewhere.</summary>
    public FeedRead Read(string prefix, long from, int max)
    {
        var read = Read(from, prefix, static (prefix, change) => change.Kv.Key.StartsWith(prefix, StringComparison.Ordinal), max);
        return new FeedRead(read.Held, read.Items, read.Next, read.Signal);
    }

    protected override long RevisionOf(WatchEvent item) => item.Kv.ModRevision;

    protected override long SizeOf(WatchEvent item) => (item.Kv.Key.Length * 2L) + item.Kv.Value.Length + Overhead;
}

/// <summary>What <see cref="ChangeFeed.Read"/> found: whether the feed still holds the position, the changes, where
/// to read next, and a task that completes at the next publish or reset (taken with the read, so none is missed).</summary>
public readonly record struct FeedRead(bool Held, IReadOnlyList<WatchEvent> Events, long Next, Task Changed);