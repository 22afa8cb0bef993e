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
}