using System.Diagnostics;

namespace MetaService.Load;

/// <summary>CPU time (user + system, from procfs) that each of some processes spends over a measurement, per operation:
/// on these 2-core machines the processes of a measurement share the cores, so what each spends per operation
/// says where a rate is lost. Also the bytes each had written to storage (<c>write_bytes</c> of <c>/proc/PID/io</c>:
/// what reached the disk's queue, the WAL and its checkpoints for the embedded store).</summary>
internal sealed class CpuMeter
{
    private readonly (string Name, Process Process, TimeSpan Before, long WrittenBefore)[] _watched;
    private TimeSpan[]? _spent;
    private long[]? _written;

    private CpuMeter((string Name, Process Process, TimeSpan Before, long WrittenBefore)[] watched) => _watched = watched;

    public static CpuMeter Start(params (string Name, int Pid)[] processes) =>
        new([.. processes.Select(p => Process.GetProcessById(p.Pid)).Select((process, i) => (processes[i].Name, process, Used(process), Written(process.Id)))]);

    /// <summary>Ends the measurement: what the processes spend after this is not counted.</summary>
    public CpuMeter Stop()
    {
        _spent = [.. Spent()];
        _written = [.. WrittenSince()];
        return this;
    }

    /// <summary>KB each process wrote to storage per one of <paramref name="operations"/>, in the order they were given
    /// (0 where procfs does not say).</summary>
    public double[] KilobytesWrittenPer(double operations) =>
        [.. WrittenSince().Select(bytes => bytes / 1024.0 / Math.Max(operations, 1))];

    /// <summary>µs each process spent per one of <paramref name="operations"/>, in the order they were given.</summary>
    public double[] MicrosecondsPer(double operations) => [.. Spent().Select(spent => spent.TotalMicroseconds / Math.Max(operations, 1))];

    /// <summary>"name N µs" for each process, per one of <paramref name="operations"/>.</summary>
    public string PerOperation(double operations) =>
        string.Join(", ", _watched.Zip(MicrosecondsPer(operations), (w, micros) => $"{w.Name} {micros:0} µs"));

    /// <summary>The names the processes were given, in their order.</summary>
    public IEnumerable<string> Names => _watched.Select(w => w.Name);

    private IEnumerable<TimeSpan> Spent() => _spent ?? _watched.Select(w => Used(w.Process) - w.Before);

    private IEnumerable<long> WrittenSince() => _written ?? _watched.Select(w => Written(w.Process.Id) - w.WrittenBefore);

    /// <summary>How long the threads the process has now have run, from each one's <c>schedstat</c> (ns: the process's own
    /// figures count 10-ms ticks, too coarse for a window of a few). A thread that ended since the last call is no longer
    /// counted, so a difference of two calls can fall short of what ran between them.</summary>
    public static TimeSpan ThreadsRan(int pid)
    {
        var nanoseconds = 0L;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var text = File.ReadAllText(Path.Combine(task, "schedstat"));
                nanoseconds += long.Parse(text.AsSpan(0, text.IndexOf(' ')), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended meanwhile.
            }
        }

        return TimeSpan.FromTicks(nanoseconds / 100);
    }

    /// <summary>The process's <c>write_bytes</c> so far, or 0 where procfs does not say (another user's process).</summary>
    private static long Written(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/io"))
            {
                if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan("write_bytes:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return 0;
    }

    private static TimeSpan Used(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }
}