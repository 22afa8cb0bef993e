using System.Text.Json;

using MetaService.Core.Records;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Records;

/// <summary>The original's stored layout, member by member where MetaService's record differs from it: the environment and
/// custom resources as sorted JSON text (empty when none), the code package's members, the device without its empty
/// members, the container and health check written whole and read back as none when empty.</summary>
public sealed class StoredLayoutTests
{
    private const string Key = "/repo/FunctionVersion/yrk/t1//fn/$latest/";

    [Fact]
    public void TheEnvironmentAndCustomResources_AreStoredAsSortedText()
    {
        var record = Record() with
        {
            Environment = new() { ["b"] = "1", ["B"] = "2", ["a"] = "3" },
            CustomResources = new() { ["z"] = 1, ["npu"] = 2.5 },
        };

        var version = Stored(record).GetProperty("FunctionVersion");

        Assert.Equal("""{"B":"2","a":"3","b":"1"}""", version.GetProperty("Environment").GetString());
        Assert.Equal("""{"npu":2.5,"z":1}""", version.GetProperty("CustomResources").GetString());
    }

    [Fact]
    public void NoEnvironment_AndNoCustomResources_AreStoredAsEmptyText_AndReadBackAsNone()
    {
        var record = Record() with { Environment = [], CustomResources = null };

        var stored = RecordFormat.Encode(record);
        var version = JsonDocument.Parse(stored).RootElement.GetProperty("FunctionVersion");
        var decoded = RecordFormat.Decode(Key, stored);

        Assert.Equal("", version.GetProperty("Environment").GetString());
        Assert.Equal("", version.GetProperty("CustomResources").GetString());
        Assert.Empty(decoded.Environment);
        Assert.Null(decoded.CustomResources);
    }

    [Fact]
    public void TheCodePackage_HoldsTheObjectStorageLocationAndDigest()
    {
        var record = Record() with
        {
            StorageType = "s3",
            CodeUploadType = "zip",
            CodeSize = 42,
            CodePath = "/code",
            S3CodePath = new S3CodePath { BucketId = "bk", ObjectId = "obj", BucketUrl = "http://s3", Token = "tk", Sha512 = "digest" },
        };

        var package = Stored(record).GetProperty("FunctionVersion").GetProperty("Package");

        Assert.Equal(
            """{"StorageType":"s3","CodeUploadType":"zip","Signature":"digest","Size":42,"BucketID":"bk","ObjectID":"obj","BucketUrl":"http://s3","Token":"tk","CodePath":"/code"}""",
            package.GetRawText());
    }

    [Fact]
    public void AnUnsetCodeLocation_IsStoredAsEmptyText()
    {
        var package = Stored(Record() with { S3CodePath = new S3CodePath() }).GetProperty("FunctionVersion").GetProperty("Package");

        Assert.Equal(("", "", "", "", ""), (Text(package, "Signature"), Text(package, "BucketID"), Text(package, "ObjectID"), Text(package, "BucketUrl"), Text(package, "Token")));
    }

    [Fact]
    public void TheFunctionsOwnMembers_AreTheFunctions_AndTheVersionsTheVersions()
    {
        var record = Record() with { Description = "the function", VersionDesc = "the version", LastPublishedVersion = "v7", UpdateTime = "u", Tags = new() { ["t"] = "1" } };

        var stored = Stored(record);

        Assert.Equal(
            """{"Name":"fn","ReversedConcurrency":0,"Version":"v7","Description":"the function","Tag":{"t":"1"},"CreateTime":"c","UpdateTime":"u"}""",
            stored.GetProperty("Function").GetRawText());
        Assert.Equal("the version", stored.GetProperty("FunctionVersion").GetProperty("Description").GetString());
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("FunctionLayer").ValueKind);
    }

    [Fact]
    public void ADevice_IsStoredWithoutItsEmptyMembers_AndNoDeviceAsAnEmptyObject()
    {
        var withDevice = Stored(Record() with { Device = new FunctionDevice { Model = "", Type = "npu", Count = 2 } });
        var without = Stored(Record() with { Device = null });

        Assert.Equal("""{"type":"npu","count":2}""", withDevice.GetProperty("FunctionVersion").GetProperty("Device").GetRawText());
        Assert.Equal("{}", without.GetProperty("FunctionVersion").GetProperty("Device").GetRawText());
    }

    [Fact]
    public void AStoredDevice_ReadsBackWithoutEmptyTexts_AndAnEmptyOneAsNone()
    {
        var set = Decode("""{"FunctionVersion":{"Device":{"model":"","type":"npu","hbm":0}}}""");
        var empty = Decode("""{"FunctionVersion":{"Device":{"model":"","type":""}}}""");

        Assert.Equal(new FunctionDevice { Type = "npu" }, set.Device);
        Assert.Null(set.Device!.Model);
        Assert.Null(empty.Device);
    }

    [Fact]
    public void NoContainerAndNoHealthCheck_AreStoredWhole_WithZeroValues()
    {
        var version = Stored(Record() with { CustomContainerConfig = null, CustomHealthCheck = null }).GetProperty("FunctionVersion");

        Assert.Equal("""{"control_path":"","image":"","command":null,"args":null,"working_dir":"","uid":0,"gid":0}""", version.GetProperty("CustomContainerConfig").GetRawText());
        Assert.Equal("""{"timeoutSeconds":0,"periodSeconds":0,"failureThreshold":0}""", version.GetProperty("CustomHealthCheck").GetRawText());
    }

    [Theory]
    [InlineData("""{"control_path":"/c"}""")]
    [InlineData("""{"image":"img"}""")]
    [InlineData("""{"command":[]}""")]
    [InlineData("""{"args":[]}""")]
    [InlineData("""{"working_dir":"/w"}""")]
    [InlineData("""{"uid":1}""")]
    [InlineData("""{"gid":1}""")]
    public void AContainerWithAnyMemberSet_ReadsBack(string container)
    {
        var record = Decode($$$"""{"FunctionVersion":{"CustomContainerConfig":{{{container}}}}}""");

        Assert.NotNull(record.CustomContainerConfig);
        Assert.Equal(Whole(record.CustomContainerConfig), Whole(RecordFormat.Decode(Key, RecordFormat.Encode(record)).CustomContainerConfig));
    }

    [Fact]
    public void AContainerWithNullTexts_ReadsThemAsEmpty()
    {
        var container = Decode("""{"FunctionVersion":{"CustomContainerConfig":{"control_path":null,"image":null,"working_dir":null,"uid":3}}}""").CustomContainerConfig!;

        Assert.Equal(("", "", "", 3L), (container.ControlPath, container.Image, container.WorkingDir, container.Uid));
    }

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(0, 1, 0)]
    [InlineData(0, 0, 1)]
    public void AHealthCheckWithAnyMemberSet_ReadsBack(long timeout, long period, long failures)
    {
        var record = Decode($$"""{"FunctionVersion":{"CustomHealthCheck":{"timeoutSeconds":{{timeout}},"periodSeconds":{{period}},"failureThreshold":{{failures}}""" + "}}}");

        Assert.Equal(new CustomHealthCheck { TimeoutSeconds = timeout, PeriodSeconds = period, FailureThreshold = failures }, record.CustomHealthCheck);
    }

    [Fact]
    public void AnEmptyContainerAndHealthCheck_ReadBackAsNone()
    {
        var record = Decode("""{"FunctionVersion":{"CustomContainerConfig":{"control_path":"","image":"","uid":0},"CustomHealthCheck":{"timeoutSeconds":0}}}""");

        Assert.Null(record.CustomContainerConfig);
        Assert.Null(record.CustomHealthCheck);
    }

    [Fact]
    public void TheStoredScaleConfig_AndTheRootfs_ReadBackMemberForMember()
    {
        var record = Decode("""
            {"FunctionVersion":{"AutoScaleConfig":{"SLAQuota":1,"ScaleDownTime":2,"BurstScaleNum":3},
             "RootfsSpecMeta":{"runtime":"r","type":"t","imageurl":"i","user":"u","path":"p","mountpoint":"m","readonly":true,
             "storageInfo":{"endpoint":"e","bucket":"b","object":"o","accessKey":"ak","secretKey":"sk"}}}}
            """);

        Assert.Equal(new AutoScaleConfig { SlaQuota = 1, ScaleDownTime = 2, BurstScaleNum = 3 }, record.AutoScaleConfig);
        Assert.Equal(("r", "t", "i", "u", "p", "m", true), (record.Rootfs.Runtime, record.Rootfs.Type, record.Rootfs.ImageUrl, record.Rootfs.User, record.Rootfs.Path, record.Rootfs.MountPoint, record.Rootfs.ReadOnly));
        Assert.Equal(new RootfsStorage { Endpoint = "e", Bucket = "b", ObjectName = "o", AccessKey = "ak", SecretKey = "sk" }, record.Rootfs.StorageInfo);
    }

    private static FunctionRecord Record() => new()
    {
        TenantId = "t1",
        Name = "fn",
        Version = FunctionKinds.DraftOther,
        Runtime = "python3.9",
        RevisionId = "1",
        CreateTime = "c",
        PublishTime = "p",
    };

    private static string Whole(CustomContainerConfig? container) => JsonSerializer.Serialize(container, MetaJson.Default.CustomContainerConfig);

    private static string? Text(JsonElement element, string member) => element.GetProperty(member).GetString();

    private static JsonElement Stored(FunctionRecord record) => JsonDocument.Parse(RecordFormat.Encode(record)).RootElement;

    private static FunctionRecord Decode(string value) => RecordFormat.Decode(PlatformKeys.Record(new Tenant("t1"), "fn", "$latest"), System.Text.Encoding.UTF8.GetBytes(value));
}