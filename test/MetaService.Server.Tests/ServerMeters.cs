using System.Diagnostics.Metrics;

namespace MetaService.Server.Tests;

/// <summary>
/// The instruments of one server's meter factory, followed until the server disposes them. A test server's dispose
/// returns before its program has disposed its services, so its meters outlive it for a moment. OpenTelemetry keys
/// series by meter and instrument name across the process: the next server's series would be merged with the old
/// ones and dropped when those are disposed.
/// </summary>
internal sealed class ServerMeters : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly MeterListener _listener = new();
    private readonly TaskCompletionSource _gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _alive;

    public ServerMeters(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters))
            {
                Interlocked.Increment(ref _alive);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (_, _) =>
        {
            if (Interlocked.Decrement(ref _alive) == 0)
            {
                _gone.TrySetResult();
            }
        };
        _listener.Start();
        if (Volatile.Read(ref _alive) == 0)
        {
            _gone.TrySetResult();
        }
    }

    /// <summary>How many instruments of meters named <paramref name="meterName"/> any server of this process holds.</summary>
    public static int AliveInProcess(string meterName)
    {
        var alive = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) => alive += instrument.Meter.Name == meterName ? 1 : 0;
        listener.Start();
        return alive;
    }

    /// <summary>Waits until every instrument of the server is disposed; fails when that takes longer than a minute.</summary>
    public async Task WaitUntilDisposedAsync()
    {
        try
        {
            await _gone.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Volatile.Read(ref _alive)} instrument(s) of a disposed test server were still alive {Patience.TotalSeconds} s after its dispose");
        }
    }

    public void Dispose() => _listener.Dispose();
}