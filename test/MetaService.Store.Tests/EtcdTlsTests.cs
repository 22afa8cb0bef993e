using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Etcd.Testing;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>One etcd member that serves clients over TLS only and requires a client certificate of its CA.</summary>
public sealed class EtcdTlsFixture : IAsyncLifetime
{
    private EtcdCluster? _cluster;

    public EtcdCluster Cluster => _cluster ?? throw new InvalidOperationException("etcd is not started");

    public EtcdCertificates Pki => Cluster.Certificates ?? throw new InvalidOperationException("etcd has no TLS");

    public async ValueTask InitializeAsync() => _cluster = await EtcdCluster.StartAsync(1, tls: true, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>A store on this etcd; by default with the right CA and the client certificate.</summary>
    public EtcdMetaStore Open(string? caFile = null, bool clientCertificate = true, TimeSpan? requestTimeout = null, TimeProvider? clock = null) => new(
        new EtcdStoreOptions
        {
            Endpoints = Cluster.ClientUrls,
            CaFile = caFile ?? Pki.CaFile,
            CertFile = clientCertificate ? Pki.ClientCertFile : null,
            KeyFile = clientCertificate ? Pki.ClientKeyFile : null,
            KeyPrefix = "tls-" + Guid.NewGuid().ToString("N")[..8],
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
            AttemptTimeout = TimeSpan.FromSeconds(1),
        },
        clock ?? TimeProvider.System,
        NullLogger<EtcdMetaStore>.Instance);
}

/// <summary>The store contract over https with client certificates, and the refusals without them.</summary>
public sealed class EtcdTlsTests(EtcdTlsFixture etcd) : StoreContract, IClassFixture<EtcdTlsFixture>
{
    protected override Task<IMetaStore> OpenAsync() => Task.FromResult<IMetaStore>(etcd.Open());

    [Fact]
    public void Endpoints_AreHttps()
    {
        var urls = etcd.Cluster.ClientUrls;

        Assert.All(urls, u => Assert.StartsWith("https://127.0.0.1:", u, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutClientCertificate_FailsAtTheDeadline_NamingTheEndpoint()
    {
        await using var store = etcd.Open(clientCertificate: false, requestTimeout: TimeSpan.FromSeconds(2), clock: new LeapingClock());

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/x", TestContext.Current.CancellationToken));

        Assert.Contains(etcd.Cluster.ClientUrls[0], fault.Message, StringComparison.Ordinal);
        Assert.Contains("after 1 attempt(s)", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithWrongCa_FailsAtTheDeadline_SayingTheCertificateIsNotTrusted()
    {
        await using var store = etcd.Open(caFile: etcd.Pki.OtherCaFile, requestTimeout: TimeSpan.FromSeconds(2), clock: new LeapingClock());

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => PutWithAsync(store));

        Assert.Contains(etcd.Cluster.ClientUrls[0], fault.Message, StringComparison.Ordinal);
        Assert.Contains("SSL", fault.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("after 1 attempt(s)", fault.Message, StringComparison.Ordinal);
    }

    private static Task<TxnResult> PutWithAsync(EtcdMetaStore store) =>
        store.TxnAsync([], [new WriteOp.Put("/x", Bytes("v"))], TestContext.Current.CancellationToken);
}