using System.Diagnostics;

namespace MetaService.Load;

/// <summary>CPU time (user + system, from procfs) that each of some processes spends over a measurement, per operation:
/// on these 2-core machines the processes of a measurement share the cores, so what each spends per operation
/// says where a rate is lost.</summary>
internal sealed class CpuMeter
{
    private readonly (string Name, Process Process, TimeSpan Before)[] _watched;
    private TimeSpan[]? _spent;

    private CpuMeter((string Name, Process Process, TimeSpan Before)[] watched) => _watched = watched;

    public static CpuMeter Start(params (string Name, int Pid)[] processes) =>
        new([.. processes.Select(p => Process.GetProcessById(p.Pid)).Select((process, i) => (processes[i].Name, process, Used(process)))]);

    /// <summary>Ends the measurement: what the processes spend after this is not counted.</summary>
    public CpuMeter Stop()
    {
        _spent = [.. Spent()];
        return this;
    }

    /// <summary>µs each process spent per one of <paramref name="operations"/>, in the order they were given.</summary>
    public double[] MicrosecondsPer(double operations) => [.. Spent().Select(spent => spent.TotalMicroseconds / Math.Max(operations, 1))];

    /// <summary>"name N µs" for each process, per one of <paramref name="operations"/>.</summary>
    public string PerOperation(double operations) =>
        string.Join(", ", _watched.Zip(MicrosecondsPer(operations), (w, micros) => $"{w.Name} {micros:0} µs"));

    /// <summary>The names the processes were given, in their order.</summary>
    public IEnumerable<string> Names => _watched.Select(w => w.Name);

    private IEnumerable<TimeSpan> Spent() => _spent ?? _watched.Select(w => Used(w.Process) - w.Before);

    private static TimeSpan Used(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }
}