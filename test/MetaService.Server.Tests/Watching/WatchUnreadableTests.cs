using MetaService.Core;
using MetaService.Core.Aliases;
using MetaService.Core.Storage;
using MetaService.Server.Tests.Observability;

using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests.Watching;

/// <summary>A change whose stored value cannot be read is left out of the stream, said once in the log with its key and
/// why, and the changes after it are sent.</summary>
public sealed class WatchUnreadableTests
{
    [Fact]
    public async Task APoolHoldingNull_IsLoggedOnceWithWhy_AndTheNextChangeIsSent()
    {
        var empty = "p" + Names.Hex();
        var key = PlatformKeys.PoolRoot + empty;

        var next = await NullThenDeletedAsync("podpools", key, $"the pool at {key} is empty");

        Assert.Equal(("delete", empty), (next.Event, (string?)next.Json["id"]));
    }

    [Fact]
    public async Task AnAliasHoldingNull_IsLoggedOnceWithWhy_AndTheNextChangeIsSent()
    {
        var key = AliasKeys.Record(Tenant.Default, Names.Faas(), "prod");

        var next = await NullThenDeletedAsync("aliases", key, $"the alias at {key} is not an alias record");

        Assert.Equal(("delete", "prod"), (next.Event, (string?)next.Json["name"]));
    }

    [Fact]
    public async Task AFunctionRecordOfAnotherBusiness_IsNeitherSentNorReported()
    {
        await using var factory = new MetaServiceFactory();
        var (server, log) = LogCapture.Attach(factory);
        await using var _ = server;
        using var api = new Api(server.CreateClient());
        var store = server.Services.GetRequiredService<IMetaStore>();
        var (first, second) = (Names.Faas(), Names.Faas());
        await api.CreateOkAsync(Bodies.Faas(first));
        var key = PlatformKeys.Record(Tenant.Default, first, FunctionKinds.DraftVersion(FunctionKinds.Faas));
        var value = (await store.GetAsync(key, TestContext.Current.CancellationToken))!.Value;
        // The same record, under a business of the same length as this one's.
        var foreign = key.Replace($"/{Tenant.Business}/", "/xyz/", StringComparison.Ordinal);
        using var stream = await WatchClient.OpenAsync(api.Client, "");

        await store.TxnAsync([], [new WriteOp.Put(foreign, value)], TestContext.Current.CancellationToken);
        await api.CreateOkAsync(Bodies.Faas(second));
        var next = (await stream.NextAsync())!;

        Assert.Equal(("put", second), (next.Event, (string?)next.Json["name"]));
        Assert.DoesNotContain(log.Lines, l => l.Contains(foreign, StringComparison.Ordinal));
    }

    /// <summary>Watches <paramref name="kind"/>, puts <c>null</c> at <paramref name="key"/> and deletes it; asserts the put
    /// was logged once, with <paramref name="why"/>; answers the event that came (the delete).</summary>
    private static async Task<ServerEvent> NullThenDeletedAsync(string kind, string key, string why)
    {
        await using var factory = new MetaServiceFactory();
        var (server, log) = LogCapture.Attach(factory);
        await using var _ = server;
        using var client = server.CreateClient();
        var store = server.Services.GetRequiredService<IMetaStore>();
        using var stream = await WatchClient.OpenAsync(client, "?kind=" + kind);

        await store.TxnAsync([], [new WriteOp.Put(key, "null"u8.ToArray())], TestContext.Current.CancellationToken);
        await store.TxnAsync([], [new WriteOp.Delete(key)], TestContext.Current.CancellationToken);
        var next = (await stream.NextAsync())!;

        var line = await log.WaitForAsync(l => l.Contains("cannot be read and is not sent to watchers", StringComparison.Ordinal));
        Assert.Contains($"a change at {key} cannot be read and is not sent to watchers: {why}", line, StringComparison.Ordinal);
        Assert.Single(log.Lines, l => l.Contains("cannot be read and is not sent to watchers", StringComparison.Ordinal));
        return next;
    }
}