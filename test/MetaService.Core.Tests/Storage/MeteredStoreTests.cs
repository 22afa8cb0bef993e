using System.Diagnostics.Metrics;
using System.Text;

using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Storage;

/// <summary>The measured store: each transaction's time is recorded with its outcome and a lost compare is counted,
/// while every call reaches the store beneath unchanged.</summary>
public sealed class MeteredStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ATransaction_IsTimedByOutcome_AndAConflictIsCounted()
    {
        await using var temp = new TempStore();
        using var meters = new Meters();
        var seen = new List<(string Instrument, double Value, string? Outcome)>();
        using var listener = Listen(meters, seen);
        var store = new MeteredStore(temp.Store, meters, new SecondPerReading());

        var committed = await store.TxnAsync([Compare.Absent("/m/a")], [new WriteOp.Put("/m/a", [1])], None);
        var lost = await store.TxnAsync([Compare.Absent("/m/a")], [new WriteOp.Put("/m/a", [2])], None);

        Assert.True(committed.Succeeded);
        Assert.False(lost.Succeeded);
        Assert.Equal(
            [("metaservice.store.transaction.duration", 1.0, "committed"), ("metaservice.store.transaction.duration", 1.0, "conflict"), ("metaservice.store.transaction.conflicts", 1.0, null)],
            seen);
        Assert.Equal([1], (await temp.Store.GetAsync("/m/a", None))!.Value);
    }

    [Fact]
    public async Task EveryOtherCall_ReachesTheStoreBeneath()
    {
        var temp = new TempStore();
        using var meters = new Meters();
        var store = new MeteredStore(temp.Store, meters, TimeProvider.System);
        var first = (await temp.Store.TxnAsync([], [new WriteOp.Put("/m/a", Encoding.UTF8.GetBytes("one"))], None)).Revision;
        await temp.Store.TxnAsync([], [new WriteOp.Put("/m/a", Encoding.UTF8.GetBytes("two")), new WriteOp.Put("/m/b", [])], None);

        Assert.Equal("two", Encoding.UTF8.GetString((await store.GetAsync("/m/a", None))!.Value));
        Assert.Equal("one", Encoding.UTF8.GetString((await store.GetAtAsync("/m/a", first, None))!.Value));
        Assert.Equal(["/m/a"], (await store.RangeAsync("/m/", 1, null, None)).Items.Select(i => i.Key));
        Assert.Equal(["/m/b"], (await store.RangeKeysAsync("/m/", 0, "/m/a", None)).Items.Select(i => i.Key));
        Assert.Equal(first + 1, await store.GetRevisionAsync(None));
        Assert.True(await store.KeepsRevisionAsync(first, None));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (var watch = store.WatchAsync("/m/", first, stop.Token).GetAsyncEnumerator(stop.Token))
        {
            Assert.True(await watch.MoveNextAsync());
            Assert.Equal(("/m/a", first), (watch.Current.Kv.Key, watch.Current.Kv.ModRevision));
        }

        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => temp.Store.GetAsync("/m/a", None));
        await temp.DisposeAsync();
    }

    [Fact]
    public void TheInstruments_SayWhatTheyMeasure_InSecondsWithBucketsFromHalfAMillisecond()
    {
        using var meters = new Meters();
        var instruments = new List<Instrument>();
        using var listener = new MeterListener { InstrumentPublished = (instrument, _) => { if (meters.Made(instrument.Meter)) { instruments.Add(instrument); } } };
        listener.Start();

        _ = new MeteredStore(new DryRunStore(null!), meters, TimeProvider.System);

        var duration = Assert.IsType<Histogram<double>>(instruments.Single(i => i.Name == "metaservice.store.transaction.duration"));
        var conflicts = instruments.Single(i => i.Name == "metaservice.store.transaction.conflicts");
        Assert.Equal(MeteredStore.MeterName, duration.Meter.Name);
        Assert.Equal(("s", "Time of one store transaction, by outcome (committed or conflict)."), (duration.Unit, duration.Description));
        Assert.Equal([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], duration.Advice!.HistogramBucketBoundaries!);
        Assert.Equal("Transactions whose compares failed because another writer committed first.", conflicts.Description);
    }

    private static MeterListener Listen(Meters meters, List<(string, double, string?)> seen)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (meters.Made(instrument.Meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? outcome = null;
            foreach (var tag in tags)
            {
                outcome = tag.Key == "outcome" ? (string?)tag.Value : outcome;
            }

            seen.Add((instrument.Name, value, outcome));
        }

        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        return listener;
    }

    /// <summary>Meters of this test alone (tests run side by side).</summary>
    private sealed class Meters : IMeterFactory
    {
        private readonly List<Meter> _made = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _made.Add(meter);
            return meter;
        }

        public bool Made(Meter meter) => _made.Contains(meter);

        public void Dispose() => _made.ForEach(m => m.Dispose());
    }

    /// <summary>A clock whose every reading is one second after the last.</summary>
    private sealed class SecondPerReading : TimeProvider
    {
        private long _readings;

        public override long TimestampFrequency => 1;

        public override long GetTimestamp() => Interlocked.Increment(ref _readings);
    }
}