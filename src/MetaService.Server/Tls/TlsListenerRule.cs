using MetaService.Server.Auth;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Tls;

/// <summary>
/// What the listeners and the certificate settings must agree on, checked at start: an https listener (<c>Urls</c>,
/// <c>Kestrel:Endpoints</c>, <c>HTTPS_PORTS</c>) needs <c>Tls:CertificateFile</c> and <c>Tls:KeyFile</c> (else Kestrel would
/// look for a development certificate), and mode <c>mtls</c> needs an https listener. (Its CA file is
/// <c>Auth:Mtls:CaFile</c>, checked with the other <c>Auth</c> settings.)
/// </summary>
internal sealed class TlsListenerRule(IConfiguration configuration) : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        var https = Https(configuration).ToList();
        var problems = new List<string>();
        if (https.Count > 0 && !options.Configured)
        {
            problems.Add($"the server would listen on {string.Join(", ", https)} but has no certificate: set Tls:CertificateFile and Tls:KeyFile "
                + "(PEM files: the certificate, its intermediates after it, and its key; docs/configuration.md), or listen on http://");
        }

        if (https.Count == 0 && Modes(configuration).Contains(MutualTlsScheme.Mode))
        {
            problems.Add("Auth:Mode includes mtls, which needs an https listener: give an https:// URL in Urls (e.g. --urls https://0.0.0.0:31182) "
                + "with Tls:CertificateFile and Tls:KeyFile (docs/security.md)");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>The modes of <c>Auth:Mode</c> (read here before the options exist: Kestrel is configured from them).</summary>
    public static IReadOnlyList<string> Modes(IConfiguration configuration) =>
        new AuthOptions { Mode = configuration[$"{AuthOptions.Section}:{nameof(AuthOptions.Mode)}"] ?? "none" }.Modes;

    /// <summary>The configured https listeners.</summary>
    public static IEnumerable<string> Https(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren()
                // An endpoint with a certificate of its own in Kestrel's settings serves that one.
                .Where(e => !e.GetSection("Certificate").Exists()).Select(e => e["Url"]).OfType<string>());
        foreach (var url in urls.Where(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            yield return url;
        }

        // HTTPS_PORTS binds every interface over https; Urls, when set, takes precedence.
        if (string.IsNullOrEmpty(configuration["urls"]) && !string.IsNullOrEmpty(configuration["https_ports"]))
        {
            yield return $"HTTPS_PORTS={configuration["https_ports"]}";
        }
    }
}