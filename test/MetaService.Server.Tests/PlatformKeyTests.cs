using System.Text.Json;

namespace MetaService.Server.Tests;

/// <summary>The platform keys of §6.3 and Appendix A, read back from the server's store.</summary>
public sealed class PlatformKeyTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private static string SnKey(string name, string version, string tenant = "default") =>
        $"/sn/functions/business/yrk/tenant/{tenant}/function/{name}/version/{version}";

    private static string YrKey(string name, string version, string tenant = "default") =>
        $"/yr/functions/business/yrk/tenant/{tenant}/function/{name}/version/{version}";

    private static string InstanceKey(string name, string version, string tenant = "default") =>
        $"/instances/business/yrk/cluster/cluster001/tenant/{tenant}/function/{name}/version/{version}";

    private async Task<JsonDocument?> ReadAsync(string key)
    {
        var kv = await factory.Store.GetAsync(key, TestContext.Current.CancellationToken);
        return kv is null ? null : JsonDocument.Parse(kv.Value);
    }

    private static string Str(JsonElement element, string member) => element.GetProperty(member).GetString()!;

    private static long Num(JsonElement element, string member) => element.GetProperty(member).GetInt64();

    [Fact]
    public async Task CreateFaas_WritesSnFunctionsValue_AsAppendixA()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        using var value = await ReadAsync(SnKey(name, "latest"));

        Assert.NotNull(value);
        var meta = value.RootElement.GetProperty("funcMetaData");
        Assert.Equal(name, Str(meta, "name"));
        Assert.Equal(Formats.DraftUrn(name), Str(meta, "functionVersionUrn"));
        Assert.Equal(Formats.FunctionUrn(name), Str(meta, "functionUrn"));
        Assert.Equal((string?)created["revisionId"], Str(meta, "revisionId"));
        Assert.Equal("default", Str(meta, "tenantId"));
        Assert.Equal("yrk", Str(meta, "businessId"));
        Assert.Equal("latest", Str(meta, "version"));
        Assert.Equal("handler.handler", Str(meta, "handler"));
        Assert.Equal("python3.9", Str(meta, "runtime"));
        Assert.Equal(60, Num(meta, "timeout"));
        Assert.Equal(name.Split('@')[2], Str(meta, "func_name"));
        Assert.Equal("svc", Str(meta, "service"));
        var code = value.RootElement.GetProperty("codeMetaData");
        Assert.Equal("local", Str(code, "storage_type"));
        Assert.Equal("/code", Str(code, "code_path"));
        var env = value.RootElement.GetProperty("envMetaData");
        Assert.Equal("""{"A":"1"}""", Str(env, "environment"));
        Assert.Equal("NO_CRYPTO", Str(env, "cryptoAlgorithm"));
        var resources = value.RootElement.GetProperty("resourceMetaData");
        Assert.Equal(300, Num(resources, "cpu"));
        Assert.Equal(128, Num(resources, "memory"));
        Assert.Equal("", Str(resources, "customResources"));
        var instances = value.RootElement.GetProperty("instanceMetaData");
        Assert.Equal(1, Num(instances, "maxInstance"));
        Assert.Equal(0, Num(instances, "minInstance"));
        Assert.Equal(1, Num(instances, "concurrentNum"));
        var initializer = value.RootElement.GetProperty("extendedMetaData").GetProperty("initializer");
        Assert.Equal("handler.init", Str(initializer, "initializer_handler"));
        Assert.Equal(30, Num(initializer, "initializer_timeout"));
    }

    [Fact]
    public async Task CreateFaas_WritesInstancesValue()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var value = await ReadAsync(InstanceKey(name, "latest"));

        Assert.NotNull(value);
        var instances = value.RootElement.GetProperty("instanceMetaData");
        Assert.Equal(1, Num(instances, "maxInstance"));
        Assert.Equal(0, Num(instances, "minInstance"));
        Assert.Equal(1, Num(instances, "concurrentNum"));
        Assert.Equal("", Str(instances, "poolLabel"));
        Assert.False(instances.GetProperty("idleMode").GetBoolean());
        Assert.Null(await ReadAsync(YrKey(name, "latest")));
    }

    [Fact]
    public async Task CreateYrlib_WritesYrFunctionsValue_AndNoInstancesKey()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));

        using var value = await ReadAsync(YrKey(name, "$latest"));

        Assert.NotNull(value);
        var meta = value.RootElement.GetProperty("funcMetaData");
        Assert.Equal(name, Str(meta, "name"));
        Assert.Equal(Formats.DraftUrn(name, "$latest"), Str(meta, "functionVersionUrn"));
        Assert.Equal((string?)created["revisionId"], Str(meta, "revisionId"));
        Assert.Equal("$latest", Str(meta, "version"));
        Assert.Equal("yrlib_handler.call", Str(meta.GetProperty("hookHandler"), "call"));
        Assert.Equal("yrlib_handler.init", Str(meta.GetProperty("hookHandler"), "init"));
        var env = value.RootElement.GetProperty("envMetaData");
        Assert.Equal("""{"func-A":"1"}""", Str(env, "environment"));
        var extended = value.RootElement.GetProperty("extendedMetaData");
        var instances = extended.GetProperty("instance_meta_data");
        Assert.Equal(1, Num(instances, "maxInstance"));
        Assert.Equal(0, Num(instances, "minInstance"));
        Assert.Equal(1, Num(instances, "concurrentNum"));
        Assert.Equal("handler.init", Str(extended.GetProperty("extended_handler"), "initializer"));
        Assert.Null(await ReadAsync(InstanceKey(name, "$latest")));
        Assert.Null(await ReadAsync(SnKey(name, "$latest")));
    }

    [Fact]
    public async Task Update_RewritesThePublishedDraftValue()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var updated = await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!, "faas").With("maxInstance", "\"7\""));

        using var value = await ReadAsync(SnKey(name, "latest"));
        using var instance = await ReadAsync(InstanceKey(name, "latest"));
        Assert.NotNull(value);
        Assert.NotNull(instance);
        Assert.Equal((string?)updated["revisionId"], Str(value.RootElement.GetProperty("funcMetaData"), "revisionId"));
        Assert.Equal(7, Num(instance.RootElement.GetProperty("instanceMetaData"), "maxInstance"));
    }

    [Fact]
    public async Task Publish_WritesTheVersionKeys()
    {
        using var api = factory.CreateApi();
        var faas = Names.Faas();
        var yrlib = Names.Yrlib();
        var faasRevision = (string)(await api.CreateOkAsync(Bodies.Faas(faas)))["revisionId"]!;
        var yrlibRevision = (string)(await api.CreateOkAsync(Bodies.Yrlib(yrlib)))["revisionId"]!;

        await api.PublishOkAsync(faas, faasRevision, "v1", "faas", "first");
        await api.PublishOkAsync(yrlib, yrlibRevision, "v1", "yrlib");

        using var faasValue = await ReadAsync(SnKey(faas, "v1"));
        using var instance = await ReadAsync(InstanceKey(faas, "v1"));
        using var yrlibValue = await ReadAsync(YrKey(yrlib, "v1"));
        Assert.NotNull(faasValue);
        Assert.NotNull(instance);
        Assert.NotNull(yrlibValue);
        var meta = faasValue.RootElement.GetProperty("funcMetaData");
        Assert.Equal("v1", Str(meta, "version"));
        Assert.Equal(Formats.DraftUrn(faas, "v1"), Str(meta, "functionVersionUrn"));
        Assert.Equal("first", Str(meta, "versionDescription"));
        Assert.Equal(faasRevision, Str(meta, "revisionId"));
        Assert.Equal("v1", Str(yrlibValue.RootElement.GetProperty("funcMetaData"), "version"));
    }

    [Fact]
    public async Task Delete_RemovesEveryPlatformKeyOfTheFunction()
    {
        using var api = factory.CreateApi();
        var faas = Names.Faas();
        var yrlib = Names.Yrlib();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(faas)))["revisionId"]!;
        await api.PublishOkAsync(faas, revision, "v1", "faas");
        await api.CreateOkAsync(Bodies.Yrlib(yrlib));

        using var deletedFaas = await api.DeleteAsync(faas);
        using var deletedYrlib = await api.DeleteAsync(yrlib);

        Assert.Null(await ReadAsync(SnKey(faas, "latest")));
        Assert.Null(await ReadAsync(SnKey(faas, "v1")));
        Assert.Null(await ReadAsync(InstanceKey(faas, "latest")));
        Assert.Null(await ReadAsync(InstanceKey(faas, "v1")));
        Assert.Null(await ReadAsync(YrKey(yrlib, "$latest")));
        var left = await factory.Store.RangeAsync($"/repo/FunctionVersion/yrk/default//{faas}/", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(left.Items);
    }

    [Fact]
    public async Task DeleteVersion_RemovesOnlyThatVersionsKeys()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, revision, "v1", "faas");
        await api.PublishOkAsync(name, await api.TouchAsync(name, revision), "v2", "faas");

        using var deleted = await api.DeleteAsync(name, "v1");

        Assert.Null(await ReadAsync(SnKey(name, "v1")));
        Assert.Null(await ReadAsync(InstanceKey(name, "v1")));
        using var v2 = await ReadAsync(SnKey(name, "v2"));
        using var v2Instance = await ReadAsync(InstanceKey(name, "v2"));
        using var draft = await ReadAsync(SnKey(name, "latest"));
        Assert.NotNull(v2);
        Assert.NotNull(v2Instance);
        Assert.NotNull(draft);
    }

    [Fact]
    public async Task CreateWithProduct_WritesKeysUnderTenantAtProduct()
    {
        using var api = factory.CreateApi(tenant: "t1", product: "p1");
        var name = Names.Faas();

        await api.CreateOkAsync(Bodies.Faas(name));

        using var value = await ReadAsync(SnKey(name, "latest", "t1@p1"));
        Assert.NotNull(value);
        Assert.Equal("t1@p1", Str(value.RootElement.GetProperty("funcMetaData"), "tenantId"));
    }
}