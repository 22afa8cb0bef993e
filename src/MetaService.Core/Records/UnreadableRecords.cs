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
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
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
    public long Reported
    {
        get
        {
            lock (_lock)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>Counts and logs the record unless reported before at this mod revision. Whether it was is decided
    /// under one lock, so two reporters of one record cannot both count it: reports are rare (a record that fails to
    /// decode), and the lock costs nothing beside the failed decode that led here.</summary>
    public void Report(UnreadableRecordException error, long modRevision)
    {
        bool logged;
        lock (_lock)
        {
            var known = _seen.TryGetValue(error.Key, out var reported);
            if (known && reported == modRevision)
            {
                return;
            }

            // Another mod revision of a known key is a new record; a new key past the bound is counted, not kept.
            logged = known || _seen.Count < MaxRemembered;
            if (logged)
            {
                _seen[error.Key] = modRevision;
            }
        }

        _count?.Add(1);
        if (logged)
        {
            LogUnreadable(_logger, error.Key, modRevision, error.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the stored record at {Key} (mod revision {ModRevision}) cannot be read and is left out of lists: {Reason}. Fix or delete the key")]
    private static partial void LogUnreadable(ILogger logger, string key, long modRevision, string reason);
}