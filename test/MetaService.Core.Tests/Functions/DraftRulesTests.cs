using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>The draft create builds and the draft an update merges: each member from the request, its default, or the
/// stored draft, as the reference says (an update keeps empty scalars and overwrites the rest).</summary>
public sealed class DraftRulesTests
{
    private static readonly MetaOptions Options = new();
    private static readonly SetClock Clock = new();

    private static FunctionRecord Build(FunctionRequest request) => FunctionRules.BuildDraft(request, new Tenant("alice", "shop"), Options, Clock).Value!;

    [Fact]
    public void ACreate_TakesEveryMemberFromTheRequest()
    {
        var record = Build(ServiceHarness.Rich());

        Assert.Equal(("alice", "shop", "0-svc-rich", "$latest", "$latest", "yrlib"), (record.TenantId, record.ProductId, record.Name, record.Version, record.VersionDesc, record.Kind));
        Assert.Equal(("python3.9", "h.main", "rich one", 600L, 512L, 60L), (record.Runtime, record.Handler, record.Description, record.Cpu, record.Memory, record.Timeout));
        Assert.Equal((1, 7, 3), (record.MinInstance, record.MaxInstance, record.ConcurrentNum));
        Assert.Equal(("s3", "/code", "s3", "pool-1", "g1,g2"), (record.StorageType, record.CodePath, record.CodeUploadType, record.PoolId, record.PoolLabel));
        Assert.Equal(new S3CodePath { BucketId = "b", ObjectId = "o", BucketUrl = "u", Token = "t", Sha512 = "sha" }, record.S3CodePath);
        Assert.Equal((true, true, true, true, 2, 30L), (record.EnableAgentSession, record.EnableSessionCtx, record.EnableMetrics, record.IsFuncPublic, record.CacheInstance, record.IdleTime));
        Assert.Equal(("seed", "az1", "spread", "fast", "gvisor"), (record.Warmup, record.PriorityAz, record.SchedulePolicy, record.ScalePolicy, record.SandboxType));
        Assert.Equal(new AutoScaleConfig { SlaQuota = 5, ScaleDownTime = 6, BurstScaleNum = 7 }, record.AutoScaleConfig);
        Assert.Equal(("c", 3L), (record.CustomContainerConfig!.Image, record.CustomHealthCheck!.TimeoutSeconds));
        Assert.Equal(("img", "runc"), (record.Rootfs.ImageUrl, record.Rootfs.Runtime));
        Assert.Equal(("1", 2.0, "h.init", 9L), (record.Environment["A"], record.CustomResources!["npu"], record.ExtendedHandler!["initializer"], record.ExtendedTimeout!["initializer"]));
        Assert.Equal("my.init", record.HookHandler!["init"]);
        Assert.Equal(("2024-05-09 02:25:49.477 UTC", "2024-05-09 02:25:49.477 UTC", "", "20240509022549477"), (record.CreateTime, record.PublishTime, record.UpdateTime, record.RevisionId));
        Assert.Equal(("", ""), (record.FuncName, record.Service));
        Assert.Empty(record.Layers!);
    }

    [Fact]
    public void ACreate_FillsTheDefaultsOfWhatIsNotGiven()
    {
        var record = Build(new FunctionRequest { Name = "0-svc-fn", Runtime = "python3.9", Cpu = 300, Memory = 128 });

        Assert.Equal(("", "", "", 900L), (record.Kind, record.Handler, record.Description, record.Timeout));
        Assert.Equal("$latest", record.Version);
        Assert.Empty(record.Environment);
        Assert.Empty(record.HookHandler!);
        Assert.Equal(("", "", "", "", 0, false, false, false, false), (record.StorageType, record.CodePath, record.PoolId, record.PoolLabel, record.CacheInstance, record.EnableMetrics, record.EnableAgentSession, record.EnableSessionCtx, record.IsFuncPublic));
        Assert.Equal(new S3CodePath { BucketId = "", ObjectId = "", BucketUrl = "", Token = "", Sha512 = "" }, record.S3CodePath);
        Assert.Equal(new AutoScaleConfig { SlaQuota = -1, ScaleDownTime = -1, BurstScaleNum = -1 }, record.AutoScaleConfig);
        Assert.Same(Rootfs.Empty, record.Rootfs);
        Assert.Null(record.Device);
        Assert.Equal("", record.SandboxType);
    }

    [Theory]
    [InlineData(0L, 900L)]
    [InlineData(1L, 1L)]
    [InlineData(8_640_000L, 8_640_000L)]
    public void ACreatesTimeout_DefaultsAtZero_AndIsKeptUpToTheMaximum(long requested, long expected)
    {
        Assert.Equal(expected, Build(ServiceHarness.Yrlib() with { Timeout = requested }).Timeout);
    }

    [Fact]
    public void SchedulePolicies_MakeThePoolLabel_WhenNoAffinitySelectorIsGiven()
    {
        var fromPolicies = Build(ServiceHarness.Yrlib() with { SchedulePolicies = [new AffinitySelector { Group = "a" }, new AffinitySelector(), new AffinitySelector { Group = "b" }] });
        var emptySelectors = Build(ServiceHarness.Yrlib() with { ResourceAffinitySelectors = [], SchedulePolicies = [new AffinitySelector { Group = "p" }] });

        Assert.Equal("a,b", fromPolicies.PoolLabel);
        Assert.Equal("p", emptySelectors.PoolLabel);
    }

    [Fact]
    public void AnAutoScaleConfig_KeepsWhatIsSet_AndMarksTheZerosUnset()
    {
        var record = Build(ServiceHarness.Yrlib() with { AutoScaleConfig = new AutoScaleConfig { SlaQuota = 0, ScaleDownTime = 6, BurstScaleNum = 0 } });
        var other = Build(ServiceHarness.Yrlib() with { AutoScaleConfig = new AutoScaleConfig { SlaQuota = 5, ScaleDownTime = 0, BurstScaleNum = 7 } });

        Assert.Equal(new AutoScaleConfig { SlaQuota = -1, ScaleDownTime = 6, BurstScaleNum = -1 }, record.AutoScaleConfig);
        Assert.Equal(new AutoScaleConfig { SlaQuota = 5, ScaleDownTime = -1, BurstScaleNum = 7 }, other.AutoScaleConfig);
    }

    [Fact]
    public void ADevice_IsStoredWithoutItsEmptyStrings_AndAnUnsetOneNotAtAll()
    {
        var set = Build(ServiceHarness.Yrlib() with { Device = new FunctionDevice { Model = "", Type = "npu", Count = 1 } });
        var unset = Build(ServiceHarness.Yrlib() with { Device = new FunctionDevice { Model = "" } });

        Assert.Equal(new FunctionDevice { Model = null, Type = "npu", Count = 1 }, set.Device);
        Assert.Null(unset.Device);
    }

    [Theory]
    [InlineData(FunctionKinds.Faas, "java1.8", "java8")]
    [InlineData(FunctionKinds.Faas, "java8", "java8")]
    [InlineData(FunctionKinds.Yrlib, "java8", "java1.8")]
    [InlineData(FunctionKinds.Yrlib, "java1.8", "java1.8")]
    [InlineData("", "java8", "java1.8")]
    [InlineData(FunctionKinds.Faas, "java11", "java11")]
    public void AJava8Runtime_IsSpelledAsTheKindWantsIt(string kind, string runtime, string expected)
    {
        Assert.Equal(expected, Build(ServiceHarness.Yrlib("0@svc@fn") with { Kind = kind, Runtime = runtime }).Runtime);
    }

    [Fact]
    public void AFaasName_IsSplitIntoServiceAndFunction()
    {
        var record = Build(ServiceHarness.Faas("0@mysvc@my.fn"));

        Assert.Equal(("mysvc", "my.fn", "latest", "latest"), (record.Service, record.FuncName, record.Version, record.VersionDesc));
    }

    [Theory]
    [InlineData("", "", "", "")]
    [InlineData("", "", "ro", "runsc")]
    [InlineData("runc", "", "ro", "runc")]
    public void ARootfs_RunsUnderRunscUnlessItNamesARuntime(string runtime, string type, string mountPoint, string expected)
    {
        var record = Build(ServiceHarness.Yrlib() with { Rootfs = new Rootfs { Runtime = runtime, Type = type, MountPoint = mountPoint, User = "u" } });

        Assert.Equal(expected, record.Rootfs.Runtime);
    }

    [Fact]
    public void ARootfsWithOnlyMountsOrStorage_IsPlaced()
    {
        Assert.Equal("runsc", Build(ServiceHarness.Yrlib() with { Rootfs = new Rootfs { Mounts = [new RootfsMount { Source = "a" }] } }).Rootfs.Runtime);
        Assert.Equal("", Build(ServiceHarness.Yrlib() with { Rootfs = new Rootfs { Mounts = [], User = "u" } }).Rootfs.Runtime);
    }

    [Theory]
    [InlineData("zip", "", "", false, "rootfs type 'zip' is invalid: use local, image or s3")]
    [InlineData("local", "", "", false, "rootfs path is required for type local and allowed only there")]
    [InlineData("", "/p", "", false, "rootfs path is required for type local and allowed only there")]
    [InlineData("image", "", "", false, "rootfs imageurl is required for type image and allowed only there")]
    [InlineData("", "", "img", false, "rootfs imageurl is required for type image and allowed only there")]
    [InlineData("s3", "", "", false, "rootfs of type s3 needs storageInfo endpoint, bucket and object")]
    [InlineData("", "", "", true, "rootfs storageInfo is allowed only for type s3")]
    public void ARootfsBreakingItsTypesRules_IsRefused(string type, string path, string image, bool storage, string expected)
    {
        var rootfs = new Rootfs { Type = type, Path = path, ImageUrl = image, StorageInfo = storage ? new RootfsStorage { Bucket = "b" } : new RootfsStorage() };

        var outcome = FunctionRules.BuildDraft(ServiceHarness.Yrlib() with { Rootfs = rootfs }, Tenant.Default, Options, Clock);

        Assert.Equal(expected + MetaError.CheckInput, outcome.Error!.Message);
    }

    [Theory]
    [InlineData("", "b", "o")]
    [InlineData("e", "", "o")]
    [InlineData("e", "b", "")]
    public void AnS3Rootfs_NeedsEndpointBucketAndObject(string endpoint, string bucket, string objectName)
    {
        var rootfs = new Rootfs { Type = "s3", StorageInfo = new RootfsStorage { Endpoint = endpoint, Bucket = bucket, ObjectName = objectName } };

        var outcome = FunctionRules.BuildDraft(ServiceHarness.Yrlib() with { Rootfs = rootfs }, Tenant.Default, Options, Clock);

        Assert.Equal("rootfs of type s3 needs storageInfo endpoint, bucket and object" + MetaError.CheckInput, outcome.Error!.Message);
    }

    [Fact]
    public void ALongRootfsType_IsCutInItsMessage()
    {
        var outcome = FunctionRules.BuildDraft(ServiceHarness.Yrlib() with { Rootfs = new Rootfs { Type = new string('t', 70) } }, Tenant.Default, Options, Clock);

        Assert.StartsWith($"rootfs type '{new string('t', 64)}…' is invalid", outcome.Error!.Message, StringComparison.Ordinal);
    }
}