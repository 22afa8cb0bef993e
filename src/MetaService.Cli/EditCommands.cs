using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Cli.Output;
using MetaService.Cli.Specs;
using MetaService.Client;

namespace MetaService.Cli;

/// <summary><c>yrmeta function set|env|edit</c>: changes of the draft through PATCH (JSON Merge Patch), which keeps every
/// member it does not name (unlike <c>update</c>, whose body clears the code fields it leaves out).</summary>
internal static class EditCommands
{
    private static Option<string> IfMatchOption() => new("--if-match")
    {
        Description = "apply only while the draft is at this revisionId (sent as If-Match; 412 otherwise)",
    };

    public static Command Set(GlobalOptions globals)
    {
        var name = FunctionCommands.NameArgument();
        var pairs = new Argument<string[]>("member=value")
        {
            Description = "top-level members of the update body; a value is JSON when it reads as JSON (120, true, {\"A\":\"1\"}, null removes), else text",
            Arity = ArgumentArity.OneOrMore,
        };
        var ifMatch = IfMatchOption();
        var command = new Command("set", "change members of a function's draft; the others keep their values") { name, pairs, ifMatch };
        command.SetRun(globals, (parsed, client, printer, cancellationToken) =>
        {
            var patch = new JsonObject();
            foreach (var (member, text) in parsed.GetValue(pairs)!.Select(Pair))
            {
                patch[member] = JsonOrText(text);
            }

            return PatchAsync(client, printer, parsed.GetValue(name)!, EditDocument.DigitsAsText(patch), parsed.GetValue(ifMatch), cancellationToken);
        });
        return command;
    }

    public static Command Env(GlobalOptions globals)
    {
        var set = new Command("set", "set environment variables of a function's draft; the others keep their values");
        var unset = new Command("unset", "remove environment variables of a function's draft");
        foreach (var (command, remove) in new[] { (set, false), (unset, true) })
        {
            var name = FunctionCommands.NameArgument();
            var variables = new Argument<string[]>(remove ? "name" : "name=value") { Description = remove ? "variables to remove" : "variables to set (values are text)", Arity = ArgumentArity.OneOrMore };
            var ifMatch = IfMatchOption();
            command.Add(name);
            command.Add(variables);
            command.Add(ifMatch);
            command.SetRun(globals, (parsed, client, printer, cancellationToken) =>
            {
                var environment = new JsonObject();
                foreach (var given in parsed.GetValue(variables)!)
                {
                    var (key, value) = remove ? (given, null) : Pair(given);
                    environment[key] = value is null ? null : JsonValue.Create(value);
                }

                return PatchAsync(client, printer, parsed.GetValue(name)!, new JsonObject { ["environment"] = environment }, parsed.GetValue(ifMatch), cancellationToken);
            });
        }

        return new Command("env", "set or remove environment variables of a function's draft") { set, unset };
    }

    public static Command Edit(GlobalOptions globals)
    {
        var name = FunctionCommands.NameArgument();
        var command = new Command("edit", "edit a function's draft as YAML in $EDITOR; the change is applied as a merge patch only if the draft did not change meanwhile") { name };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var target = parsed.GetValue(name)!;
            var draft = await client.GetFunctionAsync(target, cancellationToken: cancellationToken);
            var path = EditDocument.FileFor(target, draft.RevisionId);
            var shown = EditDocument.Text(target, draft);
            await File.WriteAllTextAsync(path, shown, cancellationToken);
            await EditDocument.RunEditorAsync(globals.Host, path, cancellationToken);

            var before = EditDocument.Read(shown, path);
            var patch = EditDocument.Diff(before, EditDocument.Read(await File.ReadAllTextAsync(path, cancellationToken), path));
            if (patch.Count == 0)
            {
                File.Delete(path);
                printer.Outcome($"unchanged {target}");
                FunctionCommands.PrintOne(printer, draft);
                return;
            }

            try
            {
                var updated = await client.PatchFunctionAsync(target, patch, draft.RevisionId, cancellationToken);
                File.Delete(path);
                printer.Outcome($"edited {target} (revisionId {updated.RevisionId})");
                FunctionCommands.PrintOne(printer, updated);
            }
            catch (MetaClientException e) when (e.Status == HttpStatusCode.PreconditionFailed)
            {
                var current = await client.GetFunctionAsync(target, cancellationToken: cancellationToken);
                var changed = EditDocument.Changed(before, EditDocument.Read(EditDocument.Text(target, current), path));
                await globals.Host.Error.WriteLineAsync($"the function changed on the server since it was read (revisionId {draft.RevisionId}, now {current.RevisionId}); "
                    + $"changed there: {(changed.Count == 0 ? "members this edit does not show" : string.Join(", ", changed))}");
                await globals.Host.Error.WriteLineAsync($"your edit is kept in {path}: run 'yrmeta function edit {target}' again and make your change there");
                throw;
            }
            catch (MetaClientException)
            {
                await globals.Host.Error.WriteLineAsync($"your edit is kept in {path}");
                throw;
            }
        });
        return command;
    }

    private static async Task PatchAsync(MetaClient client, Printer printer, string name, JsonObject patch, string? ifMatch, CancellationToken cancellationToken)
    {
        var updated = await client.PatchFunctionAsync(name, patch, ifMatch, cancellationToken);
        printer.Outcome($"patched {name} (revisionId {updated.RevisionId})");
        FunctionCommands.PrintOne(printer, updated);
    }

    private static (string Key, string Value) Pair(string text)
    {
        var at = text.IndexOf('=', StringComparison.Ordinal);
        return at > 0 ? (text[..at], text[(at + 1)..]) : throw new UsageException($"'{text}' is not KEY=VALUE");
    }

    /// <summary>The value as JSON when it reads as JSON (numbers, true, objects, null), else as text.</summary>
    private static JsonNode? JsonOrText(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}