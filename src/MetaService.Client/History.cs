using System.Text.Json;
using System.Text.Json.Serialization;

using MetaService.Core.Functions;
using MetaService.Core.History;

namespace MetaService.Client;

/// <summary>The history routes: a function's entries, the tenant's trail, a diff, a restore.</summary>
public sealed partial class MetaClient
{
    private const string Trail = "serverless/v1/history";

    /// <summary>Up to <paramref name="limit"/> entries of a function, newest first (following continue tokens).</summary>
    public Task<List<HistoryEntry>> FunctionHistoryAsync(string name, int limit, CancellationToken cancellationToken = default) =>
        HistoryPagesAsync($"{PathOf(name)}/history", [], limit, cancellationToken);

    /// <summary>Up to <paramref name="limit"/> entries of the tenant's trail, newest first, filtered as the server filters.</summary>
    public Task<List<HistoryEntry>> TrailAsync(string? name, string? operation, string? since, string? until, int limit, CancellationToken cancellationToken = default) =>
        HistoryPagesAsync(Trail, [("name", name), ("operation", operation), ("since", since), ("until", until)], limit, cancellationToken);

    /// <summary>The changes from <paramref name="from"/> to <paramref name="to"/> (v3, latest, @&lt;revision&gt;).</summary>
    public async Task<List<HistoryChange>> DiffAsync(string name, string from, string to, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, $"{PathOf(name)}/diff{Query(("from", from), ("to", to))}", null, HistoryClientJson.Default.DiffAnswer, cancellationToken)).Result?.Changes ?? [];

    /// <summary>Restores the draft from <paramref name="from"/> (v3 or @&lt;revision&gt;) while it is at <paramref name="revisionId"/>:
    /// the restored draft, or with <see cref="MetaClientOptions.DryRun"/> the changes it would make.</summary>
    public async Task<RestoreAnswer> RestoreAsync(string name, string from, string revisionId, CancellationToken cancellationToken = default)
    {
        var body = Body(new RestoreBody(from, revisionId), HistoryClientJson.Default.RestoreBody);
        var answer = await SendAsync(HttpMethod.Post, $"{PathOf(name)}/restore", body, HistoryClientJson.Default.RestoreReply, cancellationToken);
        if (answer.Function is { } restored)
        {
            return new RestoreAnswer(restored, null);
        }

        var diff = answer.Result.ValueKind == JsonValueKind.Object ? answer.Result.Deserialize(HistoryClientJson.Default.DiffResult) : null;
        return new RestoreAnswer(null, diff?.Changes ?? throw new MetaProtocolException($"POST {PathOf(name)}/restore: the answer carries neither a function nor changes"));
    }

    private async Task<List<HistoryEntry>> HistoryPagesAsync(string path, (string, string?)[] filters, int limit, CancellationToken cancellationToken)
    {
        var all = new List<HistoryEntry>();
        string? token = null;
        for (var page = 0; page < 10_000 && all.Count < limit; page++)
        {
            var query = Query([.. filters, ("limit", Text(Math.Min(limit - all.Count, 500))), ("continue", token)]);
            var result = (await SendAsync(HttpMethod.Get, path + query, null, HistoryClientJson.Default.HistoryListAnswer, cancellationToken)).Result;
            all.AddRange(result?.Entries ?? []);
            token = result?.Continue;
            if (string.IsNullOrEmpty(token))
            {
                break;
            }
        }

        return all;
    }
}

/// <summary>What a restore did: the restored draft, or (a dry run) the changes it would make.</summary>
public sealed record RestoreAnswer(FunctionView? Function, List<HistoryChange>? Changes);

public sealed record HistoryListAnswer(int Code, string? Message, HistoryListResult? Result);

public sealed record HistoryListResult(List<HistoryEntry>? Entries, string? Continue, long Revision);

public sealed record DiffAnswer(int Code, string? Message, DiffResult? Result);

public sealed record DiffResult(string? From, string? To, List<HistoryChange>? Changes);

public sealed record RestoreBody(string From, string RevisionId);

/// <summary>A restore answers as an update (<c>function</c> and <c>result</c>), or as a diff on a dry run.</summary>
public sealed record RestoreReply(int Code, string? Message, FunctionView? Function, JsonElement Result);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HistoryListAnswer))]
[JsonSerializable(typeof(DiffAnswer))]
[JsonSerializable(typeof(DiffResult))]
[JsonSerializable(typeof(RestoreBody))]
[JsonSerializable(typeof(RestoreReply))]
public sealed partial class HistoryClientJson : JsonSerializerContext;