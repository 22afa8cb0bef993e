using MetaService.Core.Storage;

namespace MetaService.Server.Watch;

/// <summary>
/// The recent changes of one kind, rendered, in revision order and bounded in bytes, shared by every watcher of the
/// server: a watcher holds only its position and reads from here. The hub adds the changes of a revision, then
/// publishes it; readers see published revisions only, and whole. A tick wakes every reader without a change, so an
/// idle watcher can send its heartbeat without a timer of its own.
/// </summary>
internal sealed class WatchRing(long capacityBytes, long revision) : RevisionWindow<WatchChange>(capacityBytes, revision, wakeReadersInline: false)
{
    private long _ticks;

    /// <summary>How many heartbeat ticks have passed.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>A heartbeat: wakes every reader without a change.</summary>
    public void Tick()
    {
        Interlocked.Increment(ref _ticks);
        Wake();
    }

    /// <summary>The published changes <paramref name="filter"/> takes from revision <paramref name="from"/> on, whole
    /// revisions, stopping after the revision in which <paramref name="max"/> is reached; not held when
    /// <paramref name="from"/> lies before the ring.</summary>
    public RingRead Read(long from, WatchFilter filter, int max)
    {
        var read = Read(from, filter, static (filter, change) => filter.Matches(change), max);
        return new RingRead(read.Held, read.Items, read.Next, read.Signal);
    }

    protected override long RevisionOf(WatchChange item) => item.Revision;

    protected override long SizeOf(WatchChange item) => item.Size;
}

/// <summary>What <see cref="WatchRing.Read"/> found: whether the ring still holds the position, the changes, where to
/// read next, and a task that completes at the next publish, reset or tick (taken with the read, so none is missed).</summary>
internal readonly record struct RingRead(bool Held, IReadOnlyList<WatchChange> Changes, long Next, Task Signal);