using System.Diagnostics;

namespace MetaService.Load;

/// <summary>CPU time (user + system, from procfs) that each of some processes spends over a measurement, per operation:
/// on these 2-core machines the processes of a measurement share the cores, so what each spends per operation
/// says where a rate is lost.</summary>
internal sealed class CpuMeter
{
    private readonly (string Name, Process Process, TimeSpan Before)[] _watched;

    private CpuMeter((string Name, Process Process, TimeSpan Before)[] watched) => _watched = watched;

    public static CpuMeter Start(params (string Name, int Pid)[] processes) =>
        new([.. processes.Select(p => Process.GetProcessById(p.Pid)).Select((process, i) => (processes[i].Name, process, Used(process)))]);

    /// <summary>"name N µs" for each process, per one of <paramref name="operations"/>.</summary>
    public string PerOperation(double operations) => string.Join(", ", _watched.Select(w =>
        $"{w.Name} {(Used(w.Process) - w.Before).TotalMicroseconds / Math.Max(operations, 1):0} µs"));

    private static TimeSpan Used(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }
}