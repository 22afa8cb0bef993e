using Microsoft.AspNetCore.Hosting;

namespace MetaService.Server.Tests;

/// <summary>The store this test assembly runs the functions API suite on: the shared etcd, under the
/// factory's own key prefix (azPrefix), so tests stay apart.</summary>
public static class StoreUnderTest
{
    public static void Configure(IWebHostBuilder builder, string id)
    {
        builder.UseSetting("Store:Kind", "etcd");
        builder.UseSetting("Store:Etcd:Endpoints:0", SharedEtcd.Cluster.ClientUrls[0]);
        builder.UseSetting("Store:Etcd:KeyPrefix", "t" + id);
    }

    /// <summary>etcd compacts when asked: nothing to set.</summary>
    public static void AllowCompaction(MetaServiceFactory factory)
    {
    }

    /// <summary>Writes once (a key of its own) and compacts the shared etcd at the revision of that write, so every earlier
    /// revision is gone (the classes of this assembly run one at a time, and a server's catalog loads anew when its watch
    /// finds its revision compacted).</summary>
    public static async Task CompactAsync(MetaServiceFactory factory)
    {
        var revision = (await factory.Store.TxnAsync([], [new Core.Storage.WriteOp.Put("/compaction-filler", [1])], TestContext.Current.CancellationToken)).Revision;
        await SharedEtcd.Cluster.EtcdctlAsync(["compact", revision.ToString(System.Globalization.CultureInfo.InvariantCulture)], TestContext.Current.CancellationToken);
    }
}