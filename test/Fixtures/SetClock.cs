namespace MetaService.Tests.Fixtures;

/// <summary>A clock that reads what the test set it to (UTC, with UTC as its local time) and moves only when told. Its
/// timers are the system's, running in real time: a test that must control when a timer fires uses a clock of its own
/// (the catalog tests' <c>ManualClock</c>).</summary>
public sealed class SetClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>The instant the clock starts at unless the test says otherwise: 2024-05-09 02:25:49.477 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2024, 5, 9, 2, 25, 49, 477, TimeSpan.Zero);

    public SetClock()
        : this(Start)
    {
    }

    public DateTimeOffset Now { get; set; } = now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}