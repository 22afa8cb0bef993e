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
        await using var factory = new MetaServiceFactory();
        var (server, log) = LogCapture.Attach(factory);
        await using var _ = server;
        using var client = server.CreateClient();
        var empty = "p" + Names.Hex();
        var store = server.Services.GetRequiredService<IMetaStore>();
        using var stream = await WatchClient.OpenAsync(client, "?kind=podpools");

        await store.TxnAsync([], [new WriteOp.Put(PlatformKeys.PoolRoot + empty, "null"u8.ToArray())], TestContext.Current.CancellationToken);
        await store.TxnAsync([], [new WriteOp.Delete(PlatformKeys.PoolRoot + empty)], TestContext.Current.CancellationToken);
        var next = (await stream.NextAsync())!;

        Assert.Equal(("delete", empty), (next.Event, (string?)next.Json["id"]));
        var line = await log.WaitForAsync(l => l.Contains("cannot be read and is not sent to watchers", StringComparison.Ordinal));
        Assert.Contains($"a change at {PlatformKeys.PoolRoot + empty} cannot be read and is not sent to watchers: the pool at {PlatformKeys.PoolRoot + empty} is empty", line, StringComparison.Ordinal);
        Assert.Single(log.Lines, l => l.Contains("cannot be read and is not sent to watchers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAliasHoldingNull_IsLoggedOnceWithWhy_AndTheNextChangeIsSent()
    {
        await using var factory = new MetaServiceFactory();
        var (server, log) = LogCapture.Attach(factory);
        await using var _ = server;
        using var client = server.CreateClient();
        var key = AliasKeys.Record(Tenant.Default, Names.Faas(), "prod");
        var store = server.Services.GetRequiredService<IMetaStore>();
        using var stream = await WatchClient.OpenAsync(client, "?kind=aliases");

        await store.TxnAsync([], [new WriteOp.Put(key, "null"u8.ToArray())], TestContext.Current.CancellationToken);
        await store.TxnAsync([], [new WriteOp.Delete(key)], TestContext.Current.CancellationToken);
        var next = (await stream.NextAsync())!;

        Assert.Equal(("delete", "prod"), (next.Event, (string?)next.Json["name"]));
        var line = await log.WaitForAsync(l => l.Contains("cannot be read and is not sent to watchers", StringComparison.Ordinal));
        Assert.Contains($"a change at {key} cannot be read and is not sent to watchers: the alias at {key} is not an alias record", line, StringComparison.Ordinal);
        Assert.Single(log.Lines, l => l.Contains("cannot be read and is not sent to watchers", StringComparison.Ordinal));
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
}