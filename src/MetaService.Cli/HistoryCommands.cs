using System.CommandLine;
using System.Text.Json.Nodes;

using MetaService.Cli.Output;
using MetaService.Core.History;

namespace MetaService.Cli;

/// <summary><c>yrmeta function history|diff|restore</c> and <c>yrmeta history</c>: what changed, when, by whom, and putting
/// an earlier configuration back.</summary>
internal static class HistoryCommands
{
    private static Option<int> LimitOption() => new("--limit")
    {
        Description = "at most this many entries, newest first",
        DefaultValueFactory = _ => 50,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--limit must be at least 1"); } } },
    };

    public static Command History(GlobalOptions globals)
    {
        var name = FunctionCommands.NameArgument();
        var limit = LimitOption();
        var command = new Command("history", "who changed a function, when, and what: its history, newest first") { name, limit };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
            PrintEntries(printer, await client.FunctionHistoryAsync(parsed.GetValue(name)!, parsed.GetValue(limit), cancellationToken), withName: false));
        return command;
    }

    public static Command Trail(GlobalOptions globals)
    {
        var name = new Option<string>("--name") { Description = "only this function" };
        var operation = new Option<string>("--operation") { Description = $"only this operation ({string.Join(", ", HistoryOperations.All)})" };
        var since = new Option<string>("--since") { Description = "only changes at or after this time (RFC 3339, e.g. 2026-12-03T10:00:00Z)" };
        var until = new Option<string>("--until") { Description = "only changes at or before this time" };
        var limit = LimitOption();
        var command = new Command("history", "the tenant's audit trail: every change of every function (deleted ones too), newest first") { name, operation, since, until, limit };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
            PrintEntries(printer, await client.TrailAsync(parsed.GetValue(name), parsed.GetValue(operation), parsed.GetValue(since), parsed.GetValue(until), parsed.GetValue(limit), cancellationToken), withName: true));
        return command;
    }

    public static Command Diff(GlobalOptions globals)
    {
        var name = FunctionCommands.NameArgument();
        var from = new Argument<string>("from") { Description = "a version number (v3), latest, or @<revision> of a history entry" };
        var to = new Argument<string>("to") { Description = "the same kinds of name" };
        var command = new Command("diff", "what differs between two versions, the draft, or history entries") { name, from, to };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
            PrintChanges(printer, globals, await client.DiffAsync(parsed.GetValue(name)!, parsed.GetValue(from)!, parsed.GetValue(to)!, cancellationToken)));
        return command;
    }

    public static Command Restore(GlobalOptions globals)
    {
        var name = FunctionCommands.NameArgument();
        var from = new Option<string>("--from") { Description = "the version (v3) or history entry (@<revision>) to take the configuration from", Required = true };
        var revision = new Option<string>("--revision-id") { Description = "the draft's revisionId the restore is based on (default: its current one)" };
        var command = new Command("restore", "put a function's draft back as it was in a version or history entry (a new revision; --dry-run shows the changes)") { name, from, revision };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var target = parsed.GetValue(name)!;
            var revisionId = parsed.GetValue(revision) ?? (await client.GetFunctionAsync(target, null, cancellationToken)).RevisionId;
            var answer = await client.RestoreAsync(target, parsed.GetValue(from)!, revisionId, cancellationToken);
            if (answer.Function is { } restored)
            {
                printer.Outcome($"restored {target} from {parsed.GetValue(from)}");
                FunctionCommands.PrintOne(printer, restored);
            }
            else
            {
                printer.Outcome($"dry run: restoring {target} from {parsed.GetValue(from)} would change");
                PrintChanges(printer, globals, answer.Changes ?? []);
            }
        });
        return command;
    }

    private static readonly string[] EntryHeaders = ["REVISION", "TIME", "OPERATION", "VERSION", "BY", "CHANGES"];
    private static readonly string[] TrailHeaders = ["REVISION", "TIME", "OPERATION", "NAME", "VERSION", "BY", "CHANGES"];

    private static void PrintEntries(Printer printer, List<HistoryEntry> entries, bool withName) =>
        printer.Print(entries, HistoryCliJson.Default.ListHistoryEntry, list => new TextTable(
            withName ? TrailHeaders : EntryHeaders,
            [.. list.Select(e => (IReadOnlyList<string>)[
                e.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Time, e.Operation, .. withName ? [e.Name] : Array.Empty<string>(),
                e.Version, $"{e.Actor.Principal}@{e.Actor.RemoteAddress}", Summary(e.Changes)])])
        { None = "no history" });

    private static string Summary(List<HistoryChange> changes) =>
        changes.Count == 0 ? "-" : changes.Count <= 3 ? string.Join(", ", changes.Select(c => c.Path)) : $"{string.Join(", ", changes.Take(3).Select(c => c.Path))} (+{changes.Count - 3})";

    /// <summary>Changes as JSON or YAML, or one line each: <c>~ path: from → to</c>, coloured when standard output is a terminal.</summary>
    private static void PrintChanges(Printer printer, GlobalOptions globals, List<HistoryChange> changes)
    {
        var colour = ReferenceEquals(globals.Host.Out, Console.Out) && !Console.IsOutputRedirected && string.IsNullOrEmpty(globals.Host.Variable("NO_COLOR"));
        printer.Print(changes, HistoryCliJson.Default.ListHistoryChange, list => new TextTable(["CHANGE"], [.. list.Select(c => (IReadOnlyList<string>)[Line(c, colour)])]) { None = "no differences" });
    }

    internal static string Line(HistoryChange change, bool colour)
    {
        var (mark, paint) = change.Op switch
        {
            RecordChanges.Add => ("+", "\u001b[32m"),
            RecordChanges.Remove => ("-", "\u001b[31m"),
            _ => ("~", "\u001b[33m"),
        };
        var text = change.Op switch
        {
            RecordChanges.Add => $"{mark} {change.Path}: {Value(change.To)}",
            RecordChanges.Remove => $"{mark} {change.Path}: {Value(change.From)}",
            _ => $"{mark} {change.Path}: {Value(change.From)} → {Value(change.To)}",
        };
        return colour ? paint + text + "\u001b[0m" : text;
    }

    private static string Value(JsonNode? node) => node is null ? "null" : node.ToJsonString();
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, WriteIndented = true,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<HistoryEntry>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<HistoryChange>))]
internal sealed partial class HistoryCliJson : System.Text.Json.Serialization.JsonSerializerContext;