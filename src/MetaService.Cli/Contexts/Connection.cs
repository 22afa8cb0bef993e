using System.CommandLine;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MetaService.Cli.Contexts;

/// <summary>
/// Where a command goes and as whom: each of server, tenant, token and CA file from its option, else its environment
/// variable (<c>YRMETA_SERVER</c>, <c>YRMETA_TENANT</c>, <c>YRMETA_TOKEN</c>, <c>YRMETA_CA_FILE</c>), else the current
/// context of the configuration file, else the default. The context counts only for its own server: with
/// <c>--server</c> (or <c>YRMETA_SERVER</c>) naming another, none of its values is used, so its token is never sent
/// elsewhere.
/// </summary>
internal sealed record Connection(string Server, string Tenant, string Token, string CaFile)
{
    public static Connection Resolve(ParseResult parsed, GlobalOptions globals)
    {
        var variable = globals.Host.Variable;
        var server = Given(parsed, globals.Server) ?? Set(variable("YRMETA_SERVER"));
        var context = CliConfig.Load(CliConfig.PathOf(variable)).CurrentContext;
        if (context is not null && server is not null && !SameServer(server, context.Server))
        {
            context = null;
        }

        return new Connection(
            server ?? context?.Server ?? Yrmeta.DefaultServer,
            Given(parsed, globals.Tenant) ?? Set(variable("YRMETA_TENANT")) ?? context?.Tenant ?? "default",
            Given(parsed, globals.Token) ?? Set(variable("YRMETA_TOKEN")) ?? context?.Token ?? "",
            Given(parsed, globals.CaFile) ?? Set(variable("YRMETA_CA_FILE")) ?? context?.CaFile ?? "");
    }

    /// <summary>The option's value when the command line gives it.</summary>
    public static string? Given(ParseResult parsed, Option<string> option) =>
        parsed.GetResult(option) is { Implicit: false } result ? result.GetValueOrDefault<string>() : null;

    public static bool SameServer(string a, string b) =>
        Uri.TryCreate(a.TrimEnd('/'), UriKind.Absolute, out var x) && Uri.TryCreate(b.TrimEnd('/'), UriKind.Absolute, out var y)
            ? Uri.Compare(x, y, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            : string.Equals(a, b, StringComparison.Ordinal);

    private static string? Set(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>A private CA for https servers (<c>--ca-file</c>): the server's chain must end at one of the file's
/// certificates, and only there (not at the system's roots); the host name is still checked.</summary>
internal static class PrivateCa
{
    /// <summary>The certificates of a PEM file.</summary>
    /// <exception cref="UsageException">The file cannot be read or holds no certificate.</exception>
    public static X509Certificate2Collection Load(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"--ca-file {path} cannot be read ({e.Message}): give a PEM file of the CA's certificate");
        }

        return certificates.Count > 0
            ? certificates
            : throw new UsageException($"--ca-file {path} holds no certificate: give a PEM file with -----BEGIN CERTIFICATE-----");
    }

    /// <summary>A handler that trusts only <paramref name="authorities"/> (when given) for https.</summary>
    public static SocketsHttpHandler Handler(X509Certificate2Collection? authorities)
    {
        var handler = new SocketsHttpHandler();
        if (authorities is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Trusted(certificate, chain, errors, authorities);
        }

        return handler;
    }

    /// <summary>The chain the TLS stack built (it holds the intermediates the server sent) is built again with the CA file
    /// as its only roots; a host-name mismatch fails whatever the chain.</summary>
    private static bool Trusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (certificate is not X509Certificate2 presented || chain is null
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Clear();
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }
}