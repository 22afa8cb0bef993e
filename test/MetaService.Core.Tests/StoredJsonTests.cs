using System.Text;
using System.Text.Json;

using MetaService.Core.Functions;

using Xunit;

namespace MetaService.Core.Tests;

public sealed class StoredJsonTests
{
    private static readonly MetaOptions Options = new();

    public static TheoryData<string> Records => [.. Cases.Keys];

    private static Dictionary<string, FunctionRecord> Cases { get; } = new()
    {
        ["yrlib draft"] = Draft(new FunctionRequest
        {
            Name = "0-bench-fn000001",
            Runtime = "python3.9",
            Kind = "yrlib",
            Handler = "handler.handler",
            Cpu = 300,
            Memory = 128,
            Environment = new() { ["A"] = "1" },
            CustomResources = [],
            StorageType = "local",
            CodePath = "/home/sn/function-packages",
            ExtendedHandler = new() { ["initializer"] = "handler.init" },
            PoolId = "pool1",
            ResourceAffinitySelectors = [new() { Group = "rg1", Priority = 1 }],
        }),
        ["faas draft"] = Draft(new FunctionRequest { Name = "0@svc@fn", Runtime = "python3.9", Kind = "faas", Cpu = 600, Memory = 512 }),
        ["every member set"] = Draft(new FunctionRequest { Name = "0-svc-all", Runtime = "java8", Cpu = 600, Memory = 512 }) with
        {
            ProductId = "p1",
            Description = "d",
            VersionDesc = "v",
            MinInstance = 1,
            MaxInstance = 2,
            ConcurrentNum = 3,
            Tags = new() { ["t"] = "1" },
            CustomResources = new() { ["npu"] = 1.5 },
            ExtendedTimeout = new() { ["initializer"] = 5 },
            CodeUploadType = "s3",
            S3CodePath = new() { BucketId = "b", ObjectId = "o", BucketUrl = "u", Token = "t", Sha512 = "s" },
            PoolLabel = "l",
            PoolType = "x",
            EnableAgentSession = true,
            EnableSessionCtx = true,
            EnableMetrics = true,
            IsFuncPublic = true,
            CacheInstance = 4,
            IdleTime = 5,
            Warmup = "w",
            PriorityAz = "az",
            SchedulePolicy = "sp",
            ScalePolicy = "sc",
            SandboxType = "docker",
            Layers = ["l1"],
            Device = new() { ["gpu"] = JsonDocument.Parse("{\"n\":1}").RootElement },
            AutoScaleConfig = new() { SlaQuota = 1, ScaleDownTime = 2, BurstScaleNum = 3 },
            Rootfs = new() { Runtime = "r", Ports = JsonDocument.Parse("[80]").RootElement, ReadOnly = true, StorageInfo = new() { Bucket = "b" }, Mounts = [new() { Source = "s" }] },
            CustomContainerConfig = new() { Image = "i", Command = ["c"], Uid = 1 },
            CustomHealthCheck = new() { PeriodSeconds = 3 },
            FuncName = "f",
            Service = "s",
            UpdateTime = "u",
            LastPublishedVersion = "v1",
            LastPublishedRevisionId = "r1",
            Status = "ready",
            InstanceNum = 2,
        },
        ["values that look like defaults of other members"] = Draft(new FunctionRequest { Name = "0-svc-odd", Runtime = "python3.9", Cpu = 600, Memory = 512 }) with
        {
            // Each differs from what a reader assumes when the member is missing, and must be stored.
            Status = "",
            AutoScaleConfig = new() { SlaQuota = 0, ScaleDownTime = -1, BurstScaleNum = -1 },
            S3CodePath = new() { BucketId = "", Sha512 = "" },
            CustomResources = [],
            Tags = [],
            Layers = [],
            ResourceAffinitySelectors = [],
            Device = [],
            Rootfs = new() { Mounts = [] },
            CustomContainerConfig = new(),
            CustomHealthCheck = new(),
        },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void Encode_ThenDecode_GivesEveryMemberBack(string name)
    {
        var record = Cases[name];

        var decoded = FunctionEntry.Decode("k", FunctionEntry.Encode(record));

        Assert.Equal(Whole(record), Whole(decoded));
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void RecordsStoredWhole_ReadTheSame(string name)
    {
        var record = Cases[name];

        Assert.Equal(Whole(record), Whole(FunctionEntry.Decode("k", Encoding.UTF8.GetBytes(Whole(record)))));
    }

    [Fact]
    public void Encode_LeavesOutWhatAReaderAssumes()
    {
        var record = Cases["yrlib draft"];

        var stored = FunctionEntry.Encode(record);

        using var json = JsonDocument.Parse(stored);
        var members = json.RootElement.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetRawText());
        Assert.DoesNotContain(members, m => m.Value is "\"\"" or "0" or "false" or "null" or "[]");
        Assert.DoesNotContain("rootfs", members.Keys);
        Assert.DoesNotContain("autoScaleConfig", members.Keys);
        Assert.DoesNotContain("status", members.Keys);
        Assert.Equal("{}", members["customResources"]);
        Assert.Equal("\"default\"", members["tenantId"]);
        Assert.True(stored.Length * 10 < Whole(record).Length * 6, $"{stored.Length} B stored of {Whole(record).Length} B whole");
    }

    private static FunctionRecord Draft(FunctionRequest request) =>
        FunctionRules.BuildDraft(request, Tenant.Default, Options, TimeProvider.System).Value ?? throw new InvalidOperationException($"{request.Name} is not a valid draft");

    /// <summary>Every member, as the whole JSON has it.</summary>
    private static string Whole(FunctionRecord record) => JsonSerializer.Serialize(record, MetaJson.Default.FunctionRecord);
}