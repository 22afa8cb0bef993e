using System.Text;
using System.Text.Json;

using MetaService.Core.Records;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Records;

/// <summary>Records with members missing or null: a record of the original without members reads as the one Go writes
/// with their zero values, a null text as empty text, and a record of an earlier MetaService without its optional
/// members as one with their defaults.</summary>
public sealed class MissingMembersTests
{
    private const string Key = "/repo/FunctionVersion/yrk/123456//0-test-hello/v1/";

    [Fact]
    public void AnOriginalRecordWithoutMembers_ReadsAsTheOneWithGosZeroValues()
    {
        var (key, value) = OriginalRecords.Load(OriginalRecords.GoTestSparse);
        Assert.Equal(Key, key);

        var sparse = RecordFormat.Decode(key, value);
        var bare = RecordFormat.Decode(key, """{"Function":{},"FunctionVersion":{"Package":{},"CustomContainerConfig":{"uid":1}}}"""u8.ToArray());

        Assert.Equal(Whole(sparse with { CustomContainerConfig = bare.CustomContainerConfig }), Whole(bare));
        Assert.Equal(("", "", "", 1L), (bare.CustomContainerConfig!.ControlPath, bare.CustomContainerConfig.Image, bare.CustomContainerConfig.WorkingDir, bare.CustomContainerConfig.Uid));
    }

    [Fact]
    public void NullTexts_ReadAsEmptyText()
    {
        var value = """
            {"Function":{"Name":null,"Version":null,"Description":null,"CreateTime":null,"UpdateTime":null},
             "FunctionVersion":{"Package":{"StorageType":null,"CodeUploadType":null,"Signature":null,"BucketID":null,"ObjectID":null,"BucketUrl":null,"Token":null,"CodePath":null},
              "RevisionID":null,"Handler":null,"Runtime":null,"Version":null,"Description":null,"PublishTime":null,"Status":null,"Kind":null,
              "FunctionType":null,"FuncName":null,"Service":null,"PoolLabel":null,"PoolID":null,"ScalePolicy":null,"SchedulePolicy":null,
              "PriorityAZ":null,"WarmupType":null,"SandboxType":null},
             "FunctionLayer":[{"Name":null,"Version":1,"Order":0}]}
            """u8.ToArray();

        var record = RecordFormat.Decode(Key, value);

        var stored = Encoding.UTF8.GetString(RecordFormat.Encode(record));
        Assert.Empty(OriginalRecordShape.Problems(stored, OriginalRecordShape.Record));
        Assert.Equal(("", "", "", "", ""), (record.Description, record.VersionDesc, record.CreateTime, record.UpdateTime, record.PublishTime));
        Assert.Equal(("", "", "", "", ""), (record.LastPublishedVersion, record.Status, record.FunctionType, record.FuncName, record.Service));
        Assert.Equal(("", "", "", ""), (record.StorageType, record.CodeUploadType, record.CodePath, record.Warmup));
        Assert.Equal(("", "", "", "", ""), (record.S3CodePath.BucketId, record.S3CodePath.ObjectId, record.S3CodePath.BucketUrl, record.S3CodePath.Token, record.S3CodePath.Sha512));
        Assert.Equal(("", "", "", ""), (record.ScalePolicy, record.SchedulePolicy, record.PriorityAz, record.SandboxType));
        Assert.Equal(new LayerRef("", 1, 0), Assert.Single(record.Layers!));
    }

    [Fact]
    public void ALayerWithoutItsName_HasAnEmptyOne()
    {
        var record = RecordFormat.Decode(Key, """{"FunctionLayer":[{"Version":2}]}"""u8.ToArray());

        Assert.Equal(new LayerRef("", 2, 0), Assert.Single(record.Layers!));
    }

    [Fact]
    public void AnEnvironmentStoredAsNullText_IsEmpty()
    {
        var record = RecordFormat.Decode(Key, """{"FunctionVersion":{"Environment":"null"}}"""u8.ToArray());

        Assert.NotNull(record.Environment);
        Assert.Empty(record.Environment);
    }

    [Fact]
    public void ANullValue_IsUnreadable_SayingSo()
    {
        var error = Assert.Throws<UnreadableRecordException>(() => RecordFormat.Decode(Key, "null"u8.ToArray()));

        Assert.Equal("the value is null", error.Reason);
    }

    [Fact]
    public void ARecordOfAnEarlierMetaService_WithoutItsOptionalMembers_HasTheirDefaults()
    {
        var value = """{"tenantId":"t","name":"n","version":"v1","runtime":"r","revisionId":"1","createTime":"c","publishTime":"p","rootfs":{"mounts":[{}]}}"""u8.ToArray();

        var record = RecordFormat.Decode("/repo/FunctionVersion/yrk/t//n/v1/", value);

        var expected = new FunctionRecord { TenantId = "t", Name = "n", Version = "v1", Runtime = "r", RevisionId = "1", CreateTime = "c", PublishTime = "p", Rootfs = new Rootfs { Mounts = [new RootfsMount()] } };
        Assert.Equal(Whole(expected), Whole(record));
        Assert.Equal(("", ""), (record.Rootfs.Mounts![0].Source, record.Rootfs.Mounts[0].Target));
        Assert.Equal(("", "", "", "", ""), (record.ProductId, record.Kind, record.Handler, record.Description, record.PoolLabel));
        Assert.Equal(("", "", "", "", ""), (record.VersionDesc, record.StorageType, record.CodePath, record.CodeUploadType, record.PoolId));
        Assert.Equal(("", "", "", "", ""), (record.Warmup, record.PriorityAz, record.SchedulePolicy, record.ScalePolicy, record.SandboxType));
        Assert.Equal(("", "", "", "", ""), (record.FuncName, record.Service, record.UpdateTime, record.LastPublishedVersion, record.Status));
        Assert.Equal("", record.FunctionType);
    }

    [Theory]
    [InlineData("2025-03-18T06:43:54.041Z", "20250318064354041")]
    [InlineData("2025-03-18T06:43:54.004Z", "20250318064354004")]
    public void ARevisionId_KeepsTheLeadingZerosOfItsMilliseconds(string time, string expected)
    {
        var formatted = Timestamps.FormatRevisionId(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, formatted);
        Assert.True(Timestamps.TryParseRevisionId(formatted, out var parsed));
        Assert.Equal(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), parsed);
    }

    [Theory]
    [InlineData("20250318064354x")]
    [InlineData("2025031806435441x")]
    public void ARevisionIdWithANonDigitAfterItsSeconds_IsNotOne(string revisionId)
    {
        Assert.False(Timestamps.TryParseRevisionId(revisionId, out _));
    }

    private static string Whole(FunctionRecord record) => JsonSerializer.Serialize(record, MetaJson.Default.FunctionRecord);
}