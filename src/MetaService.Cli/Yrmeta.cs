using System.CommandLine;

using MetaService.Cli.Output;

namespace MetaService.Cli;

/// <summary><c>yrmeta</c>: the command tree and its global options.</summary>
internal static class Yrmeta
{
    public const string DefaultServer = "http://127.0.0.1:31182";

    public static Task<int> Main(string[] args) => RunAsync(args, CliHost.Process());

    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        var globals = new GlobalOptions(host);
        var root = new RootCommand("yrmeta: manage functions, reserved instances and pod pools of a MetaService or openYuanrong meta_service")
        {
            globals.Server,
            globals.Tenant,
            globals.Product,
            globals.Token,
            globals.Output,
            globals.PageSize,
            FunctionCommands.Create(globals),
            ReserveCommands.Create(globals),
            PoolCommands.Create(globals),
            TokenCommands.Create(globals),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await host.Error.WriteLineAsync("error: " + error.Message);
            }

            await host.Error.WriteLineAsync("hint: yrmeta --help lists the commands; yrmeta <command> --help its options");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = host.Out, Error = host.Error }, cancellationToken);
    }
}

/// <summary>The options every command takes, with their environment defaults.</summary>
internal sealed class GlobalOptions
{
    public GlobalOptions(CliHost host)
    {
        Host = host;
        Server = new Option<string>("--server")
        {
            Description = $"the server's base URL (default {Yrmeta.DefaultServer}, or YRMETA_SERVER)",
            Recursive = true,
            DefaultValueFactory = _ => host.Variable("YRMETA_SERVER") is { Length: > 0 } server ? server : Yrmeta.DefaultServer,
        };
        Tenant = new Option<string>("--tenant")
        {
            Description = "the tenant, sent as X-Tenant-Id (default 'default', or YRMETA_TENANT)",
            Recursive = true,
            DefaultValueFactory = _ => host.Variable("YRMETA_TENANT") is { Length: > 0 } tenant ? tenant : "default",
        };
        Product = new Option<string>("--product")
        {
            Description = "the product, sent as X-Product-Id (default none, or YRMETA_PRODUCT)",
            Recursive = true,
            DefaultValueFactory = _ => host.Variable("YRMETA_PRODUCT") is { Length: > 0 } product ? product : "",
        };
        Token = new Option<string>("--token")
        {
            Description = "an API token, sent as Authorization: Bearer (default none, or YRMETA_TOKEN; prefer the variable: a command line is visible to other users)",
            Recursive = true,
            DefaultValueFactory = _ => host.Variable("YRMETA_TOKEN") is { Length: > 0 } token ? token : "",
        };
        Output = new Option<OutputFormat>("--output", "-o")
        {
            Description = "how answers are printed: table, json or yaml",
            Recursive = true,
            DefaultValueFactory = _ => OutputFormat.Table,
        };

        PageSize = new Option<int>("--page-size")
        {
            Description = "rows asked for per request when a command pages through everything",
            Recursive = true,
            DefaultValueFactory = _ => 500,
        };
        PageSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--page-size must be at least 1");
            }
        });
    }

    public CliHost Host { get; }

    public Option<int> PageSize { get; }

    public Option<string> Server { get; }

    public Option<string> Tenant { get; }

    public Option<string> Product { get; }

    public Option<string> Token { get; }

    public Option<OutputFormat> Output { get; }
}