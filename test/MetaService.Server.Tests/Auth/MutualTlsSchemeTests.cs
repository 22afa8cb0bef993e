using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using MetaService.Server.Auth;
using MetaService.Tests.Fixtures;
using MetaService.Tests.Pki;

using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Tests.Auth;

/// <summary>
/// Mode <c>mtls</c>'s scheme, driven in the test's process with the certificates of <see cref="TlsCertificates"/> (the
/// deployment tests send the same over real TLS to a server process, which a mutation test cannot see): who a
/// certificate of the CA is, where its tenant, role and product are read, each refusal's message, and what a connection
/// keeps of its certificate's check.
/// </summary>
public sealed class MutualTlsSchemeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("metaservice-mtls-").FullName;
    private readonly TlsCertificates _pki;
    private readonly SetClock _clock = new(DateTimeOffset.UtcNow);

    public MutualTlsSchemeTests() => _pki = TlsCertificates.Create(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private MutualTlsScheme Scheme(string tenantFrom = "O", string roleFrom = "OU", string productFrom = "") =>
        new(Options.Create(new AuthOptions { Mtls = new MtlsOptions { CaFile = _pki.CaFile, TenantFrom = tenantFrom, RoleFrom = roleFrom, ProductFrom = productFrom } }), _clock);

    private static async Task<Credential> AuthenticateAsync(MutualTlsScheme scheme, X509Certificate2? certificate, IDictionary<object, object?>? connection = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.ClientCertificate = certificate;
        if (connection is not null)
        {
            context.Features.Set<IConnectionItemsFeature>(new ConnectionItems(connection));
        }

        return await scheme.AuthenticateAsync(context.Request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ACertificateOfTheRootOrTheIntermediate_IsACaller_WithTheTenantAndRoleItsSubjectNames()
    {
        using var ofRoot = _pki.Client("CN=ci, O=alpha, OU=Editor");
        using var ofIntermediate = _pki.Client("CN=ops, O=beta, OU=admin", _pki.Intermediate);

        var editor = (await AuthenticateAsync(Scheme(), ofRoot)).Caller;
        var admin = (await AuthenticateAsync(Scheme(), ofIntermediate)).Caller;

        Assert.Equal(new Caller("mtls:" + ofRoot.GetCertHashString(HashAlgorithmName.SHA256)[..16].ToLowerInvariant(), new Core.Tenant("alpha", ""), Role.Editor), editor);
        Assert.Equal(("beta", "", Role.Admin), (admin!.Tenant.TenantId, admin.Tenant.ProductId, admin.Role));
        Assert.Equal(Credential.Absent, await AuthenticateAsync(Scheme(), null));
    }

    [Fact]
    public async Task TheFieldsTheSettingsName_GiveTenantRoleAndProduct()
    {
        using var certificate = _pki.Client("CN=svc, O=ignored, OU=viewer", uri: "spiffe://cluster.local/tenant/gamma/role/VIEWER/product/p1");

        var caller = (await AuthenticateAsync(Scheme("SAN:URI:/tenant/", "san:uri:/role/", "SAN:URI:/product/"), certificate)).Caller;
        var fromCommonName = (await AuthenticateAsync(Scheme("CN", "OU", "O"), certificate)).Caller;

        Assert.Equal(("gamma", "p1", Role.Viewer), (caller!.Tenant.TenantId, caller.Tenant.ProductId, caller.Role));
        Assert.Equal(("svc", "ignored"), (fromCommonName!.Tenant.TenantId, fromCommonName.Tenant.ProductId));
    }

    [Fact]
    public async Task AMarkerAtTheValuesStart_GivesTheRest_AndAFieldWithoutAMarker_TheWholeValue()
    {
        using var certificate = _pki.Client("CN=svc, O=alpha, OU=role=admin", uri: "spiffe://cluster.local/tenant/gamma");
        using var withoutSan = _pki.Client("CN=svc, O=alpha, OU=editor");

        var caller = (await AuthenticateAsync(Scheme(roleFrom: "OU:role="), certificate)).Caller;
        var noSan = await AuthenticateAsync(Scheme(productFrom: "SAN:DNS"), withoutSan);

        Assert.Equal(Role.Admin, caller!.Role);
        Assert.Equal("spiffe://cluster.local/tenant/gamma", CertificateField.Parse("san:uri")!.ValueOf(certificate));
        Assert.Equal("SAN:URI", CertificateField.Parse("san:uri")!.ToString());
        Assert.Null(CertificateField.Parse("SAN:DNS")!.ValueOf(certificate));
        Assert.Equal("", noSan.Caller!.Tenant.ProductId);
    }

    [Fact]
    public async Task ACertificateThatProvesNothing_IsRefused_SayingWhy()
    {
        using var foreign = _pki.Client("CN=x, O=alpha, OU=editor", _pki.Foreign);
        using var expired = _pki.Client("CN=x, O=alpha, OU=editor", fromDays: -10, toDays: -1);
        var (serverOnly, _) = _pki.Server("CN=x, O=alpha, OU=editor");
        using var noTenant = _pki.Client("CN=x, OU=editor");
        using var badTenant = _pki.Client("CN=x, O=al@pha, OU=editor");
        using var noRole = _pki.Client("CN=x, O=alpha, OU=root");
        using var badProduct = _pki.Client("CN=x, O=alpha, OU=editor", uri: "spiffe://c/product/a@b");

        Assert.Equal("the client certificate is not signed by the CA of Auth:Mtls:CaFile", (await AuthenticateAsync(Scheme(), foreign)).Refusal);
        Assert.Equal($"the client certificate is not valid now (valid from {expired.NotBefore.ToUniversalTime():u} to {expired.NotAfter.ToUniversalTime():u})", (await AuthenticateAsync(Scheme(), expired)).Refusal);
        Assert.Equal("the client certificate is not for client authentication (extended key usage)", (await AuthenticateAsync(Scheme(), serverOnly)).Refusal);
        Assert.Equal("the client certificate names no tenant in O (Auth:Mtls:TenantFrom)", (await AuthenticateAsync(Scheme(), noTenant)).Refusal);
        Assert.Equal("the client certificate names no tenant in O (Auth:Mtls:TenantFrom)", (await AuthenticateAsync(Scheme(), badTenant)).Refusal);
        Assert.Equal("the client certificate names no role (viewer, editor or admin) in OU (Auth:Mtls:RoleFrom)", (await AuthenticateAsync(Scheme(), noRole)).Refusal);
        Assert.Equal("the client certificate's product in SAN:URI:/product/ (Auth:Mtls:ProductFrom) is not a valid product name", (await AuthenticateAsync(Scheme(productFrom: "SAN:URI:/product/"), badProduct)).Refusal);
        serverOnly.Dispose();
    }

    [Fact]
    public async Task AConnection_KeepsItsCertificatesCheck_ButNotPastItsValidity_AndChecksAnotherCertificateAfresh()
    {
        using var first = _pki.Client("CN=x, O=alpha, OU=editor");
        using var second = _pki.Client("CN=y, O=beta, OU=viewer");
        var connection = new Dictionary<object, object?>();
        var scheme = Scheme();

        var checkedOnce = await AuthenticateAsync(scheme, first, connection);
        var kept = await AuthenticateAsync(scheme, first, connection);
        var other = await AuthenticateAsync(scheme, second, connection);
        _clock.Now = second.NotAfter.ToUniversalTime();
        var atTheEnd = await AuthenticateAsync(scheme, second, connection);
        _clock.Now = second.NotBefore.ToUniversalTime();
        var atTheStart = await AuthenticateAsync(scheme, second, connection);
        _clock.Now = second.NotAfter.ToUniversalTime().AddSeconds(1);
        var late = await AuthenticateAsync(scheme, second, connection);
        _clock.Now = second.NotBefore.ToUniversalTime().AddSeconds(-1);
        var early = await AuthenticateAsync(scheme, second, connection);

        Assert.Single(connection);
        Assert.Same(checkedOnce.Caller, kept.Caller);
        Assert.Equal("beta", other.Caller!.Tenant.TenantId);
        Assert.NotNull(atTheEnd.Caller);
        Assert.NotNull(atTheStart.Caller);
        Assert.StartsWith("the client certificate is not valid now", late.Refusal, StringComparison.Ordinal);
        Assert.StartsWith("the client certificate is not valid now", early.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void ItsChallenge_AndWhatItAsksFor_NameACertificateOfTheCa()
    {
        var scheme = Scheme();

        Assert.Equal(("Certificate realm=\"metaservice\"", "a client certificate of the CA of Auth:Mtls:CaFile"), (scheme.Challenge, scheme.Asks));
    }

    [Fact]
    public void ASanField_ReadsItsOwnKindAmongNamesOfEveryKind()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddEmailAddress("ops@example.com");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddUri(new Uri("spiffe://cluster.local/tenant/gamma"));
        names.AddUserPrincipalName("ops@example.com");
        names.AddDnsName("role-admin.example.com");
        names.AddUri(new Uri("spiffe://cluster.local/product/p1"));
        names.AddDnsName("second.example.com");
        var request = new CertificateRequest("CN=svc", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var (tenant, product, dns) = (CertificateField.Parse("SAN:URI:/tenant/")!.ValueOf(certificate), CertificateField.Parse("SAN:URI:/product/")!.ValueOf(certificate), CertificateField.Parse("SAN:DNS")!.ValueOf(certificate));

        Assert.Equal(("gamma", "p1", "role-admin.example.com"), (tenant, product, dns));
    }

    private sealed class ConnectionItems(IDictionary<object, object?> items) : IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = items;
    }
}