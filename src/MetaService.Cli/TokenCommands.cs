using System.CommandLine;
using System.Globalization;

using MetaService.Cli.Contexts;
using MetaService.Cli.Output;
using MetaService.Client;

namespace MetaService.Cli;

/// <summary><c>yrmeta token create|list|revoke</c>: MetaService's API tokens (admins only). A token is made for the
/// tenant and product of <c>--tenant</c>/<c>--product</c>; its secret is printed once.</summary>
internal static class TokenCommands
{
    public static Command Create(GlobalOptions globals) => new("token", "manage API tokens (needs an admin token)")
    {
        CreateToken(globals),
        List(globals),
        Revoke(globals),
    };

    private static Command CreateToken(GlobalOptions globals)
    {
        var role = new Option<string>("--role") { Description = "viewer, editor or admin", Required = true };
        role.AcceptOnlyFromAmong("viewer", "editor", "admin");
        var description = new Option<string>("--description") { Description = "what the token is for" };
        var expiresIn = new Option<long?>("--expires-in") { Description = "lifetime in seconds (default: no expiry)" };
        var command = new Command("create", "create a token for --tenant (and --product); prints it once") { role, description, expiresIn };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var product = parsed.GetValue(globals.Product);
            var token = await client.CreateTokenAsync(new ApiTokenRequest
            {
                Tenant = Connection.Resolve(parsed, globals).Tenant is { Length: > 0 } tenant ? tenant : "default",
                Product = string.IsNullOrEmpty(product) ? null : product,
                Role = parsed.GetValue(role)!,
                Description = parsed.GetValue(description),
                ExpiresInSeconds = parsed.GetValue(expiresIn),
            }, cancellationToken);
            printer.Print(token, TokenJson.Default.ApiToken, t => Table([t], withSecret: true));
            printer.Outcome("the token is shown this once: keep it now (the server keeps only its hash)");
        });
        return command;
    }

    private static Command List(GlobalOptions globals)
    {
        var command = new Command("list", "list every token (without the tokens themselves)");
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var tokens = await client.ListTokensAsync(cancellationToken);
            printer.Print(tokens, TokenJson.Default.ListApiToken, t => Table(t, withSecret: false) with { None = "no tokens" });
        });
        return command;
    }

    private static Command Revoke(GlobalOptions globals)
    {
        var id = new Argument<string>("id") { Description = "the token's id (yrmeta token list)" };
        var command = new Command("revoke", "revoke a token: every replica refuses it from then on") { id };
        command.SetRun(globals, async (parsed, client, printer, cancellationToken) =>
        {
            var target = parsed.GetValue(id)!;
            await client.RevokeTokenAsync(target, cancellationToken);
            printer.Done("revoked", $"revoked token {target}");
        });
        return command;
    }

    internal static TextTable Table(IReadOnlyList<ApiToken> tokens, bool withSecret) => new(
        withSecret ? ["ID", "TENANT", "PRODUCT", "ROLE", "EXPIRES", "TOKEN"] : ["ID", "TENANT", "PRODUCT", "ROLE", "EXPIRES", "DESCRIPTION"],
        [.. tokens.Select(t => (IReadOnlyList<string>)
        [
            t.Id,
            t.Tenant,
            t.Product,
            t.Role,
            t.ExpiresAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never",
            withSecret ? t.Token ?? "" : t.Description,
        ])]);
}