using MetaService.Etcd.Testing;

[assembly: AssemblyFixture(typeof(MetaService.Deployment.Tests.SharedEtcd))]

// Each test starts server processes (a .NET start-up each) against the one etcd member below and waits, bounded, for
// their start lines: the classes run one at a time, so that several start-ups do not share the machine's cores and run
// past those bounds.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]

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