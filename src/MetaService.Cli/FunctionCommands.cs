using System.CommandLine;
using System.Globalization;

using MetaService.Cli.Output;
using MetaService.Cli.Specs;
using MetaService.Client;
using MetaService.Core.Functions;

namespace MetaService.Cli;

/// <summary><c>yrmeta function deploy|get|list|update|publish|versions|delete</c> (and <c>set|env|edit</c>, <see cref="EditCommands"/>).</summary>
internal static class FunctionCommands
{
    public static Command Create(GlobalOptions globals) => new("function", "create, read, update, publish and delete functions")
    {
        globals.DryRun,
        Deploy(globals),
        Get(globals),
        List(globals),
        Update(globals),
        Publish(globals),
        Versions(globals),
        Delete(globals),
        EditCommands.Set(globals),
        EditCommands.Env(globals),
        EditCommands.Edit(globals),
        HistoryCommands.History(globals),
        HistoryCommands.Diff(globals),
        HistoryCommands.Restore(globals),
    };

    private static Option<string> FileOption(bool required) => new("--file", "-f")
    {
        Description = "the function spec: a create/update body as .json or .yaml ('-' reads JSON from standard input)",
        Required = required,
    };

    private static Option<string> VersionNumber(string description) => new("--version-number") { Description = description };

    internal static Argument<string> NameArgument() => new("name") { Description = "the function name (or its URN)" };

    private static Command Deploy(GlobalOptions globals)
    {
        var file = FileOption(required: true);
        var command = new Command(
            "deploy",
            "create the function of a spec, or update it (with its current revisionId) when it exists and differs; prints created, updated or unchanged") { file };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var spec = SpecFile.Read(parsed.GetValue(file)!, ClientJson.Info<FunctionRequest>(ClientJson.Lenient));
            var name = spec.Name is { Length: > 0 } given ? given : throw new SpecException("the spec has no 'name'");
            var current = await DraftOrNullAsync(client, name, spec.Kind, cancellationToken);
            var (outcome, deployed) = current switch
            {
                null => ($"created {name}", await client.CreateFunctionAsync(spec, cancellationToken)),
                _ when UnchangedSpec.Matches(spec, current) => ($"unchanged {name}", current),
                _ => await UpdatedAsync(client, name, spec with { RevisionId = current.RevisionId }, cancellationToken),
            };
            printer.Outcome(outcome);
            PrintOne(printer, deployed);
        });
        return command;
    }

    private static Command Get(GlobalOptions globals)
    {
        var name = NameArgument();
        var version = VersionNumber("a published version (default: the draft)");
        var command = new Command("get", "show one version of a function") { name, version };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
            PrintOne(printer, await client.GetFunctionAsync(parsed.GetValue(name)!, parsed.GetValue(version), cancellationToken)));
        return command;
    }

    private static Command List(GlobalOptions globals)
    {
        var name = new Option<string>("--name") { Description = "only functions whose name contains this text" };
        var version = VersionNumber("only this version number");
        var command = new Command("list", "list every version of every function of the tenant (all pages)") { name, version };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
            PrintMany(printer, await client.ListFunctionsAsync(parsed.GetValue(name), parsed.GetValue(version), cancellationToken), NoneListed(parsed.GetValue(name), parsed.GetValue(version))));
        return command;
    }

    private static Command Update(GlobalOptions globals)
    {
        var name = NameArgument();
        var file = FileOption(required: true);
        var revision = new Option<string>("--revision-id") { Description = "the revisionId the change is based on (default: the spec's, else the draft's current one)" };
        var command = new Command("update", "update a function's draft from a spec") { name, file, revision };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var spec = SpecFile.Read(parsed.GetValue(file)!, ClientJson.Info<FunctionRequest>(ClientJson.Lenient));
            var target = parsed.GetValue(name)!;
            var revisionId = parsed.GetValue(revision) ?? spec.RevisionId
                ?? (await client.GetFunctionAsync(target, DraftName(spec.Kind), cancellationToken)).RevisionId;
            PrintOne(printer, await client.UpdateFunctionAsync(target, spec with { RevisionId = revisionId }, cancellationToken));
        });
        return command;
    }

    private static Command Publish(GlobalOptions globals)
    {
        var name = NameArgument();
        var version = VersionNumber("the new version's number (default: the server's v<date>-<time>)");
        var description = new Option<string>("--description") { Description = "the version's description (versionDesc)" };
        var revision = new Option<string>("--revision-id") { Description = "the draft revisionId to publish (default: the current one)" };
        var command = new Command("publish", "publish the draft as a new immutable version") { name, version, description, revision };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var target = parsed.GetValue(name)!;
            var draft = await client.GetFunctionAsync(target, cancellationToken: cancellationToken);
            var request = new PublishRequest
            {
                RevisionId = parsed.GetValue(revision) ?? draft.RevisionId,
                VersionNumber = parsed.GetValue(version),
                VersionDesc = parsed.GetValue(description),
                Kind = draft.Kind,
            };
            PrintOne(printer, await client.PublishAsync(target, request, cancellationToken));
        });
        return command;
    }

    private static Command Versions(GlobalOptions globals)
    {
        var name = NameArgument();
        var command = new Command("versions", "list every version of a function, the draft included (all pages)") { name };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
            PrintMany(printer, await client.ListVersionsAsync(parsed.GetValue(name)!, cancellationToken), $"function {parsed.GetValue(name)} has no versions"));
        return command;
    }

    private static Command Delete(GlobalOptions globals)
    {
        var name = NameArgument();
        var version = VersionNumber("delete only this published version (default: the function and all its versions)");
        var command = new Command("delete", "delete a function, or one of its published versions") { name, version };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var target = parsed.GetValue(name)!;
            var only = parsed.GetValue(version);
            await client.DeleteFunctionAsync(target, only, cancellationToken);
            printer.Done("deleted", only is null ? $"deleted function {target}" : $"deleted version {only} of {target}");
        });
        return command;
    }

    private static async Task<(string Outcome, FunctionView Function)> UpdatedAsync(MetaClient client, string name, FunctionRequest spec, CancellationToken cancellationToken)
    {
        var updated = await client.UpdateFunctionAsync(name, spec, cancellationToken);
        return ($"updated {name} (revisionId {updated.RevisionId})", updated);
    }

    /// <summary>openYuanrong finds a faas draft only as <c>latest</c>; MetaService finds any draft either way.</summary>
    private static string? DraftName(string? kind) => kind == "faas" ? "latest" : null;

    private static async Task<FunctionView?> DraftOrNullAsync(MetaClient client, string name, string? kind, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFunctionAsync(name, DraftName(kind), cancellationToken);
        }
        catch (MetaClientException e) when (e.Code == 4115)
        {
            return null;
        }
    }

    internal static void PrintOne(Printer printer, FunctionView function) =>
        printer.Print(function, ClientJson.Info<FunctionView>(ClientJson.Indented), f => Table([f]));

    private static void PrintMany(Printer printer, List<FunctionView> functions, string none) =>
        printer.Print(functions, ClientJson.Info<List<FunctionView>>(ClientJson.Indented), f => Table(f) with { None = none });

    private static string NoneListed(string? name, string? version) =>
        "no functions" + (name is null ? "" : $" whose name contains '{name}'") + (version is null ? "" : $" at version {version}");

    private static TextTable Table(List<FunctionView> functions) => new(
        ["NAME", "VERSION", "KIND", "RUNTIME", "CPU", "MEMORY", "REVISION", "UPDATED"],
        [.. functions.Select(f => (IReadOnlyList<string>)
        [
            f.Name ?? "",
            f.VersionNumber ?? "",
            f.Kind ?? "",
            f.Runtime ?? "",
            f.Cpu.ToString(CultureInfo.InvariantCulture),
            f.Memory.ToString(CultureInfo.InvariantCulture),
            f.RevisionId ?? "",
            f.UpdateTime is { Length: > 0 } updated ? updated : f.CreateTime ?? "",
        ])]);
}