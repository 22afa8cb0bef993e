using System.Text.Json.Serialization;

namespace MetaService.Core.History;

/// <summary>Source-generated JSON of the history: how entries are stored (the revision is the key's, not stored).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(HistoryEntry))]
[JsonSerializable(typeof(List<HistoryChange>))]
[JsonSerializable(typeof(StoredEntry))]
[JsonSerializable(typeof(AppendedEntry))]
public sealed partial class HistoryJson : JsonSerializerContext;

/// <summary>An entry of the append log, whether its changes are made when it is read (from the values the log keeps with
/// it) or are the ones stored (a reserved-instance or alias change, a delete). The log's rows held it whole until
/// <see cref="AppendedEntry"/>, which now holds only what the row does not.</summary>
public sealed record StoredEntry(HistoryEntry Entry, bool DerivedChanges);