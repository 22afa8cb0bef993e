using System.Text.Json;

using Etcdserverpb;

using Google.Protobuf;

using Grpc.Net.Client;

namespace MetaService.Server.Tests;

/// <summary>The published keys as openYuanrong's consumers read them: straight from etcd, under the
/// azPrefix, every member the C++ consumer parses (the end of §6.3 of the reference) compared one by one.</summary>
public sealed class EtcdPlatformKeyTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private async Task<JsonElement?> ReadRawAsync(string key)
    {
        using var channel = GrpcChannel.ForAddress(SharedEtcd.Cluster.ClientUrls[0]);
        var response = await new KV.KVClient(channel).RangeAsync(
            new RangeRequest { Key = ByteString.CopyFromUtf8($"/t{factory.Id}{key}") },
            cancellationToken: TestContext.Current.CancellationToken);
        return response.Kvs.Count == 0 ? null : JsonDocument.Parse(response.Kvs[0].Value.Memory).RootElement.Clone();
    }

    private static JsonElement At(JsonElement root, string path) =>
        path.Split('.').Aggregate(root, (e, member) => e.TryGetProperty(member, out var next) ? next : throw new Xunit.Sdk.XunitException($"{path} is missing in {root}"));

    private static string Str(JsonElement root, string path) => At(root, path).GetString()!;

    private static long Num(JsonElement root, string path) => At(root, path).GetInt64();

    /// <summary>The members both value shapes carry, for Appendix A's request body.</summary>
    private static void AssertSharedConsumerFields(JsonElement v, string name, string version, string revisionId)
    {
        Assert.Equal(name, Str(v, "funcMetaData.name"));
        Assert.Equal(Formats.DraftUrn(name, version), Str(v, "funcMetaData.functionVersionUrn"));
        Assert.Equal(revisionId, Str(v, "funcMetaData.revisionId"));
        Assert.Equal("default", Str(v, "funcMetaData.tenantId"));
        Assert.Equal(version, Str(v, "funcMetaData.version"));
        Assert.Equal("handler.handler", Str(v, "funcMetaData.handler"));
        Assert.Equal("python3.9", Str(v, "funcMetaData.runtime"));
        Assert.Equal(60, Num(v, "funcMetaData.timeout"));
        Assert.Equal(JsonValueKind.Array, At(v, "funcMetaData.layers").ValueKind);
        Assert.Equal("local", Str(v, "codeMetaData.storage_type"));
        Assert.Equal("/code", Str(v, "codeMetaData.code_path"));
        Assert.Equal("NO_CRYPTO", Str(v, "envMetaData.cryptoAlgorithm"));
        Assert.Equal(300, Num(v, "resourceMetaData.cpu"));
        Assert.Equal(128, Num(v, "resourceMetaData.memory"));
        Assert.Equal(JsonValueKind.Object, At(v, "rootfs").ValueKind);
        Assert.Equal("", Str(v, "sandboxType"));
    }

    [Fact]
    public async Task CreateYrlib_YrFunctionsValueInEtcd_CarriesEveryConsumerField()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));

        var value = await ReadRawAsync($"/yr/functions/business/yrk/tenant/default/function/{name}/version/$latest");

        Assert.NotNull(value);
        var v = value.Value;
        AssertSharedConsumerFields(v, name, "$latest", (string)created["revisionId"]!);
        Assert.Equal("yrlib_handler.call", Str(v, "funcMetaData.hookHandler.call"));
        Assert.Equal("", Str(v, "codeMetaData.bucketId"));
        Assert.Equal("", Str(v, "codeMetaData.objectId"));
        Assert.Equal("", Str(v, "codeMetaData.bucketUrl"));
        Assert.Equal("", Str(v, "codeMetaData.appId"));
        Assert.Equal("""{"func-A":"1"}""", Str(v, "envMetaData.environment"));
        Assert.Equal("", Str(v, "envMetaData.encrypted_user_data"));
        Assert.Equal(1, Num(v, "extendedMetaData.instance_meta_data.maxInstance"));
        Assert.Equal(0, Num(v, "extendedMetaData.instance_meta_data.minInstance"));
        Assert.Equal(1, Num(v, "extendedMetaData.instance_meta_data.concurrentNum"));
        Assert.Equal(JsonValueKind.Object, At(v, "extendedMetaData.initializer").ValueKind);
        Assert.Equal(JsonValueKind.Object, At(v, "extendedMetaData.mount_config").ValueKind);
        Assert.Equal(JsonValueKind.Object, At(v, "extendedMetaData.device").ValueKind);
        Assert.Equal(JsonValueKind.String, At(v, "warmup").ValueKind);
    }

    [Fact]
    public async Task CreateFaas_SnFunctionsAndInstancesValuesInEtcd_CarryEveryConsumerField()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var value = await ReadRawAsync($"/sn/functions/business/yrk/tenant/default/function/{name}/version/latest");
        var instance = await ReadRawAsync($"/instances/business/yrk/cluster/cluster001/tenant/default/function/{name}/version/latest");

        Assert.NotNull(value);
        Assert.NotNull(instance);
        var v = value.Value;
        AssertSharedConsumerFields(v, name, "latest", (string)created["revisionId"]!);
        Assert.Equal("""{"A":"1"}""", Str(v, "envMetaData.environment"));
        Assert.Equal("handler.init", Str(v, "extendedMetaData.initializer.initializer_handler"));
        Assert.Equal(30, Num(v, "extendedMetaData.initializer.initializer_timeout"));
        Assert.Equal(JsonValueKind.Null, At(v, "extendedMetaData.mount_config").ValueKind);
        Assert.Equal(JsonValueKind.Object, At(v, "extendedMetaData.user_agency").ValueKind);
        Assert.Equal(1, Num(instance.Value, "instanceMetaData.maxInstance"));
        Assert.Equal(0, Num(instance.Value, "instanceMetaData.minInstance"));
        Assert.Equal(1, Num(instance.Value, "instanceMetaData.concurrentNum"));
    }

    [Fact]
    public async Task Delete_RemovesTheKeysFromEtcd()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var deleted = await api.DeleteAsync(name);

        Assert.Null(await ReadRawAsync($"/sn/functions/business/yrk/tenant/default/function/{name}/version/latest"));
        Assert.Null(await ReadRawAsync($"/instances/business/yrk/cluster/cluster001/tenant/default/function/{name}/version/latest"));
        Assert.Null(await ReadRawAsync($"/repo/FunctionVersion/yrk/default//{name}/latest/"));
    }
}