using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Etcd.Testing;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Pools.Tests.Seam;

/// <summary>One etcd member (Debian's etcd on loopback) for the etcd subclasses of the contracts; each store gets a key
/// prefix of its own and is read through the watch-fed view, as the server composes it.</summary>
public sealed class EtcdStores : IAsyncLifetime
{
    private EtcdCluster? _cluster;

    public async ValueTask InitializeAsync() => _cluster = await EtcdCluster.StartAsync(1, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    public async Task<IMetaStore> OpenAsync()
    {
        var cluster = _cluster ?? throw new InvalidOperationException("etcd is not started");
        var etcd = new EtcdMetaStore(
            new EtcdStoreOptions { Endpoints = cluster.ClientUrls, KeyPrefix = "seam-" + Guid.NewGuid().ToString("N")[..8] },
            TimeProvider.System,
            NullLogger<EtcdMetaStore>.Instance);
        var view = new WatchedView(etcd, new WatchedViewOptions(), TimeProvider.System, NullLogger<WatchedView>.Instance);
        await view.StartAsync(TestContext.Current.CancellationToken);
        return view;
    }
}

[CollectionDefinition(Name)]
public sealed class EtcdSeam : ICollectionFixture<EtcdStores>
{
    public const string Name = "etcd seam";
}