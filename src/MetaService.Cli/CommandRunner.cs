using System.CommandLine;
using System.CommandLine.Parsing;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

using MetaService.Cli.Contexts;
using MetaService.Cli.Output;
using MetaService.Cli.Specs;
using MetaService.Client;

namespace MetaService.Cli;

/// <summary>Runs a command's body with a client and a printer, and turns every failure into a message, a hint
/// and an exit code (<see cref="ExitCodes"/>).</summary>
internal static class CommandRunner
{
    public static void SetRun(this Command command, GlobalOptions globals, Func<ParseResult, MetaClient, Printer, CancellationToken, Task> body) =>
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, globals, body, cancellationToken));

    private static async Task<int> RunAsync(ParseResult parsed, GlobalOptions globals, Func<ParseResult, MetaClient, Printer, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        Connection connection;
        try
        {
            connection = Connection.Resolve(parsed, globals);
        }
        catch (UsageException e)
        {
            await globals.Host.Error.WriteLineAsync("error: " + e.Message);
            return ExitCodes.Usage;
        }

        return await RunAsync(parsed, globals, connection, body, null, cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> against <paramref name="connection"/>; on a failure, <paramref name="failureNote"/>
    /// (when given) is printed after the error and its hint.</summary>
    public static async Task<int> RunAsync(ParseResult parsed, GlobalOptions globals, Connection connection, Func<ParseResult, MetaClient, Printer, CancellationToken, Task> body,
        string? failureNote, CancellationToken cancellationToken)
    {
        var exit = await RunOnceAsync(parsed, globals, connection, body, cancellationToken);
        if (exit != ExitCodes.Ok && failureNote is not null)
        {
            await globals.Host.Error.WriteLineAsync(failureNote);
        }

        return exit;
    }

    private static async Task<int> RunOnceAsync(ParseResult parsed, GlobalOptions globals, Connection connection, Func<ParseResult, MetaClient, Printer, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        var error = globals.Host.Error;
        var serverText = connection.Server;
        if (!Uri.TryCreate(serverText.EndsWith('/') ? serverText : serverText + "/", UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"error: --server '{serverText}' is not an http(s) URL");
            await error.WriteLineAsync($"hint: for example --server {Yrmeta.DefaultServer}");
            return ExitCodes.Usage;
        }

        X509Certificate2Collection? authorities;
        try
        {
            authorities = connection.CaFile.Length > 0 ? PrivateCa.Load(connection.CaFile) : null;
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return ExitCodes.Usage;
        }

        var dryRun = parsed.GetResult(globals.DryRun) is not null && parsed.GetValue(globals.DryRun);
        using var http = globals.Host.Http(server, authorities);
        var client = new MetaClient(http, new MetaClientOptions
        {
            Tenant = connection.Tenant,
            Product = parsed.GetValue(globals.Product),
            Token = connection.Token,
            PageSize = parsed.GetValue(globals.PageSize),
            DryRun = dryRun,
        });
        var printer = new Printer(globals.Host.Out, error, parsed.GetValue(globals.Output));
        try
        {
            await body(parsed, client, printer, cancellationToken);
            if (dryRun)
            {
                printer.Outcome("dry run: the server ran every check and wrote nothing");
            }

            return ExitCodes.Ok;
        }
        catch (MetaClientException e)
        {
            await error.WriteLineAsync($"error: {e.Code} {e.ServerMessage} (HTTP {(int)e.Status})");
            await error.WriteLineAsync("hint: " + Hints.For(e.Code, (int)e.Status, e.ServerMessage));
            return ExitCodes.Refused;
        }
        catch (Exception e) when (e is SpecException or UsageException)
        {
            await error.WriteLineAsync("error: " + e.Message);
            await error.WriteLineAsync("hint: " + CommandPath(parsed.CommandResult) + " --help shows the options; spec files are JSON or YAML (.yaml/.yml)");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await error.WriteLineAsync($"error: cannot reach {server}: {e.Message}");
            await error.WriteLineAsync(e.InnerException is AuthenticationException
                ? "hint: the server's certificate is not trusted or does not name this host: give its CA with --ca-file (or YRMETA_CA_FILE), and use the name or address its certificate was made for"
                : "hint: start the server, or point --server (or YRMETA_SERVER) at it");
            return ExitCodes.Unreachable;
        }
        catch (MetaProtocolException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            await error.WriteLineAsync($"hint: is {server} a meta_service? the answer is not its wire contract");
            return ExitCodes.BadAnswer;
        }
    }

    private static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult parent ? CommandPath(parent) + " " + command.Command.Name : "yrmeta";
}

/// <summary>A command line that parses but cannot be used (e.g. neither a spec file nor the options that replace it).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>What to do about a refusal, by openYuanrong's error code and, where one code covers several
/// refusals (4104, 4134), by the words of its message.</summary>
internal static class Hints
{
    public static string For(int code, int status, string message) => code switch
    {
        4101 => "the function exists: 'yrmeta function deploy -f SPEC' updates it",
        4104 when message.StartsWith("pool status is", StringComparison.Ordinal) =>
            "the platform has not taken up the pool's last change yet (status 0: new, 2: update pending): retry later; 'yrmeta pool get --id ID' shows its status",
        4104 or 130600 or 121046 or 121047 or 4123 => "fix the request as the message says",
        4110 => "the function has the most published versions allowed: delete an old one (yrmeta function delete NAME --version-number V)",
        4114 => "that version number is already published: publish under another number (--version-number); 'yrmeta function versions NAME' lists the numbers taken",
        4115 or 4116 => "check the name, the version and --tenant; 'yrmeta function list' shows what exists",
        4120 => "check the pool id and group; 'yrmeta pool get' shows the pools",
        4134 when message.StartsWith("revisionId is non latest version", StringComparison.OrdinalIgnoreCase) =>
            "the draft changed since that revisionId was read (an update or another publish came first): publish again without --revision-id to publish the current draft",
        4134 => "the function changed since it was read: get it again (yrmeta function get NAME) and retry with its revisionId",
        122002 => "the server's store is unavailable: retry later",
        190401 => "give a token: --token or YRMETA_TOKEN, or save one with 'yrmeta login' (an admin makes one with 'yrmeta token create')",
        190403 => "the token may not do this (its role or tenant, as the message says): use a token of that tenant or role",
        190404 => "'yrmeta token list' shows the tokens' ids",
        _ when status == 404 => "the server does not serve this route: is --server a meta_service, and does it have this feature?",
        _ => "see the server's log for details",
    };
}