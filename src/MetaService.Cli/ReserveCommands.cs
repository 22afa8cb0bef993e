using System.CommandLine;
using System.Globalization;

using MetaService.Cli.Output;
using MetaService.Cli.Specs;
using MetaService.Client;

namespace MetaService.Cli;

/// <summary><c>yrmeta reserve create|update|get|delete</c>: reserved-instance labels of a function version.</summary>
internal static class ReserveCommands
{
    public static Command Create(GlobalOptions globals) => new("reserve", "manage reserved instances of a function version")
    {
        globals.DryRun,
        Write(globals, "create", "reserve instances under a new label", (c, r, t) => c.CreateReserveInstanceAsync(r, t)),
        Write(globals, "update", "change the instance counts of a label", (c, r, t) => c.UpdateReserveInstanceAsync(r, t)),
        Get(globals),
        Delete(globals),
    };

    private static Option<string> FunctionOption(bool required) => new("--function") { Description = "the faas function name (0@service@name)", Required = required };

    private static Option<string> VersionOption(bool required) => new("--version-number") { Description = "the function version (e.g. latest)", Required = required };

    private static Command Write(GlobalOptions globals, string name, string description, Func<MetaClient, ReserveInstanceRequest, CancellationToken, Task<ReserveInstanceAnswer>> send)
    {
        var file = new Option<string>("--file", "-f") { Description = "the whole request body as .json or .yaml (instead of the options below)" };
        var function = FunctionOption(required: false);
        var version = VersionOption(required: false);
        var label = new Option<string>("--label") { Description = "the instance label" };
        var cluster = new Option<string>("--cluster") { Description = "the cluster", DefaultValueFactory = _ => "cluster001" };
        var min = new Option<long>("--min") { Description = "reserved instances kept at least" };
        var max = new Option<long>("--max") { Description = "instances at most" };
        var command = new Command(name, description) { file, function, version, label, cluster, min, max };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var request = parsed.GetValue(file) is { } path
                ? SpecFile.Read(path, ClientJson.Info<ReserveInstanceRequest>(ClientJson.Lenient))
                : new ReserveInstanceRequest
                {
                    FuncName = parsed.GetValue(function) ?? throw new UsageException("give --file, or --function, --version-number and --label"),
                    Version = parsed.GetValue(version) ?? throw new UsageException("--version-number is needed without --file"),
                    InstanceLabel = parsed.GetValue(label) ?? throw new UsageException("--label is needed without --file"),
                    InstanceConfigInfos = [new InstanceConfigInfo { ClusterId = parsed.GetValue(cluster)!, MinInstance = parsed.GetValue(min), MaxInstance = parsed.GetValue(max) }],
                };
            var answer = await send(client, request, cancellationToken);
            printer.Print(answer, ClientJson.Info<ReserveInstanceAnswer>(ClientJson.Indented), a =>
                Table([new ReserveInstanceLabel { InstanceLabel = a.ReserveInsBaseInfo?.InstanceLabel ?? request.InstanceLabel ?? "", InstanceConfigInfos = a.InstanceConfigInfos }]));
        });
        return command;
    }

    private static Command Get(GlobalOptions globals)
    {
        var function = FunctionOption(required: true);
        var version = VersionOption(required: true);
        var command = new Command("get", "show the labels of a function version") { function, version };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var list = await client.GetReserveInstancesAsync(parsed.GetValue(function)!, parsed.GetValue(version)!, cancellationToken);
            printer.Print(list, ClientJson.Info<ReserveInstanceList>(ClientJson.Indented), l => Table(l.Results ?? []) with { None = $"no reserved instances for {parsed.GetValue(function)} version {parsed.GetValue(version)}" });
        });
        return command;
    }

    private static Command Delete(GlobalOptions globals)
    {
        var function = FunctionOption(required: true);
        var version = VersionOption(required: true);
        var label = new Option<string>("--label") { Description = "only this label (default: every label of the version)" };
        var command = new Command("delete", "delete one label, or every label of a function version") { function, version, label };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var only = parsed.GetValue(label);
            await client.DeleteReserveInstanceAsync(parsed.GetValue(function)!, parsed.GetValue(version)!, only, cancellationToken);
            printer.Done("deleted", only is null ? "deleted every label" : $"deleted label {only}");
        });
        return command;
    }

    /// <summary>One row per label and cluster.</summary>
    internal static TextTable Table(IEnumerable<ReserveInstanceLabel> labels) => new(
        ["LABEL", "CLUSTER", "MIN", "MAX"],
        [.. labels.SelectMany(l => (l.InstanceConfigInfos ?? []).Select(c => (IReadOnlyList<string>)
        [
            l.InstanceLabel,
            c.ClusterId,
            c.MinInstance.ToString(CultureInfo.InvariantCulture),
            c.MaxInstance.ToString(CultureInfo.InvariantCulture),
        ]))]);
}