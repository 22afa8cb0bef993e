using System.Text;
using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Aliases;
using MetaService.Core.Catalog;
using MetaService.Core.Pools;
using MetaService.Core.Publishing;
using MetaService.Core.Storage;
using MetaService.Server.Watch;
using MetaService.Tests.Fixtures;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Tests.Watching;

/// <summary>What each watchable kind makes of a store change: which keys are its things (the others are no change of
/// it), the scope and name a watcher filters on, the event's data for a put and a delete, and what the ring counts.</summary>
public sealed class WatchKindsTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private const string Function = "/repo/FunctionVersion/yrk/";
    private const string Reserve = "/instances/business/yrk/cluster/";
    private const string Alias = "/repo/Alias/yrk/";

    private FunctionWatch Functions => new(factory.Services.GetRequiredService<IOptions<MetaOptions>>().Value, factory.Services.GetRequiredService<FunctionCatalog>());

    private AliasWatch Aliases => new(factory.Services.GetRequiredService<AliasService>());

    [Theory]
    [InlineData(Function + "default//0-svc-a/$latest")]
    [InlineData(Function + "default//0-svc-a/$latest/x")]
    [InlineData(Function + "default//0-svc-a/$latest/x/")]
    [InlineData(Function + "default/0-svc-a/$latest/")]
    [InlineData("/repo/FunctionVersion/other/default//0-svc-a/$latest/")]
    public void AKeyThatIsNoFunctionVersion_IsNoChangeOfFunctions(string key)
    {
        Assert.Null(Functions.Render(Put(key, DraftRecordValues.Original("a"))));
        Assert.Null(Functions.Render(Delete(key)));
    }

    [Fact]
    public void AFunctionVersion_IsNamedByItsKey_ADeleteCarriesItsNameAndVersion_AndThePutTheFunction()
    {
        var key = DraftRecordValues.Key("kinds");
        var value = DraftRecordValues.Original("kinds");

        var put = Functions.Render(Put(key, value, revision: 41))!;
        var deleted = Functions.Render(Delete(key, revision: 42))!;

        Assert.Equal((41L, key, "default/", "0-svc-kinds"), (put.Revision, put.Key, put.Scope, put.Name));
        Assert.Equal((42L, "default/", "0-svc-kinds"), (deleted.Revision, deleted.Scope, deleted.Name));
        Assert.Equal("event: delete\ndata: {\"name\":\"0-svc-kinds\",\"version\":\"$latest\"}\n", Frame(deleted));
        var function = Data(put, masked: false);
        Assert.Equal(("0-svc-kinds", "$latest"), (function.GetProperty("name").GetString(), function.GetProperty("versionNumber").GetString()));
        Assert.Equal(function.GetProperty("revisionId").GetString(), Data(put, masked: true).GetProperty("revisionId").GetString());
        Assert.StartsWith("event: put\ndata: {", Frame(put), StringComparison.Ordinal);
    }

    [Fact]
    public void WhatTheRingCounts_IsTheValueTwice_ForAFunctionPutsTwoRenderings_AndOnceForTheOthers()
    {
        var key = DraftRecordValues.Key("size");
        var value = DraftRecordValues.Original("size");
        var pool = Encoding.UTF8.GetBytes("{\"id\":\"p\"}");

        var function = Functions.Render(Put(key, value))!;
        var deleted = Functions.Render(Delete(key))!;
        var pooled = new PoolWatch().Render(Put(PlatformKeys.PoolRoot + "p", pool))!;

        Assert.Equal((2L * (key.Length + value.Length)) + (2L * ("default/".Length + "0-svc-size".Length)) + 160, function.Size);
        Assert.Equal(key.Length + (2L * ("default/".Length + "0-svc-size".Length)) + 160, deleted.Size);
        Assert.Equal(PlatformKeys.PoolRoot.Length + 1 + pool.Length + 2 + 160, pooled.Size);
    }

    [Theory]
    [InlineData("c1/tenant/t1/function/f/version/1/label")]
    [InlineData("c1/tenant/t1/function/f/version/1/label/l/x")]
    [InlineData("c1/tenants/t1/function/f/version/1/label/l")]
    [InlineData("c1/tenant/t1/functions/f/version/1/label/l")]
    [InlineData("c1/tenant/t1/function/f/versions/1/label/l")]
    [InlineData("c1/tenant/t1/function/f/version/1/labels/l")]
    public void AKeyThatIsNoReserveLabel_IsNoChangeOfReserveInstance(string rest)
    {
        Assert.Null(new ReserveWatch().Render(Put(Reserve + rest, Counts(1, 1))));
        Assert.Null(new ReserveWatch().Render(Delete(Reserve + rest)));
    }

    [Fact]
    public void AReserveLabel_IsScopedByItsTenant_ThePutCarriesItsCounts_AndTheDeleteNone()
    {
        var watch = new ReserveWatch();
        var key = Reserve + "c1/tenant/t1/function/0-svc-f/version/3/label/blue";

        var put = watch.Render(Put(key, Counts(max: 7, min: 2)))!;
        var deleted = watch.Render(Delete(key))!;

        Assert.Equal(("t1", "0-svc-f"), (put.Scope, put.Name));
        Assert.Equal("t1", watch.ScopeOf(new Tenant("t1", "p1")));
        Assert.Equal("{\"funcName\":\"0-svc-f\",\"version\":\"3\",\"instanceLabel\":\"blue\",\"instanceConfigInfos\":[{\"clusterId\":\"c1\",\"maxInstance\":7,\"minInstance\":2}]}", Text(put));
        Assert.Equal("{\"funcName\":\"0-svc-f\",\"version\":\"3\",\"instanceLabel\":\"blue\",\"instanceConfigInfos\":[{\"clusterId\":\"c1\",\"maxInstance\":0,\"minInstance\":0}]}", Text(deleted));
        Assert.StartsWith("event: delete\n", Frame(deleted), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a/")]
    public void APoolKeyWithoutOneId_IsNoChangeOfPools(string id) =>
        Assert.Null(new PoolWatch().Render(Put(PlatformKeys.PoolRoot + id, Encoding.UTF8.GetBytes("{\"id\":\"a\"}"))));

    [Fact]
    public void APool_IsOfNoScope_ThePutCarriesThePool_AndTheDeleteItsId()
    {
        var watch = new PoolWatch();
        var pool = JsonSerializer.SerializeToUtf8Bytes(new Pool { Id = "pool-1", Size = 3 }, PoolJson.Default.Pool);

        var put = watch.Render(Put(PlatformKeys.PoolRoot + "pool-1", pool))!;
        var deleted = watch.Render(Delete(PlatformKeys.PoolRoot + "pool-1"))!;

        Assert.False(watch.Scoped);
        Assert.Equal(("", "pool-1"), (put.Scope, put.Name));
        Assert.Equal(Encoding.UTF8.GetString(pool), Text(put));
        Assert.Equal("{\"id\":\"pool-1\"}", Text(deleted));
        Assert.Null(watch.Render(Put(PlatformKeys.PoolRoot + "pool-2", "null"u8.ToArray()))!.FrameFor(masked: false, (_, _) => { }));
    }

    [Theory]
    [InlineData("t/p/f/a")]
    [InlineData("t/p/f/a/x")]
    [InlineData("t/p/f/a/x/")]
    [InlineData("t/f/a/")]
    public void AKeyThatIsNoAlias_IsNoChangeOfAliases(string rest) =>
        Assert.Null(Aliases.Render(Delete(Alias + rest)));

    [Fact]
    public void AnAlias_IsNamedByItsFunction_AndADeleteCarriesBothNames()
    {
        var deleted = Aliases.Render(Delete(Alias + "t/p/0-svc-f/blue/"))!;

        Assert.Equal(("t/p", "0-svc-f"), (deleted.Scope, deleted.Name));
        Assert.Equal("{\"functionName\":\"0-svc-f\",\"name\":\"blue\"}", Text(deleted));
    }

    [Fact]
    public void WhatAReplayWatches_IsTheWatchersScope_ForFunctionsAndAliases_AndTheWholeRootForTheOthers()
    {
        var filter = new WatchFilter("t/p", null, Masked: false);

        Assert.Equal(Function + "t/p/", Functions.ReplayPrefix(filter));
        Assert.Equal(Alias + "t/p/", Aliases.ReplayPrefix(filter));
        Assert.Equal(Reserve, new ReserveWatch().ReplayPrefix(filter));
        Assert.Equal(PlatformKeys.PoolRoot, new PoolWatch().ReplayPrefix(filter));
        Assert.Equal("t/p", Functions.ScopeOf(new Tenant("t", "p")));
    }

    private static WatchEvent Put(string key, byte[] value, long revision = 7) => new(WatchEventType.Put, new KeyValue(key, value, 5, revision, 1));

    private static WatchEvent Delete(string key, long revision = 7) => new(WatchEventType.Delete, new KeyValue(key, [], 0, revision, 0));

    private static byte[] Counts(long max, long min) =>
        JsonSerializer.SerializeToUtf8Bytes(new InstanceKeyValue(new InstanceMetaData { MaxInstance = max, MinInstance = min }), MetaJson.Default.InstanceKeyValue);

    private static string Frame(WatchChange change, bool masked = false) =>
        Encoding.UTF8.GetString(change.FrameFor(masked, (c, e) => Assert.Fail($"{c.Key}: {e.Message}"))!);

    /// <summary>The event's data: the frame without its <c>event:</c> line, <c>data: </c> and the closing newline.</summary>
    private static string Text(WatchChange change, bool masked = false)
    {
        var frame = Frame(change, masked);
        var data = frame[(frame.IndexOf("data: ", StringComparison.Ordinal) + "data: ".Length)..];
        return data[..^1];
    }

    private static JsonElement Data(WatchChange change, bool masked) => JsonDocument.Parse(Text(change, masked)).RootElement.Clone();
}