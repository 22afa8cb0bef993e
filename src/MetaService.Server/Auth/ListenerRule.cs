using System.Net;

using MetaService.Server.OriginalConfig;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Auth;

/// <summary>
/// Mode <c>none</c> is refused at start while a listener (<c>Urls</c>, <c>Kestrel:Endpoints</c>, <c>HTTP_PORTS</c>) is
/// not loopback, unless <c>Auth:AllowUnauthenticatedNetwork</c> says so. A server started from openYuanrong's
/// <c>config.json</c> listens where that file says, as the original does (its start log warns when nothing
/// authenticates; docs/security.md).
/// </summary>
internal sealed class ListenerRule(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.Modes.Count > 0 || options.AllowUnauthenticatedNetwork
            || !string.IsNullOrEmpty(configuration[OriginalConfigRegistration.ConfigPathKey]))
        {
            return ValidateOptionsResult.Success;
        }

        var open = NonLoopback(configuration).ToList();
        return open.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Auth:Mode is none (no credential asked) but the server would listen on {string.Join(", ", open)}, which is not loopback: "
                + "set Auth:Mode to token, openyuanrong or mtls (docs/security.md), listen on 127.0.0.1 only, "
                + "or set Auth:AllowUnauthenticatedNetwork to true to let anyone who reaches the port act as any tenant");
    }

    /// <summary>The configured listen URLs that are not loopback (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, a host name, …).</summary>
    public static IEnumerable<string> NonLoopback(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        foreach (var url in urls.Where(u => !IsLoopback(u)))
        {
            yield return url;
        }

        // HTTP_PORTS and HTTPS_PORTS bind every interface; Urls, when set, takes precedence.
        if (string.IsNullOrEmpty(configuration["urls"]))
        {
            foreach (var key in new[] { "http_ports", "https_ports" })
            {
                if (!string.IsNullOrEmpty(configuration[key]))
                {
                    yield return $"{key.ToUpperInvariant()}={configuration[key]}";
                }
            }
        }
    }

    private static bool IsLoopback(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var host = start < 0 ? url : url[(start + 3)..];
        host = host.Split('/')[0];
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']', StringComparison.Ordinal)];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            host = host[..colon];
        }

        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}