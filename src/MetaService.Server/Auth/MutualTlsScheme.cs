using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using MetaService.Core;
using MetaService.Server.Wire;

using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Auth;

/// <summary>
/// Mode <c>mtls</c>: the certificate the caller presented in the TLS handshake (the https listeners ask for one without
/// requiring it: <c>Tls/TlsRegistration</c>), verified against <c>Auth:Mtls:CaFile</c> only (no system roots), for client
/// authentication, at the current time; tenant, role and product read where <c>Auth:Mtls:TenantFrom</c>,
/// <c>RoleFrom</c> and <c>ProductFrom</c> say. A connection's certificate is checked once and its answer kept with the
/// connection (its validity period is checked again at every request). docs/security.md.
/// </summary>
public sealed class MutualTlsScheme : ICredentialScheme
{
    public const string Mode = "mtls";

    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private static readonly object Key = new();

    private readonly X509Certificate2Collection _roots;
    private readonly X509Certificate2Collection _intermediates;
    private readonly CertificateField _tenant;
    private readonly CertificateField _role;
    private readonly CertificateField? _product;
    private readonly TimeProvider _time;

    public MutualTlsScheme(IOptions<AuthOptions> options, TimeProvider time)
    {
        var mtls = options.Value.Mtls;
        (_roots, _intermediates) = MtlsOptions.LoadCa(mtls.CaFile) ?? throw new InvalidOperationException($"Auth:Mtls:CaFile '{mtls.CaFile}' cannot be read");
        _tenant = CertificateField.Parse(mtls.TenantFrom)!;
        _role = CertificateField.Parse(mtls.RoleFrom)!;
        _product = mtls.ProductFrom.Length == 0 ? null : CertificateField.Parse(mtls.ProductFrom);
        _time = time;
    }

    public string Challenge => "Certificate realm=\"metaservice\"";

    public string Asks => "a client certificate of the CA of Auth:Mtls:CaFile";

    public ValueTask<Credential> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var certificate = request.HttpContext.Connection.ClientCertificate;
        if (certificate is null)
        {
            return ValueTask.FromResult(Credential.Absent);
        }

        var connection = request.HttpContext.Features.Get<IConnectionItemsFeature>()?.Items;
        var kept = Kept(connection, certificate);
        if (kept is null)
        {
            kept = new Checked(certificate, Check(certificate), certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
            if (connection is not null)
            {
                // HTTP/2 streams of one connection run at once and share its items.
                lock (connection)
                {
                    connection[Key] = kept;
                }
            }
        }

        var now = _time.GetUtcNow();
        return ValueTask.FromResult(kept.Answer.Caller is not null && (now > kept.Until || now < kept.From)
            ? Credential.Refused(NotValidNow(certificate))
            : kept.Answer);
    }

    /// <summary>What the connection keeps of <paramref name="certificate"/>'s check; null when it keeps none.</summary>
    private static Checked? Kept(IDictionary<object, object?>? connection, X509Certificate2 certificate)
    {
        if (connection is null)
        {
            return null;
        }

        lock (connection)
        {
            return connection.TryGetValue(Key, out var item) && item is Checked { } kept && ReferenceEquals(kept.Certificate, certificate) ? kept : null;
        }
    }

    private Credential Check(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_roots);
        policy.ExtraStore.AddRange(_intermediates);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTimeIgnored = false;
        policy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        policy.ApplicationPolicy.Add(new Oid(ClientAuthOid));
        if (!chain.Build(certificate))
        {
            var statuses = chain.ChainStatus.Select(s => s.Status).ToHashSet();
            return Credential.Refused(statuses.Contains(X509ChainStatusFlags.NotTimeValid)
                ? NotValidNow(certificate)
                : statuses.Contains(X509ChainStatusFlags.NotValidForUsage)
                    ? "the client certificate is not for client authentication (extended key usage)"
                    : "the client certificate is not signed by the CA of Auth:Mtls:CaFile");
        }

        var tenant = _tenant.ValueOf(certificate);
        if (tenant is null || !WireRequests.IsTenantPart(tenant))
        {
            return Credential.Refused($"the client certificate names no tenant in {_tenant} (Auth:Mtls:TenantFrom)");
        }

        Role? role = _role.ValueOf(certificate)?.ToLowerInvariant() switch
        {
            "viewer" => Role.Viewer,
            "editor" => Role.Editor,
            "admin" => Role.Admin,
            _ => null,
        };
        if (role is null)
        {
            return Credential.Refused($"the client certificate names no role (viewer, editor or admin) in {_role} (Auth:Mtls:RoleFrom)");
        }

        var product = _product?.ValueOf(certificate) ?? "";
        if (product.Length > 0 && !WireRequests.IsTenantPart(product))
        {
            return Credential.Refused($"the client certificate's product in {_product} (Auth:Mtls:ProductFrom) is not a valid product name");
        }

        // The id names the certificate in logs and rate limits: the start of its SHA-256 fingerprint.
        return new Caller("mtls:" + certificate.GetCertHashString(HashAlgorithmName.SHA256)[..16].ToLowerInvariant(), new Tenant(tenant, product), role.Value);
    }

    /// <summary>A connection's certificate, what it proved, and its validity period, kept with the connection.</summary>
    private sealed record Checked(X509Certificate2 Certificate, Credential Answer, DateTime From, DateTime Until);

    private static string NotValidNow(X509Certificate2 certificate) =>
        $"the client certificate is not valid now (valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u})";
}