using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

using MetaService.Core.History;

namespace MetaService.Server.History;

/// <summary>A page of history: <c>{"code":0,"message":"","result":{"entries":[…],"continue":"…","revision":N}}</c>.</summary>
public sealed record HistoryListEnvelope(HistoryList Result)
{
    [JsonPropertyOrder(-2)]
    public int Code => 0;

    [JsonPropertyOrder(-1)]
    public string Message => "";
}

/// <summary>The entries newest first, the token of the next page (absent on the last) and the store revision read at.</summary>
public sealed record HistoryList(IReadOnlyList<HistoryEntry> Entries, long Revision)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Continue { get; init; }
}

/// <summary>One entry with its snapshot, secrets masked: <c>{"code":0,"message":"","result":{…entry…,"snapshot":{…}}}</c>.</summary>
public sealed record HistoryEntryEnvelope(HistoryEntry Result)
{
    [JsonPropertyOrder(-2)]
    public int Code => 0;

    [JsonPropertyOrder(-1)]
    public string Message => "";
}

/// <summary>A diff (and a restore's dry run): <c>{"code":0,"message":"","result":{"from":"v1","to":"latest","changes":[…]}}</c>.</summary>
public sealed record DiffEnvelope(DiffResult Result)
{
    [JsonPropertyOrder(-2)]
    public int Code => 0;

    [JsonPropertyOrder(-1)]
    public string Message => "";
}

public sealed record DiffResult(string From, string To, IReadOnlyList<HistoryChange> Changes);

/// <summary>The body of a restore: what to restore from (<c>v3</c> or <c>@&lt;revision&gt;</c>) and the draft's current
/// revisionId (or send <c>If-Match</c>).</summary>
public sealed record RestoreRequest
{
    public string? From { get; init; }

    public string? RevisionId { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(HistoryListEnvelope))]
[JsonSerializable(typeof(HistoryEntryEnvelope))]
[JsonSerializable(typeof(DiffEnvelope))]
[JsonSerializable(typeof(RestoreRequest))]
[JsonSerializable(typeof(JsonObject))]
public sealed partial class HistoryWireJson : JsonSerializerContext;