using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaService.Cli.Tests;

/// <summary>
/// A small https server on Kestrel (127.0.0.1, a port of its own) whose certificate a CA made here signed: the CA's
/// certificate is written to <see cref="CaFile"/>; the server's certificate names the address 127.0.0.1 (or only
/// <c>meta.example</c>, to show the host-name check). It answers the function list route with an empty page, as a meta_service would.
/// </summary>
public sealed class HttpsEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;

    private HttpsEndpoint(WebApplication app, string folder, Uri address)
    {
        _app = app;
        _folder = folder;
        Address = address;
    }

    public Uri Address { get; }

    public string CaFile => Path.Combine(_folder, "ca.pem");

    /// <summary>A CA file of another CA, which did not sign the server's certificate.</summary>
    public string OtherCaFile => Path.Combine(_folder, "other-ca.pem");

    public static async Task<HttpsEndpoint> StartAsync(bool nameTheAddress = true)
    {
        var folder = Directory.CreateTempSubdirectory("yrmeta-https-").FullName;
        using var ca = Authority("yrmeta test CA");
        using var other = Authority("another CA");
        await File.WriteAllTextAsync(Path.Combine(folder, "ca.pem"), ca.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(folder, "other-ca.pem"), other.ExportCertificatePem());
        var certificate = ServerCertificate(ca, nameTheAddress);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        app.MapGet("/serverless/v1/functions", () => Results.Text("""{"code":0,"message":"","result":{"functions":[],"total":0}}""", "application/json"));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new HttpsEndpoint(app, folder, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>A server certificate for 127.0.0.1 (or, when <paramref name="nameTheAddress"/> is false, only for
    /// <c>meta.example</c>), signed by <paramref name="ca"/>, with its private key.</summary>
    private static X509Certificate2 ServerCertificate(X509Certificate2 ca, bool nameTheAddress)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=metaservice", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (nameTheAddress)
        {
            names.AddIpAddress(IPAddress.Loopback);
        }
        else
        {
            names.AddDnsName("meta.example");
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), [1, 2, 3, 4, 5, 6, 7, 8]);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Through PKCS#12, so that the TLS stack on Linux can use the key (an ephemeral key cannot be).
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}