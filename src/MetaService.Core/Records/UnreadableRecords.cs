using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetaService.Core.Records;

/// <summary>
/// Where stored records that cannot be read are reported: each key (at each mod revision) is counted once
/// (<c>metaservice.records.unreadable</c>) and logged once as a warning, however often lists and gets meet it. The set
/// of reported keys is bounded; past the bound, keys are still counted but no longer logged.
/// </summary>
public sealed partial class UnreadableRecords
{
    /// <summary>The meter of the service's own series (the server exports it).</summary>
    public const string MeterName = "MetaService";

    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly Counter<long>? _count;

    public UnreadableRecords(ILogger<UnreadableRecords> logger, IMeterFactory meters)
    {
        _logger = logger;
        _count = meters.Create(MeterName).CreateCounter<long>(
            "metaservice.records.unreadable",
            description: "Stored function records that could not be read (each key and mod revision once); lists leave them out.");
    }

    private UnreadableRecords() => _logger = NullLogger.Instance;

    /// <summary>Reports nowhere (for a service used without a server).</summary>
    public static UnreadableRecords None { get; } = new();

    /// <summary>How many distinct unreadable records were reported.</summary>
    public long Reported => _seen.Count;

    public void Report(UnreadableRecordException error, long modRevision)
    {
        if (_seen.TryGetValue(error.Key, out var known))
        {
            // Another mod revision of the same key is a new record; one reporter wins a race for it.
            if (known == modRevision || !_seen.TryUpdate(error.Key, modRevision, known))
            {
                return;
            }
        }
        else if (_seen.Count >= MaxRemembered)
        {
            _count?.Add(1);
            return;
        }
        else if (!_seen.TryAdd(error.Key, modRevision))
        {
            return;
        }

        _count?.Add(1);
        LogUnreadable(_logger, error.Key, modRevision, error.Reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the stored record at {Key} (mod revision {ModRevision}) cannot be read and is left out of lists: {Reason}. Fix or delete the key")]
    private static partial void LogUnreadable(ILogger logger, string key, long modRevision, string reason);
}