using System.Text.Json.Nodes;

using MetaService.Core.Functions;
using MetaService.Core.History;

namespace MetaService.Server.Ui.History;

/// <summary>
/// Compare (<c>/ui/functions/{name}/compare?from=A&amp;to=B</c>): two records of a function side by side, each a version
/// (<c>v3</c>), the draft (<c>latest</c>) or a history entry's snapshot (<c>@&lt;revision&gt;</c>), resolved by the
/// <see cref="HistorySources"/> the API's diff route resolves them with, and compared by the same
/// <see cref="RecordChanges.Between(MetaService.Core.Records.FunctionRecord?, MetaService.Core.Records.FunctionRecord?)"/>.
/// Both sides are shown masked (<see cref="RecordChanges.Mask"/>), so a secret that differs says only that it differs,
/// as the diff route says it. A side that names nothing is a message on the page (404, 400), not an error.
/// </summary>
public sealed partial class ComparePage
{
    /// <summary>How many versions and history entries the pickers offer.</summary>
    public const int Offered = 50;

    public static async Task<IResult> RenderAsync(HttpContext context, string name, FunctionService service, HistoryReader reader, HistorySources sources, CancellationToken cancellationToken)
    {
        var frame = ConsolePage.For(context);
        var tenant = frame.User.Tenant;
        var query = context.Request.Query;
        var from = query["from"].ToString();
        var to = query["to"].ToString();
        var choices = new List<CompareChoice> { new("latest", "latest (the draft)") };
        if ((await service.ListVersionsAfterAsync(tenant, name, new KeyPaging(Offered, null), cancellationToken)).TryGet(out var versions, out var error))
        {
            choices.AddRange((versions.Functions ?? []).Where(v => !v.IsDraft).Select(v => new CompareChoice(v.Version, v.Version)));
        }
        else
        {
            return Page(new CompareView(frame, name, from, to, choices) { Problem = error.Message }, ConsoleProblems.StatusOf(error));
        }

        if ((await reader.FunctionAsync(tenant, name, Offered, null, cancellationToken)).TryGet(out var recent, out _))
        {
            choices.AddRange(recent.Entries.Where(e => HasRecord(e.Operation))
                .Select(e => new CompareChoice("@" + e.Revision, $"@{e.Revision} · {e.Operation} {e.Version} · {e.Time}")));
        }

        if (from.Length == 0 && to.Length == 0)
        {
            // Nothing asked yet: offer the newest version against the draft.
            var newest = choices.Skip(1).FirstOrDefault(c => !c.Value.StartsWith('@'));
            return Page(new CompareView(frame, name, newest?.Value ?? "latest", "latest", choices));
        }

        var view = new CompareView(frame, name, from, to, choices) { OnlyChanges = query["only"] == "changes" };
        if (!(await sources.ResolveAsync(tenant, name, from, "from", cancellationToken)).TryGet(out var before, out error)
            || !(await sources.ResolveAsync(tenant, name, to, "to", cancellationToken)).TryGet(out var after, out error))
        {
            return Page(view with { Problem = error.Message }, ConsoleProblems.StatusOf(error));
        }

        var changes = RecordChanges.Between(before, after);
        return Page(view with { Rows = CompareRows.Of(RecordChanges.Mask(before), RecordChanges.Mask(after), changes), Differences = changes.Count });
    }

    /// <summary>Whether an entry of this operation keeps the record it left (a delete keeps none; an alias or reserved
    /// instance write is about something else).</summary>
    private static bool HasRecord(string operation) =>
        operation is HistoryOperations.Create or HistoryOperations.Update or HistoryOperations.Patch or HistoryOperations.Publish or HistoryOperations.Restore;

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<ComparePage> Page(CompareView view, int status = StatusCodes.Status200OK) =>
        ConsolePage.Render<ComparePage>(new() { [nameof(Model)] = view }, status);
}

/// <summary>A choice of a picker: what the query names and what the person reads.</summary>
public sealed record CompareChoice(string Value, string Label);

/// <summary>What the compare page shows: the two sides asked for, the pickers' choices, and the rows of the comparison
/// (none until both sides resolve), or why there are none.</summary>
public sealed record CompareView(ConsolePage Frame, string Name, string From, string To, IReadOnlyList<CompareChoice> Choices)
{
    public IReadOnlyList<CompareRow> Rows { get; init; } = [];

    public int Differences { get; init; }

    public bool OnlyChanges { get; init; }

    public string? Problem { get; init; }

    /// <summary>The choices of a picker, with <paramref name="selected"/> among them even when the list does not hold it.</summary>
    public IEnumerable<CompareChoice> ChoicesWith(string selected) =>
        selected.Length == 0 || Choices.Any(c => c.Value == selected) ? Choices : Choices.Prepend(new CompareChoice(selected, selected));

    public string Link(bool onlyChanges) => HistoryLinks.Compare(Name, From, To) + (onlyChanges ? "&only=changes" : "");
}

/// <summary>One member of the compared records: its path, its value on each side (absent: null), and whether the
/// comparison found it changed.</summary>
public sealed record CompareRow(string Path, string? From, string? To, bool Changed);

/// <summary>The rows of a comparison: both records' members flattened to their paths (objects member by member, arrays
/// and values whole), in the first record's order and then the second's, each marked changed when a change names it or
/// a member above or below it.</summary>
public static class CompareRows
{
    public static IReadOnlyList<CompareRow> Of(JsonNode? from, JsonNode? to, IReadOnlyList<HistoryChange> changes)
    {
        var left = new Dictionary<string, string>(StringComparer.Ordinal);
        var right = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        Flatten(from, "", left, order);
        Flatten(to, "", right, order);
        var paths = changes.Select(c => c.Path).ToList();
        return [.. order.Distinct(StringComparer.Ordinal).Select(path => new CompareRow(path, left.GetValueOrDefault(path), right.GetValueOrDefault(path),
            paths.Any(c => c == path || path.StartsWith(c + ".", StringComparison.Ordinal) || c.StartsWith(path + ".", StringComparison.Ordinal))))];
    }

    private static void Flatten(JsonNode? node, string path, Dictionary<string, string> values, List<string> order)
    {
        if (node is JsonObject members && (path.Length == 0 || members.Count > 0))
        {
            foreach (var (name, value) in members)
            {
                Flatten(value, path.Length == 0 ? name : path + "." + name, values, order);
            }

            return;
        }

        if (path.Length > 0)
        {
            values[path] = HistoryTimeline.Text(node);
            order.Add(path);
        }
    }
}