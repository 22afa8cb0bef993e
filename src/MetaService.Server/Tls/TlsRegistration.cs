using System.Security.Authentication;

using MetaService.Server.Auth;
using MetaService.Server.Startup;

using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Tls;

/// <summary>
/// The <c>Tls:</c> settings and every https listener of <c>Urls</c>, <c>Kestrel:Endpoints</c> or <c>HTTPS_PORTS</c>:
/// they serve <see cref="ServerCertificate"/> (TLS 1.2 or 1.3), and, with <c>mtls</c> in <c>Auth:Mode</c>, ask the caller
/// for a certificate without requiring one (<see cref="MutualTlsScheme"/> checks it, so that <c>/healthz</c> and the other
/// modes work without one). The listeners of openYuanrong's <c>mutualSSLConfig</c> keep their own files.
/// </summary>
public static class TlsRegistration
{
    public static WebApplicationBuilder AddTls(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSettings<TlsOptions>(builder.Configuration.GetSection(TlsOptions.Section));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TlsOptions>, TlsListenerRule>());
        services.AddSingleton<ServerCertificate>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<TlsOptions>, IServiceProvider>((kestrel, tls, provider) =>
        {
            if (!tls.Value.Configured)
            {
                return;
            }

            var askForCertificate = TlsListenerRule.Modes(builder.Configuration).Contains(MutualTlsScheme.Mode);
            kestrel.ConfigureHttpsDefaults(https => Serve(https, provider.GetRequiredService<ServerCertificate>(), askForCertificate));
        });
        return builder;
    }

    private static void Serve(HttpsConnectionAdapterOptions https, ServerCertificate certificate, bool askForCertificate)
    {
        https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        https.CheckCertificateRevocation = false;

        // Kestrel needs a certificate or a selector to accept the listener; each handshake then takes the current
        // certificate with its chain (the selector alone would send the certificate without its intermediates).
        https.ServerCertificateSelector = (_, _) => certificate.Certificate;
        https.OnAuthenticate = (_, ssl) =>
        {
            ssl.ServerCertificateSelectionCallback = null;
            ssl.ServerCertificate = null;
            ssl.ServerCertificateContext = certificate.Context;
        };

        if (askForCertificate)
        {
            // Any certificate is taken in the handshake: the mtls scheme verifies it against Auth:Mtls:CaFile and answers
            // 401 with a body saying why, where a refused handshake would say nothing.
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.ClientCertificateValidation = (_, _, _) => true;
        }
    }
}