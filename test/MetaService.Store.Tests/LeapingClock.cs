namespace MetaService.Store.Tests;

/// <summary>
/// A clock whose every reading is an hour after the one before: a call's deadline, taken at its first reading, has
/// passed by the next one. With it a test sees that a failing call stops at its deadline, after its one attempt,
/// without timing anything. An attempt's own gRPC deadline is still a real instant (the call's deadline, at most
/// the request timeout from the first reading), so no attempt waits longer than it would on the system clock.
/// </summary>
internal sealed class LeapingClock : TimeProvider
{
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
    private long _readings;

    public override DateTimeOffset GetUtcNow() => _start.AddHours(Interlocked.Increment(ref _readings) - 1);
}