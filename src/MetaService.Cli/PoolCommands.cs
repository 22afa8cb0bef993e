using System.CommandLine;
using System.Globalization;

using MetaService.Cli.Output;
using MetaService.Cli.Specs;
using MetaService.Client;

namespace MetaService.Cli;

/// <summary><c>yrmeta pool create|get|update|delete</c>: pod pools.</summary>
internal static class PoolCommands
{
    public static Command Create(GlobalOptions globals) => new("pool", "manage pod pools")
    {
        globals.DryRun,
        CreatePools(globals),
        Get(globals),
        Update(globals),
        Delete(globals),
    };

    private static Option<string> IdOption() => new("--id") { Description = "the pool id" };

    private static Option<string> GroupOption() => new("--group") { Description = "the pool group" };

    private static Command CreatePools(GlobalOptions globals)
    {
        var file = new Option<string>("--file", "-f") { Description = "pools as .json or .yaml: {\"pools\":[…]} (instead of the options below)" };
        var id = IdOption();
        var group = GroupOption();
        var size = new Option<int>("--size") { Description = "pods kept ready" };
        var maxSize = new Option<int>("--max-size") { Description = "pods at most (default: --size)" };
        var image = new Option<string>("--image") { Description = "the pods' image" };
        var command = new Command("create", "create pod pools") { file, id, group, size, maxSize, image };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var pools = parsed.GetValue(file) is { } path
                ? SpecFile.Read(path, PoolJson.Default.PoolCreateRequest).Pools
                : [new Pool
                {
                    Id = parsed.GetValue(id) ?? throw new UsageException("give --file, or --id and --size"),
                    Group = parsed.GetValue(group),
                    Size = parsed.GetValue(size),
                    MaxSize = parsed.GetValue(maxSize),
                    Image = parsed.GetValue(image),
                }];
            await client.CreatePoolsAsync(pools, cancellationToken);
            printer.Done("created", $"created {string.Join(", ", pools.Select(p => p.Id))}");
        });
        return command;
    }

    private static Command Get(GlobalOptions globals)
    {
        var id = IdOption();
        var group = GroupOption();
        var command = new Command("get", "list pod pools (all pages), optionally by id or group") { id, group };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var pools = await client.GetPoolsAsync(new PoolFilter(parsed.GetValue(id), parsed.GetValue(group)), cancellationToken);
            printer.Print(pools, ClientJson.Info<List<Pool>>(PoolJson.Indented), p => Table(p) with { None = "no pod pools" });
        });
        return command;
    }

    private static Command Update(GlobalOptions globals)
    {
        var id = new Argument<string>("id") { Description = "the pool id" };
        var size = new Option<int>("--size") { Description = "pods kept ready", Required = true };
        var maxSize = new Option<int>("--max-size") { Description = "pods at most (0: keep, for scalable pools)" };
        var command = new Command("update", "resize a pod pool") { id, size, maxSize };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var target = parsed.GetValue(id)!;
            await client.UpdatePoolAsync(target, new PoolUpdateRequest { Size = parsed.GetValue(size), MaxSize = parsed.GetValue(maxSize) }, cancellationToken);
            printer.Done("updated", $"updated pool {target}");
        });
        return command;
    }

    private static Command Delete(GlobalOptions globals)
    {
        var id = IdOption();
        var group = GroupOption();
        var command = new Command("delete", "delete pod pools by id and/or group") { id, group };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var filter = new PoolFilter(parsed.GetValue(id), parsed.GetValue(group));
            if (filter.Id is null && filter.Group is null)
            {
                throw new UsageException("give --id or --group (or both)");
            }

            await client.DeletePoolsAsync(filter, cancellationToken);
            printer.Done("deleted", $"deleted pools {filter.Id ?? "*"} in group {filter.Group ?? "*"}");
        });
        return command;
    }

    internal static TextTable Table(List<Pool> pools) => new(
        ["ID", "GROUP", "SIZE", "MAX", "READY", "STATUS", "SCALABLE", "MSG"],
        [.. pools.Select(p => (IReadOnlyList<string>)
        [
            p.Id,
            p.Group ?? "",
            p.Size.ToString(CultureInfo.InvariantCulture),
            p.MaxSize.ToString(CultureInfo.InvariantCulture),
            p.ReadyCount.ToString(CultureInfo.InvariantCulture),
            Pool.StatusName(p.Status),
            p.Scalable ? "yes" : "no",
            p.Msg ?? "",
        ])]);
}