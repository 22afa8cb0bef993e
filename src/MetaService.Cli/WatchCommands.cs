using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Cli.Output;
using MetaService.Client;

namespace MetaService.Cli;

/// <summary><c>yrmeta watch</c>: changes as they happen, one line each; reconnects and resumes by itself.</summary>
internal static class WatchCommands
{
    public static Command Create(GlobalOptions globals)
    {
        var kind = new Option<string>("--kind") { Description = "functions, reserve-instance, podpools or aliases", DefaultValueFactory = _ => "functions" };
        kind.AcceptOnlyFromAmong("functions", "reserve-instance", "podpools", "aliases");
        var name = new Option<string>("--name") { Description = "only this function (with --kind aliases: its aliases; podpools: this pool id)" };
        var since = new Option<long?>("--since") { Description = "the changes after this store revision (a list's X-Meta-Revision, or a change's); default: from now" };
        var count = new Option<int>("--count") { Description = "stop after this many changes (default: until interrupted)" };
        var command = new Command("watch", "print changes as they happen (one line each; -o json: one JSON object a line), reconnecting and resuming after a broken connection")
        {
            kind, name, since, count,
        };
        command.SetRun(globals, async (parsed, client, _, cancellationToken) =>
        {
            var output = globals.Host.Out;
            var format = parsed.GetValue(globals.Output);
            var watched = parsed.GetValue(kind)!;
            var left = parsed.GetValue(count);
            try
            {
                await foreach (var change in client.WatchAsync(watched, parsed.GetValue(name), parsed.GetValue(since), cancellationToken))
                {
                    await output.WriteLineAsync(format == OutputFormat.Table ? Line(watched, change) : Json(change));
                    await output.FlushAsync(cancellationToken);
                    if (left > 0 && --left == 0)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Interrupted: the changes printed so far are the answer.
            }
        });
        return command;
    }

    /// <summary><c>{"type":"put","revision":42,"data":{…}}</c> on one line.</summary>
    private static string Json(ChangeEvent change)
    {
        var node = new JsonObject
        {
            ["type"] = change.Type,
            ["revision"] = change.Revision,
            ["data"] = JsonNode.Parse(change.Data.GetRawText()),
        };
        return node.ToJsonString();
    }

    /// <summary><c>REVISION TYPE WHAT</c>: the revision (<c>-</c> on all but the last change of a transaction), put or delete,
    /// and what changed: a function's name and version, a label's function, version, label and cluster, a pool's id, an
    /// alias's URN (a delete: its function and name) and where it routes.</summary>
    private static string Line(string kind, ChangeEvent change)
    {
        var data = change.Data;
        var what = kind switch
        {
            "reserve-instance" => $"{Text(data, "funcName")} {Text(data, "version")} label {Text(data, "instanceLabel")} {Cluster(data)}",
            "podpools" => $"pool {Text(data, "id")}" + (data.TryGetProperty("status", out var status) ? $" status {status}" : ""),
            "aliases" => change.Type == "delete"
                ? $"alias {Text(data, "functionName")}:{Text(data, "name")}"
                : $"alias {Text(data, "aliasUrn")} functionVersion {Text(data, "functionVersion")} revisionId {Text(data, "revisionId")}",
            _ => $"{Text(data, "name")} {Text(data, change.Type == "delete" ? "version" : "versionNumber")}"
                + (data.TryGetProperty("revisionId", out var revisionId) ? $" revisionId {revisionId.GetString()}" : ""),
        };
        var revision = change.Revision?.ToString(CultureInfo.InvariantCulture) ?? "-";
        return $"{revision,-8} {change.Type,-6} {what}";
    }

    private static string Text(JsonElement data, string member) =>
        data.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string Cluster(JsonElement data) =>
        data.TryGetProperty("instanceConfigInfos", out var configs) && configs.ValueKind == JsonValueKind.Array && configs.GetArrayLength() > 0
            ? Text(configs[0], "clusterId") + (configs[0].TryGetProperty("maxInstance", out var max) ? $" max {max} min {configs[0].GetProperty("minInstance")}" : "")
            : "";
}