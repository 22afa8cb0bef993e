using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Etcd.Testing;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>One etcd member for the etcd store tests; they run one after another (one collection), so
/// revision arithmetic holds, and each test owns its keys through a fresh key prefix.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private EtcdCluster? _cluster;

    public EtcdCluster Cluster => _cluster ?? throw new InvalidOperationException("etcd is not started");

    public async ValueTask InitializeAsync() => _cluster = await EtcdCluster.StartAsync(1, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>A store on this etcd under a key prefix of its own.</summary>
    public EtcdMetaStore Open(string? keyPrefix = null, TimeSpan? requestTimeout = null) => new(
        new EtcdStoreOptions
        {
            Endpoints = Cluster.ClientUrls,
            KeyPrefix = keyPrefix ?? "test-" + Guid.NewGuid().ToString("N")[..8],
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
        },
        TimeProvider.System,
        NullLogger<EtcdMetaStore>.Instance);

    /// <summary>The view over <paramref name="inner"/>, caching every key, started.</summary>
    public static async Task<WatchedView> ViewAsync(IMetaStore inner, IReadOnlyList<string>? cachedPrefixes = null)
    {
        var view = new WatchedView(inner, new WatchedViewOptions { CachedPrefixes = cachedPrefixes ?? ["/"] }, TimeProvider.System, NullLogger<WatchedView>.Instance);
        await view.StartAsync(TestContext.Current.CancellationToken);
        return view;
    }
}

[CollectionDefinition(Name)]
public sealed class EtcdGroup : ICollectionFixture<EtcdFixture>
{
    public const string Name = "etcd";
}