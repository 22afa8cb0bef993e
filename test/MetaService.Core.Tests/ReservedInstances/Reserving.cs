using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.ReservedInstances;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.ReservedInstances;

/// <summary>An embedded store with the faas function <c>0@faaspy@hello</c> (draft <c>latest</c>) created through the
/// function service, two clusters and at most two labels a version: what the reserved-instance service is tested on.</summary>
internal sealed class Reserving : IAsyncDisposable
{
    public const string Hello = "0@faaspy@hello";

    private readonly TempStore _temp = new();
    private readonly FunctionCatalog _catalog;

    private Reserving()
    {
        _catalog = new FunctionCatalog(_temp.Store, TimeProvider.System);
    }

    public MetaOptions Options { get; } = new() { Clusters = ["cluster002"], InstanceLabelMax = 2 };

    public IMetaStore Store => _temp.Store;

    public ReservedInstanceService Service => new(Store, Options);

    public static async Task<Reserving> WithHelloAsync()
    {
        var reserving = new Reserving();
        var created = await new FunctionService(reserving._catalog, reserving.Options, TimeProvider.System).CreateAsync(
            Tenant.Default, new FunctionRequest { Name = Hello, Runtime = "python3.9", Kind = "faas", Cpu = 300, Memory = 128 }, CancellationToken.None);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return reserving;
    }

    public static ReserveRequest Request(string label, params (string Cluster, long Max, long Min)[] configs) => new()
    {
        FuncName = Hello,
        Version = "latest",
        InstanceLabel = label,
        InstanceConfigInfos = [.. configs.Select(c => new InstanceConfig { ClusterId = c.Cluster, MaxInstance = c.Max, MinInstance = c.Min })],
    };

    public static ReserveRequest Version(string? label = null) => new() { FuncName = Hello, Version = "latest", InstanceLabel = label };

    public static string LabelKey(string cluster, string label) => PlatformKeys.InstanceLabel(cluster, Tenant.Default, Hello, "latest", label);

    public static string FunctionKey => PlatformKeys.Record(Tenant.Default, Hello, "latest");

    public Task<long> RevisionAsync() => Store.GetRevisionAsync(CancellationToken.None);

    public async Task<string?> ValueAsync(string key) =>
        await Store.GetAsync(key, CancellationToken.None) is { } kv ? System.Text.Encoding.UTF8.GetString(kv.Value) : null;

    /// <summary>Another writer rewriting the function version as it is (its mod revision moves on).</summary>
    public static async Task TouchFunctionAsync(IMetaStore store)
    {
        var kv = (await store.GetAsync(FunctionKey, CancellationToken.None))!;
        await store.TxnAsync([], [new WriteOp.Put(kv.Key, kv.Value)], CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _catalog.DisposeAsync();
        await _temp.DisposeAsync();
    }
}