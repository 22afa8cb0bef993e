using System.CommandLine;

using MetaService.Cli.Contexts;
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
        var root = new RootCommand("yrmeta: manage functions, reserved instances and pod pools of a MetaService or openYuanrong meta_service. "
            + $"'yrmeta login' saves a server, tenant and token as a context in {CliConfig.PathOf(host.Variable)}; commands use the current one")
        {
            globals.Server,
            globals.Tenant,
            globals.Product,
            globals.Token,
            globals.CaFile,
            globals.Output,
            globals.PageSize,
            FunctionCommands.Create(globals),
            AliasCommands.Create(globals),
            ReserveCommands.Create(globals),
            PoolCommands.Create(globals),
            TokenCommands.Create(globals),
            HistoryCommands.Trail(globals),
            WatchCommands.Create(globals),
            ContextCommands.Login(globals),
            ContextCommands.Create(globals),
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
        // No defaults here: a value not on the command line comes from the environment, else the current context, else the
        // default (Connection.Resolve), and help never prints a token taken from the environment.
        Server = new Option<string>("--server")
        {
            Description = $"the server's base URL (else YRMETA_SERVER, else the current context's, else {Yrmeta.DefaultServer})",
            Recursive = true,
        };
        Tenant = new Option<string>("--tenant")
        {
            Description = "the tenant, sent as X-Tenant-Id (else YRMETA_TENANT, else the current context's, else 'default')",
            Recursive = true,
        };
        Product = new Option<string>("--product")
        {
            Description = "the product, sent as X-Product-Id (default none, or YRMETA_PRODUCT)",
            Recursive = true,
            DefaultValueFactory = _ => host.Variable("YRMETA_PRODUCT") is { Length: > 0 } product ? product : "",
        };
        Token = new Option<string>("--token")
        {
            Description = "an API token or JWT, sent as Authorization: Bearer (else YRMETA_TOKEN, else the current context's; prefer those: a command line is visible to other users)",
            Recursive = true,
        };
        CaFile = new Option<string>("--ca-file")
        {
            Description = "a PEM file of the CA to trust for an https server, instead of the system's (else YRMETA_CA_FILE, else the current context's)",
            Recursive = true,
        };
        Output = new Option<OutputFormat>("--output", "-o")
        {
            Description = "how answers are printed: table, json or yaml",
            Recursive = true,
            DefaultValueFactory = _ => OutputFormat.Table,
        };

        DryRun = new Option<bool>("--dry-run")
        {
            Description = "send writes with ?dryRun=true: the server runs every check and answers what the write would, writing nothing",
            Recursive = true,
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

    /// <summary>On the function, reserve and pool commands (tokens have no dry run).</summary>
    public Option<bool> DryRun { get; }

    public Option<string> Server { get; }

    public Option<string> Tenant { get; }

    public Option<string> Product { get; }

    public Option<string> Token { get; }

    public Option<string> CaFile { get; }

    public Option<OutputFormat> Output { get; }
}