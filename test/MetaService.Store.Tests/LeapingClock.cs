namespace MetaService.Store.Tests;

/// <summary>
/// A clock whose every reading is a step after the one before (an hour unless told otherwise): a call's deadline,
/// taken at its first reading, has passed by the next one. With it a test sees that a failing call stops at its
/// deadline, after its one attempt, without timing anything; with a small step, that it stops after a known number of
/// attempts. An attempt's own gRPC deadline is still a real instant (the call's deadline, at most the request timeout
/// from the first reading), so no attempt waits longer than it would on the system clock. Its timers are the system's.
/// </summary>
internal sealed class LeapingClock(TimeSpan step) : TimeProvider
{
    private long _readings;

    public LeapingClock()
        : this(TimeSpan.FromHours(1))
    {
    }

    /// <summary>The first reading.</summary>
    public DateTimeOffset First { get; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => First + (step * (Interlocked.Increment(ref _readings) - 1));
}