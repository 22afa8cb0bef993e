using BenchmarkDotNet.Running;

namespace MetaService.Bench;

/// <summary><c>dotnet run -c Release --project bench/MetaService.Bench -- --filter '*' [--job dry] --inProcess</c>; see
/// bench/README.md. Exits 1 when a benchmark failed, so CI's dry run catches a broken one.</summary>
internal static class Entry
{
    public static int Main(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Entry).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}