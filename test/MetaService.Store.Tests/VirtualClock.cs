namespace MetaService.Store.Tests;

/// <summary>
/// A clock that moves only by the waits made through it: a delay of d ends at once and moves the clock d on; reading
/// it does not move it. A call's retries (how many attempts, with which backoff, until which deadline) are then decided
/// the same way on every run, however long each attempt takes in real time. An attempt's own gRPC deadline is a real
/// instant taken from this clock, which starts at the real time and never runs ahead of it by more than the waits.
/// </summary>
internal sealed class VirtualClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Add(ref _ticks, dueTime.Ticks);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new Fired();
    }

    private sealed class Fired : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}