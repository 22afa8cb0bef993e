using MetaService.Etcd.Testing;

[assembly: AssemblyFixture(typeof(MetaService.Deployment.Tests.SharedEtcd))]

namespace MetaService.Deployment.Tests;

/// <summary>One etcd member for the whole test assembly; every test uses a key prefix (azPrefix) of its own.</summary>
public sealed class SharedEtcd : IAsyncLifetime
{
    private static EtcdCluster? s_cluster;

    public static EtcdCluster Cluster => s_cluster ?? throw new InvalidOperationException("the shared etcd is not started");

    public async ValueTask InitializeAsync() => s_cluster = await EtcdCluster.StartAsync(1, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (s_cluster is not null)
        {
            await s_cluster.DisposeAsync();
            s_cluster = null;
        }
    }
}