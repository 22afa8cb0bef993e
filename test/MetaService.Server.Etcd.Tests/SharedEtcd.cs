using MetaService.Etcd.Testing;

[assembly: AssemblyFixture(typeof(MetaService.Server.Tests.SharedEtcd))]

// Every class of this assembly shares the one etcd member below (and some stop or load it: leader kill, replicas):
// the classes run one at a time, so that one class's load on etcd does not hold back another's bounded waits.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]

namespace MetaService.Server.Tests;

/// <summary>One etcd member for the whole test assembly; every factory uses a key prefix of its own.</summary>
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