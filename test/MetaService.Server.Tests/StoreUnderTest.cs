using Microsoft.AspNetCore.Hosting;

namespace MetaService.Server.Tests;

/// <summary>The store this test assembly runs the functions API suite on: the embedded store. The etcd test
/// project compiles the same suite with its own <c>StoreUnderTest</c>.</summary>
public static class StoreUnderTest
{
    public static void Configure(IWebHostBuilder builder, string id) => builder.UseSetting("Store:Kind", "sqlite");

    /// <summary>Settings under which <see cref="CompactAsync"/> can compact the store: one revision of history kept.</summary>
    public static void AllowCompaction(MetaServiceFactory factory) => factory.Settings["Store:Sqlite:HistoryRetention"] = "1";

    /// <summary>Compacts the store's history up to (about) its current revision: the embedded store compacts when its
    /// revision crosses a multiple of 1024, so this writes (to a key of its own) until it has.</summary>
    public static async Task CompactAsync(MetaServiceFactory factory)
    {
        var store = factory.Store;
        var start = await store.GetRevisionAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i <= 1024 && !(i > 0 && await store.KeepsRevisionAsync(start, TestContext.Current.CancellationToken) == false); i++)
        {
            await store.TxnAsync([], [new Core.Storage.WriteOp.Put("/compaction-filler", [1])], TestContext.Current.CancellationToken);
        }
    }
}