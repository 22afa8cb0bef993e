using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests;

public sealed class RecordFormatTests
{
    private static readonly MetaOptions Options = new();

    public static TheoryData<string> Records => [.. Cases.Keys];

    public static TheoryData<string> Fixtures => [.. OriginalRecords.Names];

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
            Environment = new() { ["A"] = "1", ["B"] = "<&>\u00e9" },
            CustomResources = [],
            StorageType = "local",
            CodePath = "/home/sn/function-packages",
            ExtendedHandler = new() { ["initializer"] = "handler.init" },
            PoolId = "pool1",
            ResourceAffinitySelectors = [new() { Group = "rg1", Priority = 1 }],
        }),
        ["faas draft"] = Draft(new FunctionRequest { Name = "0@svc@fn", Runtime = "python3.9", Kind = "faas", Cpu = 600, Memory = 512 }),
        ["every member set"] = Draft(new FunctionRequest { Name = "0-svc-all", Runtime = "java8", Cpu = 600, Memory = 512 }, new Tenant("t1", "p1")) with
        {
            Description = "d",
            VersionDesc = "v",
            MinInstance = 1,
            MaxInstance = 2,
            ConcurrentNum = 3,
            Tags = new() { ["t"] = "1" },
            CustomResources = new() { ["npu"] = 1.5 },
            ExtendedTimeout = new() { ["initializer"] = 5 },
            CodeUploadType = "s3",
            CodeSize = 7,
            S3CodePath = new() { BucketId = "b", ObjectId = "o", BucketUrl = "u", Token = "t", Sha512 = "s" },
            PoolLabel = "l",
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
            Layers = [new LayerRef("l1", 2, 0)],
            Device = new() { Model = "m", Hbm = 16, Count = 1 },
            AutoScaleConfig = new() { SlaQuota = 1, ScaleDownTime = 2, BurstScaleNum = 3 },
            Rootfs = new() { Runtime = "r", Ports = ["80"], ReadOnly = true, StorageInfo = new() { Bucket = "b" }, Mounts = [new() { Source = "s" }] },
            CustomContainerConfig = new() { Image = "i", Command = ["c"], Uid = 1 },
            CustomHealthCheck = new() { PeriodSeconds = 3 },
            FuncName = "f",
            Service = "s",
            UpdateTime = "u",
            LastPublishedVersion = "v1",
            Status = "ready",
            InstanceNum = 2,
            ReversedConcurrency = 3,
            StatefulFlag = 1,
            FunctionType = "ft",
            IsBridgeFunction = true,
            EnableAuthInHeader = true,
        },
        ["values that look like defaults of other members"] = Draft(new FunctionRequest { Name = "0-svc-odd", Runtime = "python3.9", Cpu = 600, Memory = 512 }) with
        {
            AutoScaleConfig = new() { SlaQuota = 0, ScaleDownTime = -1, BurstScaleNum = -1 },
            CustomResources = [],
            Tags = [],
            Layers = null,
            Rootfs = new() { Mounts = [], Ports = [] },
        },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void Encode_ThenDecode_GivesEveryMemberBack(string name)
    {
        var record = Cases[name];

        var decoded = RecordFormat.Decode(KeyOf(record), RecordFormat.Encode(record));

        Assert.Equal(Whole(record), Whole(decoded));
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void Encode_WritesExactlyTheOriginalsMembersAndTypes(string name)
    {
        var stored = Encoding.UTF8.GetString(RecordFormat.Encode(Cases[name]));

        Assert.Empty(OriginalRecordShape.Problems(stored, OriginalRecordShape.Record));
    }

    [Fact]
    public void Encode_KeepsTextMembersAsGoDoes()
    {
        var record = Cases["yrlib draft"];

        using var stored = JsonDocument.Parse(RecordFormat.Encode(record));

        var version = stored.RootElement.GetProperty("FunctionVersion");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"A":"1","B":"<&>é"}"""), JsonNode.Parse(version.GetProperty("Environment").GetString()!)));
        Assert.Equal("{}", version.GetProperty("CustomResources").GetString());
        Assert.Equal("rg1", version.GetProperty("PoolLabel").GetString());
        Assert.Equal("$latest", version.GetProperty("Version").GetString());
        Assert.Equal("$latest", version.GetProperty("Description").GetString());
        Assert.Equal(JsonValueKind.Array, stored.RootElement.GetProperty("FunctionLayer").ValueKind);
        Assert.Equal("{}", version.GetProperty("Device").GetRawText());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void OriginalRecords_AreTheFormatTheStrictReaderTakes(string fixture)
    {
        var (_, value) = OriginalRecords.Load(fixture);

        Assert.Empty(OriginalRecordShape.Problems(Encoding.UTF8.GetString(value), OriginalRecordShape.Record));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void OriginalRecords_ReadThenWritten_AreTheSameValue(string fixture)
    {
        var (key, value) = OriginalRecords.Load(fixture);

        var written = RecordFormat.Encode(RecordFormat.Decode(key, value));

        Assert.True(JsonNode.DeepEquals(Canonical(value), Canonical(written)), $"{Encoding.UTF8.GetString(value)}\n!=\n{Encoding.UTF8.GetString(written)}");
    }

    [Fact]
    public void OriginalRecord_ReadsAsTheOriginalMeantIt()
    {
        var (key, value) = OriginalRecords.Load(OriginalRecords.YrlibDraftUpdated);

        var record = RecordFormat.Decode(key, value);

        Assert.Equal(("default", "", "0-svc-hello", "$latest", "yrlib"), (record.TenantId, record.ProductId, record.Name, record.Version, record.Kind));
        Assert.Equal("2026112109300025", record.RevisionId);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "x<y&z" }, record.Environment);
        Assert.Equal(1.5, record.CustomResources!["npu"]);
        Assert.Equal((600L, 512L, 900L, 1, 100, 100), (record.Cpu, record.Memory, record.Timeout, record.MinInstance, record.MaxInstance, record.ConcurrentNum));
        Assert.Equal(("local", "/opt/code/hello", "rg1,rg2", "pool1"), (record.StorageType, record.CodePath, record.PoolLabel, record.PoolId));
        Assert.Equal(new FunctionDevice { Model = "ascend", Count = 1 }, record.Device);
        Assert.Equal(("says hello", "$latest", "2026-11-21 09:30:00.250 UTC"), (record.Description, record.VersionDesc, record.UpdateTime));
        Assert.Equal(["8080"], record.Rootfs.Ports!);
        Assert.Equal(30, record.AutoScaleConfig.ScaleDownTime);
        Assert.Equal(1000, record.CustomContainerConfig!.Uid);
    }

    [Fact]
    public void GoTestRecord_WithOnlyZeroValues_Reads()
    {
        var (key, value) = OriginalRecords.Load(OriginalRecords.GoTestSparse);

        var record = RecordFormat.Decode(key, value);

        Assert.Equal(("123456", "0-test-hello", "v1", "", ""), (record.TenantId, record.Name, record.Version, record.Kind, record.Runtime));
        Assert.Empty(record.Environment);
        Assert.Null(record.HookHandler);
        Assert.Null(record.Layers);
    }

    [Fact]
    public void MemberNames_AreReadCaseInsensitively_AsGoDoes()
    {
        var value = """{"function":{"name":"x","createtime":"c"},"functionversion":{"revisionid":"1","cpu":300,"package":{"codepath":"/p"}}}"""u8.ToArray();

        var record = RecordFormat.Decode("/repo/FunctionVersion/yrk/default//x/$latest/", value);

        Assert.Equal(("1", 300L, "/p", "c"), (record.RevisionId, record.Cpu, record.CodePath, record.CreateTime));
    }

    [Fact]
    public void RecordOfAnEarlierMetaService_StillReads()
    {
        var record = Cases["every member set"];
        var earlier = JsonSerializer.SerializeToUtf8Bytes(record, MetaJson.Default.FunctionRecord);

        var decoded = RecordFormat.Decode(KeyOf(record), earlier);

        Assert.Equal(Whole(record), Whole(decoded));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"FunctionVersion":{"CPU":"three hundred"}}""")]
    [InlineData("""{"FunctionVersion":{"Environment":"{not an object"}}""")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    public void UnreadableRecord_IsAnErrorThatNamesItsKey(string value)
    {
        const string Key = "/repo/FunctionVersion/yrk/default//broken/$latest/";

        var error = Assert.Throws<UnreadableRecordException>(() => RecordFormat.Decode(Key, Encoding.UTF8.GetBytes(value)));

        Assert.Equal(Key, error.Key);
        Assert.Contains(Key, error.Message, StringComparison.Ordinal);
    }

    private static string KeyOf(FunctionRecord record) => MetaService.Core.Storage.PlatformKeys.Record(new Tenant(record.TenantId, record.ProductId), record.Name, record.Version);

    /// <summary>The record's JSON with its text members parsed, so that escaping choices do not count.</summary>
    private static JsonNode Canonical(byte[] value)
    {
        var node = JsonNode.Parse(value)!;
        var version = node["FunctionVersion"]!.AsObject();
        foreach (var text in new[] { "Environment", "CustomResources" })
        {
            var raw = version[text]!.GetValue<string>();
            version[text] = raw.Length == 0 ? "" : JsonNode.Parse(raw);
        }

        return node;
    }

    private static FunctionRecord Draft(FunctionRequest request, Tenant? tenant = null) =>
        FunctionRules.BuildDraft(request, tenant ?? Tenant.Default, Options, TimeProvider.System).Value ?? throw new InvalidOperationException($"{request.Name} is not a valid draft");

    /// <summary>Every member, as the whole JSON has it.</summary>
    private static string Whole(FunctionRecord record) => JsonSerializer.Serialize(record, MetaJson.Default.FunctionRecord);
}