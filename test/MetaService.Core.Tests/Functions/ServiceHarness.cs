using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Core.Records;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>A <see cref="FunctionService"/> on a real embedded store, with its own catalog, a set clock and (when asked)
/// a history log, and the reads the function tests make of what the store holds.</summary>
internal sealed class ServiceHarness : IAsyncDisposable
{
    private readonly TempStore _temp = new();
    private readonly FunctionCatalog _catalog;
    private readonly List<FunctionCatalog> _replicas = [];

    public ServiceHarness(MetaOptions? options = null, bool history = false)
    {
        Options = options ?? new MetaOptions();
        _catalog = new FunctionCatalog(_temp.Store, TimeProvider.System);
        Service = new FunctionService(_catalog, Options, Clock, history: history ? new HistoryLog(new HistoryOptions(), Clock) : null);
    }

    public static Tenant Tenant { get; } = new("alice", "shop");

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public SetClock Clock { get; } = new();

    public MetaOptions Options { get; }

    public FunctionService Service { get; }

    public FunctionCatalog Catalog => _catalog;

    public IMetaStore Store => _temp.Store;

    public static FunctionRequest Faas(string name = "0@svc@fn") =>
        new() { Name = name, Runtime = "python3.9", Kind = FunctionKinds.Faas, Handler = "h.main", Cpu = 600, Memory = 512, Timeout = 60 };

    public static FunctionRequest Yrlib(string name = "0-svc-fn") =>
        new() { Name = name, Runtime = "python3.9", Kind = FunctionKinds.Yrlib, Handler = "h.main", Cpu = 600, Memory = 512, Timeout = 60 };

    /// <summary>A yrlib request that sets every member a draft keeps to a value other than its default.</summary>
    public static FunctionRequest Rich(string name = "0-svc-rich") => Yrlib(name) with
    {
        Description = "rich one",
        MinInstance = "1",
        MaxInstance = "7",
        ConcurrentNum = "3",
        Environment = new() { ["A"] = "1" },
        CustomResources = new() { ["npu"] = 2 },
        ExtendedHandler = new() { ["initializer"] = "h.init" },
        ExtendedTimeout = new() { ["initializer"] = 9 },
        HookHandler = new() { ["init"] = "my.init" },
        StorageType = "s3",
        CodePath = "/code",
        CodeUploadType = "s3",
        S3CodePath = new S3CodePath { BucketId = "b", ObjectId = "o", BucketUrl = "u", Token = "t", Sha512 = "sha" },
        PoolId = "pool-1",
        ResourceAffinitySelectors = [new AffinitySelector { Group = "g1" }, new AffinitySelector { Group = "g2" }],
        EnableAgentSession = true,
        EnableSessionCtx = true,
        EnableMetrics = true,
        IsFuncPublic = true,
        CacheInstance = 2,
        IdleTime = 30,
        Warmup = "seed",
        PriorityAz = "az1",
        SchedulePolicy = "spread",
        ScalePolicy = "fast",
        SandboxType = "gvisor",
        Rootfs = new Rootfs { Type = "image", ImageUrl = "img", Runtime = "runc" },
        AutoScaleConfig = new AutoScaleConfig { SlaQuota = 5, ScaleDownTime = 6, BurstScaleNum = 7 },
        ExtendedMetaData = new ExtendedMetaData
        {
            CustomContainerConfig = new CustomContainerConfig { Image = "c", Command = ["run"] },
            CustomHealthCheck = new CustomHealthCheck { TimeoutSeconds = 3, PeriodSeconds = 4, FailureThreshold = 5 },
        },
    };

    /// <summary>A view as JSON, to compare views whose maps and lists are not compared by value.</summary>
    public static string Json(FunctionView? view) => view is null ? "null" : System.Text.Json.JsonSerializer.Serialize(view, MetaJson.Default.FunctionView);

    /// <summary>A record as JSON, to compare records whose maps and lists are not compared by value.</summary>
    public static string Json(FunctionRecord record) => System.Text.Json.JsonSerializer.Serialize(record, MetaJson.Default.FunctionRecord);

    /// <summary>Creates a function that must be created, and answers its view.</summary>
    public async Task<FunctionView> CreateAsync(FunctionRequest request)
    {
        var created = await Service.CreateAsync(Tenant, request, Token);
        Assert.Null(created.Error);
        return created.Value!;
    }

    /// <summary>Publishes the draft as <paramref name="version"/>, which must succeed.</summary>
    public async Task<FunctionView> PublishAsync(string name, string version)
    {
        var draft = await Service.GetAsync(Tenant, name, null, null, Token);
        var published = await Service.PublishAsync(Tenant, name, new PublishRequest { RevisionId = draft.Value!.RevisionId, VersionNumber = version }, Token);
        Assert.Null(published.Error);
        return published.Value!;
    }

    public Task<long> RevisionAsync() => Store.GetRevisionAsync(Token);

    public async Task<KeyValue?> GetAsync(string key) => await Store.GetAsync(key, Token);

    /// <summary>The record stored for a version, decoded; null when there is none.</summary>
    public async Task<FunctionRecord?> RecordAsync(string name, string version) =>
        await GetAsync(PlatformKeys.Record(Tenant, name, version)) is { } kv ? FunctionEntry.Decode(kv.Key, kv.Value) : null;

    /// <summary>Every key under <paramref name="prefix"/>.</summary>
    public async Task<List<string>> KeysAsync(string prefix) =>
        [.. (await Store.RangeAsync(prefix, cancellationToken: Token)).Items.Select(kv => kv.Key)];

    /// <summary>The history entries of a function, newest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string name) =>
        (await new HistoryReader(Store).FunctionAsync(Tenant, name, 50, null, Token)).Value!.Entries;

    /// <summary>Another service on this harness's store as <paramref name="through"/> shows it (a wrapper that holds its
    /// watch, counts its reads…), with a catalog of its own, disposed with the harness: a replica beside
    /// <see cref="Service"/>.</summary>
    public FunctionService ServiceOver(IMetaStore through, out FunctionCatalog catalog)
    {
        catalog = new FunctionCatalog(through, TimeProvider.System);
        _replicas.Add(catalog);
        return new FunctionService(catalog, Options, Clock);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _catalog.DisposeAsync();
        await _temp.DisposeAsync();
    }
}