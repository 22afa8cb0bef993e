using System.Text.Json.Serialization;

namespace MetaService.Core.History;

/// <summary>Source-generated JSON of the history: how entries are stored (the revision is the key's, not stored).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(HistoryEntry))]
[JsonSerializable(typeof(List<HistoryChange>))]
public sealed partial class HistoryJson : JsonSerializerContext;