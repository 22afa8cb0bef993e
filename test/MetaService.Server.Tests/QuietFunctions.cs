using System.Globalization;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetaService.Server.Tests;

/// <summary>
/// A server whose functions are quiet while its store moves on: lists answer the revision of the last function change
/// (the catalog's), and the store is compacted past it. On etcd this is every server whose functions do not change for a
/// while: other prefixes (the platform's instances, other servers) move the revision on, and compaction follows it.
/// And the opposite, a server whose watch no longer holds the changes after a list's revision, nor its store.
/// </summary>
public static class QuietFunctions
{
    /// <summary>The revision a list answers (<c>X-Meta-Revision</c>).</summary>
    public static long Revision(HttpResponseMessage list) => long.Parse(list.Headers.GetValues("X-Meta-Revision").Single(), CultureInfo.InvariantCulture);

    /// <summary>Compacts the store past <paramref name="listed"/>, the revision a list of <paramref name="api"/>'s tenant
    /// answered, once the server's watches have started (they start with the server), and checks what the case needs: the
    /// store no longer keeps that revision, and a list still answers it.</summary>
    public static async Task CompactPastAsync(MetaServiceFactory factory, Api api, long listed)
    {
        var starter = factory.Services.GetServices<IHostedService>().OfType<BackgroundService>().Single(s => s.GetType().Name == "WatchStarter");
        await starter.ExecuteTask!.WaitAsync(TestContext.Current.CancellationToken);
        await StoreUnderTest.CompactAsync(factory);

        Assert.False(await factory.Store.KeepsRevisionAsync(listed, TestContext.Current.CancellationToken));
        using var again = await api.ListAsync("");
        Assert.Equal(listed, Revision(again));
    }

    /// <summary>Settings under which the server's watch forgets soon (a ring of 4096 bytes, <c>Watch:RingBytes</c>) and the
    /// store compacts when asked (<see cref="StoreUnderTest.AllowCompaction"/>).</summary>
    public static void ForgetSoon(MetaServiceFactory factory)
    {
        StoreUnderTest.AllowCompaction(factory);
        factory.Settings["Watch:RingBytes"] = "4096";
    }

    /// <summary>On a server set up by <see cref="ForgetSoon"/>: updates <paramref name="name"/> until the ring has dropped
    /// what it held before (twenty updates of about a kilobyte each), then compacts the store, so that what followed any
    /// earlier revision is neither held by the watch nor kept by the store.</summary>
    public static async Task ForgetAsync(MetaServiceFactory factory, Api api, string name, string revision)
    {
        for (var round = 1; round <= 20; round++)
        {
            revision = await WatchWrites.DescribeAsync(api, name, revision, round);
        }

        await StoreUnderTest.CompactAsync(factory);
    }
}