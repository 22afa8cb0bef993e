using System.CommandLine;

using MetaService.Cli.Output;

namespace MetaService.Cli.Contexts;

/// <summary><c>yrmeta login</c> and <c>yrmeta context list|use</c>: named contexts (server, tenant, token, CA file) in the
/// per-user configuration file (<see cref="CliConfig"/>), kubeconfig-style.</summary>
internal static class ContextCommands
{
    public static Command Login(GlobalOptions globals)
    {
        var name = new Option<string>("--context") { Description = "the context's name (default: the server's host and port)" };
        var command = new Command("login", "check --server, --token (or YRMETA_TOKEN), --tenant and --ca-file against the server, then save them as a context and make it current")
        {
            name,
        };
        command.SetAction((parsed, cancellationToken) => LoginAsync(parsed, globals, name, cancellationToken));
        return command;
    }

    public static Command Create(GlobalOptions globals)
    {
        var list = new Command("list", "list the saved contexts (never their tokens); * marks the current one");
        list.SetAction((parsed, _) => Guarded(globals, () => List(parsed, globals)));
        var target = new Argument<string>("name") { Description = "the context's name (yrmeta context list)" };
        var use = new Command("use", "make a saved context the current one") { target };
        use.SetAction((parsed, _) => Guarded(globals, () => Use(parsed.GetValue(target)!, globals)));
        return new Command("context", "the saved contexts of 'yrmeta login'") { list, use };
    }

    private static async Task<int> LoginAsync(ParseResult parsed, GlobalOptions globals, Option<string> nameOption, CancellationToken cancellationToken)
    {
        var variable = globals.Host.Variable;
        var server = Connection.Given(parsed, globals.Server) ?? variable("YRMETA_SERVER");
        var token = Connection.Given(parsed, globals.Token) ?? variable("YRMETA_TOKEN");
        if (string.IsNullOrEmpty(server) || string.IsNullOrEmpty(token))
        {
            await globals.Host.Error.WriteLineAsync("error: yrmeta login needs --server and --token (or YRMETA_SERVER and YRMETA_TOKEN)");
            await globals.Host.Error.WriteLineAsync("hint: yrmeta login --server https://meta.example:31182 --token $TOKEN [--tenant T] [--ca-file ca.pem] [--context NAME]");
            return ExitCodes.Usage;
        }

        var caFile = Connection.Given(parsed, globals.CaFile) ?? variable("YRMETA_CA_FILE") ?? "";
        var connection = new Connection(server, Connection.Given(parsed, globals.Tenant) ?? variable("YRMETA_TENANT") ?? "", token, caFile.Length > 0 ? Path.GetFullPath(caFile) : "");
        var path = CliConfig.PathOf(variable);
        return await CommandRunner.RunAsync(parsed, globals, connection, async (_, client, printer, ct) =>
        {
            // A read the credential's role (viewer at least) may make: 401 or 403 means it would not work later either.
            await client.ListFunctionsPageAsync(null, null, 1, 1, ct);
            var name = parsed.GetValue(nameOption) is { Length: > 0 } given ? given : DefaultName(server);
            try
            {
                CliConfig.Load(path).With(new CliContext
                {
                    Name = name,
                    Server = server,
                    Tenant = connection.Tenant,
                    Token = token,
                    CaFile = connection.CaFile,
                }).Save(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"the configuration file {path} cannot be written ({e.Message}): set YRMETA_CONFIG to a writable path");
            }

            printer.Done("saved", $"logged in to {server}{(connection.Tenant.Length > 0 ? $" as tenant {connection.Tenant}" : "")}: context {name} saved in {path} and made current");
        }, $"nothing was saved in {path}", cancellationToken);
    }

    private static int List(ParseResult parsed, GlobalOptions globals)
    {
        var config = CliConfig.Load(CliConfig.PathOf(globals.Host.Variable));
        List<ContextRow> rows = [.. config.Contexts.Select(c => new ContextRow(c.Name, c.Server, c.Tenant, c.CaFile, c.Name == config.Current))];
        new Printer(globals.Host.Out, globals.Host.Error, parsed.GetValue(globals.Output)).Print(rows, ConfigJson.Default.ListContextRow, r => new TextTable(
            ["CURRENT", "NAME", "SERVER", "TENANT", "CA-FILE"],
            [.. r.Select(c => (IReadOnlyList<string>)[c.Current ? "*" : "", c.Name, c.Server, c.Tenant.Length > 0 ? c.Tenant : "(the token's)", c.CaFile])])
        {
            None = "no contexts: 'yrmeta login --server URL --token T' saves one",
        });
        return ExitCodes.Ok;
    }

    private static int Use(string name, GlobalOptions globals)
    {
        var path = CliConfig.PathOf(globals.Host.Variable);
        var config = CliConfig.Load(path);
        if (config.Contexts.Find(c => c.Name == name) is not { } context)
        {
            throw new UsageException($"no context is named '{name}'; saved: {(config.Contexts.Count == 0 ? "none ('yrmeta login' saves one)" : string.Join(", ", config.Contexts.Select(c => c.Name)))}");
        }

        config.With(context).Save(path);
        globals.Host.Out.WriteLine($"current context: {name} ({context.Server})");
        return ExitCodes.Ok;
    }

    private static Task<int> Guarded(GlobalOptions globals, Func<int> action)
    {
        try
        {
            return Task.FromResult(action());
        }
        catch (UsageException e)
        {
            globals.Host.Error.WriteLine("error: " + e.Message);
            return Task.FromResult(ExitCodes.Usage);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            globals.Host.Error.WriteLine($"error: the configuration file cannot be written: {e.Message}");
            return Task.FromResult(ExitCodes.Usage);
        }
    }

    private static string DefaultName(string server) =>
        Uri.TryCreate(server, UriKind.Absolute, out var uri) ? uri.Authority : server;
}