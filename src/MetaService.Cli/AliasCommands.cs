using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

using MetaService.Cli.Output;
using MetaService.Client;
using MetaService.Core.Aliases;

namespace MetaService.Cli;

/// <summary><c>yrmeta alias create|get|list|update|delete|rollback|shift</c>: aliases the platform routes invocations by.
/// Weights are written <c>--weights v1=20,v2=80</c>; rules <c>--rule x-user:in:a,b --gray v2</c>. Writes that change an
/// existing alias send the revisionId they read, so a change made meanwhile is refused (412), never overwritten.</summary>
internal static class AliasCommands
{
    public static Command Create(GlobalOptions globals) => new("alias", "manage aliases (prod, canary) that route invocations between versions")
    {
        globals.DryRun,
        CreateAlias(globals),
        Get(globals),
        List(globals),
        Update(globals),
        Delete(globals),
        Rollback(globals),
        Shift(globals),
    };

    private sealed record Routing(Option<string> Version, Option<Dictionary<string, double>?> Weights, Option<string[]> Rules, Option<string> Logic, Option<string> Gray, Option<string> Description)
    {
        public static Routing Options() => new(
            new Option<string>("--function-version") { Description = "the alias's functionVersion (where it routes without --weights, and the default of a rule)" },
            new Option<Dictionary<string, double>?>("--weights") { Description = "weights per version, e.g. v1=20,v2=80 (whole numbers summing to 100)", CustomParser = ParseWeights },
            new Option<string[]>("--rule") { Description = "a header rule header:op:value (op = != > < >= <= in), repeatable; routes matching requests to --gray", AllowMultipleArgumentsPerToken = false },
            new Option<string>("--rule-logic") { Description = "and (default) or or, between several --rule", DefaultValueFactory = _ => "and" },
            new Option<string>("--gray") { Description = "with --rule: the version matching requests go to" },
            new Option<string>("--description") { Description = "what the alias is for" });

        public void AddTo(Command command)
        {
            command.Add(Version);
            command.Add(Weights);
            command.Add(Rules);
            command.Add(Logic);
            command.Add(Gray);
            command.Add(Description);
        }

        public (Dictionary<string, double>? Weights, string? Type, RoutingRules? Rules) Read(ParseResult parsed) =>
            parsed.GetValue(Rules) is { Length: > 0 } rules
                ? (null, AliasRules.RuleType, new RoutingRules { RuleLogic = parsed.GetValue(Logic), Rules = rules, GrayVersion = parsed.GetValue(Gray) })
                : (parsed.GetValue(Weights), null, null);
    }

    private static Argument<string> Name() => new("name") { Description = "the function's name (e.g. 0@svc@hello)" };

    private static Argument<string> AliasName() => new("alias") { Description = "the alias's name (e.g. prod)" };

    private static Command CreateAlias(GlobalOptions globals)
    {
        var (name, alias, routing) = (Name(), AliasName(), Routing.Options());
        var command = new Command("create", "create an alias and publish it to the platform") { name, alias };
        routing.AddTo(command);
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var (weights, type, rules) = routing.Read(parsed);
            var request = new AliasRequest
            {
                Name = parsed.GetValue(alias),
                FunctionVersion = parsed.GetValue(routing.Version),
                Description = parsed.GetValue(routing.Description),
                RoutingConfig = weights,
                RoutingType = type,
                RoutingRules = rules,
            };
            PrintOne(printer, await client.CreateAliasAsync(parsed.GetValue(name)!, request, cancellationToken));
        });
        return command;
    }

    private static Command Get(GlobalOptions globals)
    {
        var (name, alias) = (Name(), AliasName());
        var command = new Command("get", "show an alias") { name, alias };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
            PrintOne(printer, await client.GetAliasAsync(parsed.GetValue(name)!, parsed.GetValue(alias)!, cancellationToken)));
        return command;
    }

    private static Command List(GlobalOptions globals)
    {
        var name = Name();
        var command = new Command("list", "list a function's aliases (all pages)") { name };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var aliases = await client.ListAliasesAsync(parsed.GetValue(name)!, cancellationToken);
            printer.Print(aliases, AliasClientJson.Default.ListAliasView, a => Table(a) with { None = $"function {parsed.GetValue(name)} has no aliases" });
        });
        return command;
    }

    private static Command Update(GlobalOptions globals)
    {
        var (name, alias, routing) = (Name(), AliasName(), Routing.Options());
        var revision = new Option<string>("--revision-id") { Description = "the revisionId the change is for (default: the current one, read first)" };
        var command = new Command("update", "change an alias's version, weights, rules or description") { name, alias, revision };
        routing.AddTo(command);
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var (target, which) = (parsed.GetValue(name)!, parsed.GetValue(alias)!);
            var revisionId = parsed.GetValue(revision) ?? (await client.GetAliasAsync(target, which, cancellationToken)).RevisionId;
            var (weights, type, rules) = routing.Read(parsed);
            var request = new AliasUpdateRequest
            {
                RevisionId = revisionId,
                FunctionVersion = parsed.GetValue(routing.Version),
                Description = parsed.GetValue(routing.Description),
                RoutingConfig = weights,
                RoutingType = type,
                RoutingRules = rules,
            };
            PrintOne(printer, await client.UpdateAliasAsync(target, which, request, cancellationToken));
        });
        return command;
    }

    private static Command Delete(GlobalOptions globals)
    {
        var (name, alias) = (Name(), AliasName());
        var command = new Command("delete", "delete an alias: the platform stops routing by it") { name, alias };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            await client.DeleteAliasAsync(parsed.GetValue(name)!, parsed.GetValue(alias)!, cancellationToken: cancellationToken);
            printer.Done("deleted", $"deleted alias {parsed.GetValue(alias)} of {parsed.GetValue(name)}");
        });
        return command;
    }

    private static Command Rollback(GlobalOptions globals)
    {
        var (name, alias) = (Name(), AliasName());
        var command = new Command("rollback", "put an alias back to its routing before its last routing change") { name, alias };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
            PrintOne(printer, await client.RollbackAliasAsync(parsed.GetValue(name)!, parsed.GetValue(alias)!, cancellationToken: cancellationToken)));
        return command;
    }

    private static Command Shift(GlobalOptions globals)
    {
        var (name, alias) = (Name(), AliasName());
        var to = new Option<string>("--to") { Description = "the version that gets the share", Required = true };
        var percent = new Option<int>("--percent") { Description = "its share afterwards, 0 to 100; the rest keeps the other versions' proportions", Required = true };
        var command = new Command("shift", "move traffic to a version in one precondition-checked update (e.g. --to v3 --percent 20)") { name, alias, to, percent };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var (target, which) = (parsed.GetValue(name)!, parsed.GetValue(alias)!);
            var current = await client.GetAliasAsync(target, which, cancellationToken);
            var weights = AliasShift.Weights(current.RoutingConfig, current.FunctionVersion, parsed.GetValue(to)!, parsed.GetValue(percent));
            var request = new AliasUpdateRequest { RevisionId = current.RevisionId, RoutingType = AliasRules.WeightType, RoutingConfig = weights.ToDictionary(w => w.Key, w => (double)w.Value) };
            PrintOne(printer, await client.UpdateAliasAsync(target, which, request, cancellationToken));
        });
        return command;
    }

    private static Dictionary<string, double>? ParseWeights(ArgumentResult result)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var pair in string.Join(',', result.Tokens.Select(t => t.Value)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=');
            if (parts.Length != 2 || parts[0].Length == 0 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || !weights.TryAdd(parts[0], weight))
            {
                result.AddError($"--weights: '{pair}' is not version=weight (write e.g. --weights v1=20,v2=80, each version once)");
                return null;
            }
        }

        return weights;
    }

    private static void PrintOne(Printer printer, AliasView alias) => printer.Print(alias, AliasClientJson.Default.AliasView, a => Table([a]));

    internal static TextTable Table(IReadOnlyList<AliasView> aliases) => new(
        ["ALIAS", "VERSION", "ROUTING", "REVISION", "DESCRIPTION"],
        [.. aliases.Select(a => (IReadOnlyList<string>)
        [
            a.Name,
            a.FunctionVersion,
            a.RoutingType == AliasRules.RuleType && a.RoutingRules is { } rules
                ? $"{string.Join($" {rules.RuleLogic} ", rules.Rules ?? [])} -> {rules.GrayVersion}"
                : string.Join(",", a.RoutingConfig.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key}={w.Value}")),
            a.RevisionId,
            a.Description ?? "",
        ])]);
}