using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core;
using MetaService.Core.History;
using MetaService.Server.History;

using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaService.Server.Ui.History;

/// <summary>
/// The history timeline: a function's entries (<c>/ui/functions/{name}/history</c>) or the tenant's trail
/// (<c>/ui/history</c>, narrowed by function name and operation), newest first, read by the <see cref="HistoryReader"/>
/// the API's history routes read through, with the same query (<c>limit</c>, <c>continue</c>, and on the trail
/// <c>name</c> and <c>operation</c>), so a page is one bounded range of keys. Changes come as the API answers them:
/// secret values never stored, said as <see cref="RecordChanges.Changed"/>.
/// </summary>
public sealed partial class TimelinePage
{
    public static async Task<IResult> RenderFunctionAsync(HttpContext context, string name, HistoryReader reader, CancellationToken cancellationToken)
    {
        var frame = ConsolePage.For(context);
        var query = context.Request.Query;
        var read = HistoryQuery.Limit(query).TryGet(out var limit, out var error)
            ? await reader.FunctionAsync(frame.User.Tenant, name, limit, Token(query), cancellationToken)
            : error;
        return Render(new HistoryTimeline(frame, name, null, null), read, query);
    }

    public static async Task<IResult> RenderTrailAsync(HttpContext context, HistoryReader reader, CancellationToken cancellationToken)
    {
        var frame = ConsolePage.For(context);
        var query = context.Request.Query;
        var read = HistoryQuery.Trail(query).TryGet(out var trail, out var error)
            ? await reader.TrailAsync(frame.User.Tenant, trail, cancellationToken)
            : error;
        return Render(new HistoryTimeline(frame, null, query["name"].ToString(), query["operation"].ToString()), read, query);
    }

    private static string? Token(IQueryCollection query) => query["continue"].ToString() is { Length: > 0 } token ? token : null;

    private static RazorComponentResult<TimelinePage> Render(HistoryTimeline timeline, Outcome<HistoryPage> read, IQueryCollection query)
    {
        if (!read.TryGet(out var page, out var error))
        {
            return ConsolePage.Render<TimelinePage>(new() { [nameof(Model)] = timeline with { Problem = error.Message } }, ConsoleProblems.StatusOf(error));
        }

        var found = timeline with { Entries = page.Entries, Next = page.Continue, Continued = Token(query) is not null, Limit = query["limit"].ToString() };
        return ConsolePage.Render<TimelinePage>(new() { [nameof(Model)] = found });
    }
}

/// <summary>What the timeline shows: a function's entries (<see cref="Function"/>) or the trail (its filters), one page of
/// entries newest first and the token of the next, or why there are none.</summary>
public sealed record HistoryTimeline(ConsolePage Frame, string? Function, string? NameFilter, string? OperationFilter)
{
    public IReadOnlyList<HistoryEntry> Entries { get; init; } = [];

    public string? Next { get; init; }

    /// <summary>Whether this is a later page (a link back to the first one is shown).</summary>
    public bool Continued { get; init; }

    public string? Problem { get; init; }

    /// <summary>The page size asked for (empty: the default), kept by the paging links.</summary>
    public string Limit { get; init; } = "";

    /// <summary>This timeline's page from <paramref name="token"/> (null: the first).</summary>
    public string Link(string? token)
    {
        var parts = new List<string>();
        foreach (var (key, value) in new[] { ("name", NameFilter), ("operation", OperationFilter), ("limit", Limit), ("continue", token) })
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(key + "=" + Uri.EscapeDataString(value));
            }
        }

        var path = Function is null ? UiRegistration.Root + "/history" : HistoryLinks.Timeline(Function);
        return path + (parts.Count == 0 ? "" : "?" + string.Join('&', parts));
    }

    /// <summary>A change's value as the page shows it: a string as it is, anything else as JSON, nothing as a dash.</summary>
    public static string Text(JsonNode? value) => value switch
    {
        null => "—",
        JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}

/// <summary>The links of the history and compare pages.</summary>
public static class HistoryLinks
{
    public static string Timeline(string name) => $"{UiRegistration.Root}/functions/{Uri.EscapeDataString(name)}/history";

    public static string Compare(string name, string? from = null, string? to = null)
    {
        var query = string.Join('&', new[] { ("from", from), ("to", to) }.Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2!)));
        return $"{UiRegistration.Root}/functions/{Uri.EscapeDataString(name)}/compare" + (query.Length == 0 ? "" : "?" + query);
    }
}