using System.Text;

using MetaService.Core.Storage;

namespace MetaService.Core.Functions;

/// <summary>The size limits on what a function write stores (<see cref="MetaOptions.RecordBytesMax"/>,
/// <see cref="MetaOptions.EnvironmentBytesMax"/>): checked before the write, so a refused write stores nothing.</summary>
internal static class StoredSize
{
    public static void CheckEnvironment(Dictionary<string, string>? environment, MetaOptions options, List<string> errors)
    {
        long bytes = 0;
        foreach (var (name, value) in environment ?? [])
        {
            bytes += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value ?? "");
        }

        if (bytes > options.EnvironmentBytesMax)
        {
            errors.Add($"environment is {bytes} bytes (names and values), more than the {options.EnvironmentBytesMax} allowed");
        }
    }

    /// <summary>The refusal when a value the write puts is larger than allowed; null when every one fits.</summary>
    public static MetaError? Over(IEnumerable<WriteOp> writes, MetaOptions options)
    {
        var largest = writes.OfType<WriteOp.Put>().Max(p => (long?)p.Value.Length) ?? 0;
        return largest > options.RecordBytesMax ? MetaError.RecordTooLarge(largest, options.RecordBytesMax) : null;
    }
}