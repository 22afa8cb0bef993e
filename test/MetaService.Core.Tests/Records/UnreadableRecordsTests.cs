using System.Diagnostics.Metrics;

using MetaService.Core.Records;

using Microsoft.Extensions.Logging;

using Xunit;

namespace MetaService.Core.Tests.Records;

/// <summary>Reporting unreadable records: each key at each mod revision counted and logged once however often it is met,
/// a new mod revision of a key reported anew, and past the bound of remembered keys still counted but not logged.</summary>
public sealed class UnreadableRecordsTests
{
    [Fact]
    public void AKey_IsCountedAndLoggedOnce_AtEachModRevision()
    {
        using var sink = new Sink();
        var records = sink.Create();

        records.Report(Error("/a"), 5);
        records.Report(Error("/a"), 5);
        records.Report(Error("/b"), 5);
        records.Report(Error("/a"), 6);
        records.Report(Error("/a"), 6);

        Assert.Equal(3, sink.Counted);
        Assert.Equal(
            [
                "the stored record at /a (mod revision 5) cannot be read and is left out of lists: bad. Fix or delete the key",
                "the stored record at /b (mod revision 5) cannot be read and is left out of lists: bad. Fix or delete the key",
                "the stored record at /a (mod revision 6) cannot be read and is left out of lists: bad. Fix or delete the key",
            ],
            sink.Logged);
        Assert.Equal(2, records.Reported);
        Assert.All(sink.Levels, l => Assert.Equal(LogLevel.Warning, l));
        Assert.Equal("Stored function records that could not be read (each key and mod revision once); lists leave them out.", sink.Description);
    }

    [Fact]
    public void PastTenThousandKeys_NewKeysAreCounted_ButNotLogged()
    {
        using var sink = new Sink();
        var records = sink.Create();
        for (var i = 0; i < 10_000; i++)
        {
            records.Report(Error($"/k{i}"), 1);
        }

        records.Report(Error("/new"), 1);
        records.Report(Error("/new"), 1);
        records.Report(Error("/k0"), 2);

        Assert.Equal(10_003, sink.Counted);
        Assert.Equal(10_001, sink.Logged.Count);
        Assert.DoesNotContain(sink.Logged, m => m.Contains("/new", StringComparison.Ordinal));
        Assert.Contains("the stored record at /k0 (mod revision 2) cannot be read and is left out of lists: bad. Fix or delete the key", sink.Logged);
        Assert.Equal(10_000, records.Reported);
    }

    [Fact]
    public void TheReporterOfAServiceWithoutServer_ReportsNowhere_ButRemembers()
    {
        var none = UnreadableRecords.None;
        var key = "/none-" + Guid.NewGuid().ToString("N");
        var before = none.Reported;

        none.Report(Error(key), 1);
        none.Report(Error(key), 1);

        // Other tests may report to the shared instance too: the count only grows.
        Assert.True(none.Reported > before);
    }

    private static UnreadableRecordException Error(string key) => new(key, "bad");

    /// <summary>Collects what the reporter logs and what its counter adds.</summary>
    private sealed class Sink : ILogger<UnreadableRecords>, IMeterFactory
    {
        private readonly List<Meter> _meters = [];
        private readonly MeterListener _listener = new();
        private long _counted;

        public Sink()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (_meters.Contains(instrument.Meter) && instrument.Name == "metaservice.records.unreadable")
                {
                    Description = instrument.Description;
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _counted, value));
            _listener.Start();
        }

        public List<string> Logged { get; } = [];

        public string? Description { get; private set; }

        public List<LogLevel> Levels { get; } = [];

        public long Counted => Interlocked.Read(ref _counted);

        public UnreadableRecords Create() => new(this, this);

        public Meter Create(MeterOptions options)
        {
            Assert.Equal(UnreadableRecords.MeterName, options.Name);
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Levels.Add(logLevel);
            Logged.Add(formatter(state, exception));
        }

        public void Dispose()
        {
            _listener.Dispose();
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}