using MetaService.Core.Functions;

using Xunit;

namespace MetaService.Core.Tests.Root;

/// <summary>The settings of the function rules: the deployed defaults are usable, and each value out of its range is a
/// problem that names its key, at the range's bounds.</summary>
public sealed class MetaOptionsTests
{
    private static readonly Dictionary<string, (Action<MetaOptions> Change, string? Problem)> Changes = new()
    {
        ["MinCpu 1"] = (o => o.MinCpu = 1, null),
        ["MinCpu 0"] = (o => o.MinCpu = 0, "Meta:MinCpu (0) must be positive and not above Meta:MaxCpu (16000)"),
        ["MaxCpu = MinCpu"] = (o => o.MaxCpu = 300, null),
        ["MaxCpu < MinCpu"] = (o => o.MaxCpu = 299, "Meta:MinCpu (300) must be positive and not above Meta:MaxCpu (299)"),
        ["MinMemory 1"] = (o => o.MinMemory = 1, null),
        ["MinMemory 0"] = (o => o.MinMemory = 0, "Meta:MinMemory (0) must be positive and not above Meta:MaxMemory (1073741824)"),
        ["MaxMemory = MinMemory"] = (o => o.MaxMemory = 128, null),
        ["MaxMemory < MinMemory"] = (o => o.MaxMemory = 127, "Meta:MinMemory (128) must be positive and not above Meta:MaxMemory (127)"),
        ["DefaultTimeout 1"] = (o => o.DefaultTimeout = 1, null),
        ["DefaultTimeout 0"] = (o => o.DefaultTimeout = 0, "Meta:DefaultTimeout (0) must be between 1 and Meta:MaxTimeout (8640000)"),
        ["DefaultTimeout = MaxTimeout"] = (o => o.DefaultTimeout = 8_640_000, null),
        ["DefaultTimeout > MaxTimeout"] = (o => o.MaxTimeout = 899, "Meta:DefaultTimeout (900) must be between 1 and Meta:MaxTimeout (899)"),
        ["DefaultMinInstance -1"] = (o => o.DefaultMinInstance = -1, "Meta:DefaultMinInstance must be >= 0 and <= Meta:DefaultMaxInstance, which must be <= Meta:MaxInstanceUpperLimit"),
        ["DefaultMinInstance = DefaultMaxInstance"] = (o => o.DefaultMinInstance = 100, null),
        ["DefaultMinInstance > DefaultMaxInstance"] = (o => o.DefaultMinInstance = 101, "Meta:DefaultMinInstance must be >= 0 and <= Meta:DefaultMaxInstance, which must be <= Meta:MaxInstanceUpperLimit"),
        ["DefaultMaxInstance = upper limit"] = (o => o.DefaultMaxInstance = 1000, null),
        ["DefaultMaxInstance > upper limit"] = (o => o.DefaultMaxInstance = 1001, "Meta:DefaultMinInstance must be >= 0 and <= Meta:DefaultMaxInstance, which must be <= Meta:MaxInstanceUpperLimit"),
        ["DefaultConcurrentNum 1"] = (o => o.DefaultConcurrentNum = 1, null),
        ["DefaultConcurrentNum 0"] = (o => o.DefaultConcurrentNum = 0, "Meta:DefaultConcurrentNum must be between 1 and Meta:ConcurrentNumUpperLimit"),
        ["DefaultConcurrentNum = upper limit"] = (o => o.DefaultConcurrentNum = 1000, null),
        ["DefaultConcurrentNum > upper limit"] = (o => o.DefaultConcurrentNum = 1001, "Meta:DefaultConcurrentNum must be between 1 and Meta:ConcurrentNumUpperLimit"),
        ["VersionMax 1"] = (o => o.VersionMax = 1, null),
        ["VersionMax 0"] = (o => o.VersionMax = 0, "Meta:VersionMax (0) must be at least 1"),
        ["AliasMax 1"] = (o => o.AliasMax = 1, null),
        ["AliasMax 0"] = (o => o.AliasMax = 0, "Meta:AliasMax (0) must be 1 to 1000 aliases per function (default 8, the original's)"),
        ["AliasMax 1000"] = (o => o.AliasMax = 1000, null),
        ["AliasMax 1001"] = (o => o.AliasMax = 1001, "Meta:AliasMax (1001) must be 1 to 1000 aliases per function (default 8, the original's)"),
        ["FunctionMax 0"] = (o => o.FunctionMax = 0, null),
        ["FunctionMax -1"] = (o => o.FunctionMax = -1, "Meta:FunctionMax (-1) must be 0 (no limit) or a number of functions per tenant"),
        ["RecordBytesMax 4096"] = (o => (o.RecordBytesMax, o.EnvironmentBytesMax) = (4096, 4096), null),
        ["RecordBytesMax 4095"] = (o => (o.RecordBytesMax, o.EnvironmentBytesMax) = (4095, 1), "Meta:RecordBytesMax (4095) must be at least 4096, and Meta:EnvironmentBytesMax (1) positive and not above it"),
        ["EnvironmentBytesMax 1"] = (o => o.EnvironmentBytesMax = 1, null),
        ["EnvironmentBytesMax 0"] = (o => o.EnvironmentBytesMax = 0, "Meta:RecordBytesMax (262144) must be at least 4096, and Meta:EnvironmentBytesMax (0) positive and not above it"),
        ["EnvironmentBytesMax > RecordBytesMax"] = (o => (o.RecordBytesMax, o.EnvironmentBytesMax) = (4096, 4097), "Meta:RecordBytesMax (4096) must be at least 4096, and Meta:EnvironmentBytesMax (4097) positive and not above it"),
        ["RecordCacheBytes 0"] = (o => o.RecordCacheBytes = 0, null),
        ["RecordCacheBytes -1"] = (o => o.RecordCacheBytes = -1, "Meta:RecordCacheBytes (-1) must not be negative (default 33554432, 32 MiB; 0 keeps no record)"),
        ["Runtimes one"] = (o => o.Runtimes = ["python3.9"], null),
        ["Runtimes none"] = (o => o.Runtimes = [], "Meta:Runtimes must list at least one runtime"),
        ["UrnPrefix empty"] = (o => o.UrnPrefix = "", "Meta:UrnPrefix and Meta:UrnZone must be non-empty and contain no ':'"),
        ["UrnZone empty"] = (o => o.UrnZone = "", "Meta:UrnPrefix and Meta:UrnZone must be non-empty and contain no ':'"),
        ["UrnPrefix colon"] = (o => o.UrnPrefix = "a:b", "Meta:UrnPrefix and Meta:UrnZone must be non-empty and contain no ':'"),
        ["UrnZone colon"] = (o => o.UrnZone = "a:b", "Meta:UrnPrefix and Meta:UrnZone must be non-empty and contain no ':'"),
    };

    public static TheoryData<string> Cases => [.. Changes.Keys];

    [Fact]
    public void TheDefaults_HaveNoProblem()
    {
        var options = new MetaOptions();

        Assert.Empty(options.Problems());
        Assert.Equal((300L, 16_000L, 128L, 1_073_741_824L, 8_640_000L, 900L), (options.MinCpu, options.MaxCpu, options.MinMemory, options.MaxMemory, options.MaxTimeout, options.DefaultTimeout));
        Assert.Equal((0, 100, 100, 1000, 1000, 8, 100, 8, 1, 100_000), (options.DefaultMinInstance, options.DefaultMaxInstance, options.DefaultConcurrentNum, options.MaxInstanceUpperLimit, options.ConcurrentNumUpperLimit, options.VersionMax, options.InstanceLabelMax, options.AliasMax, options.LayerMax, options.FunctionMax));
        Assert.Equal((262_144, 65_536, 64, 1024, 180, 30), (options.RecordBytesMax, options.EnvironmentBytesMax, options.HandlerMaxLength, options.DescriptionMaxLength, options.PreStopTimeoutMax, options.InitializerTimeoutDefault));
        Assert.Equal(("sn", "cn", "func-", "NO_CRYPTO", false, 33_554_432L), (options.UrnPrefix, options.UrnZone, options.EnvPrefix, options.DecryptAlgorithm, options.RequirePreconditions, options.RecordCacheBytes));
        Assert.Equal(21, options.Runtimes.Length);
        Assert.Contains("python3.9", options.Runtimes);
        Assert.Equal("Meta", MetaOptions.Section);
    }

    [Fact]
    public void TheDefaultRuntimes_AreTheOriginals_AndAFunctionMayNameEach()
    {
        string[] runtimes =
        [
            "nodejs10.15.2", "java1.8", "java8", "java11", "java17", "java21",
            "python3.6", "python3.7", "python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14",
            "cpp11", "cpp11-bin", "custom runtime", "custom-runtime", "posix-custom-runtime", "go1.13",
        ];

        Assert.Equal(runtimes, new MetaOptions().Runtimes);
        Assert.All(runtimes, runtime => Assert.Null(FunctionRules.BuildDraft(
            new FunctionRequest { Name = "0-svc-fn", Runtime = runtime, Cpu = 300, Memory = 128 }, Tenant.Default, new MetaOptions(), TimeProvider.System).Error));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachValue_IsCheckedAtItsBounds(string name)
    {
        var (change, problem) = Changes[name];
        var options = new MetaOptions();
        change(options);

        Assert.True(problem is null ? !options.Problems().Any() : options.Problems().SequenceEqual([problem]), name + ": " + string.Join(" | ", options.Problems()));
    }

    [Fact]
    public void EveryProblem_IsReported_NotOnlyTheFirst()
    {
        var options = new MetaOptions { MinCpu = 0, VersionMax = 0, Runtimes = [] };

        Assert.Equal(3, options.Problems().Count());
    }

    [Fact]
    public void AllClusters_StartsWithTheDefault_AndNamesEachOnce()
    {
        Assert.Equal([MetaOptions.DefaultCluster], new MetaOptions().AllClusters());
        Assert.Equal(["cluster001", "c2", "c3"], new MetaOptions { Clusters = ["c2", "cluster001", "c3", "c2"] }.AllClusters());
        Assert.Equal("cluster001", MetaOptions.DefaultCluster);
    }
}