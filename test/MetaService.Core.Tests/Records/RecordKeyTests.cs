using System.Text;

using MetaService.Core.Records;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Records;

/// <summary>Record keys: tenant, product, name and version read from <c>/repo/FunctionVersion/yrk/…/</c>, and every other
/// key refused, so that a record is never read under the wrong name; the status record written beside a version.</summary>
public sealed class RecordKeyTests
{
    [Fact]
    public void ARecordKey_GivesItsTenantProductNameAndVersion()
    {
        Assert.True(RecordFormat.TryParseKey(PlatformKeys.Record(new Tenant("t1", "p1"), "0-svc-fn", "v2"), out var parts));

        Assert.Equal(new RecordKey("t1", "p1", "0-svc-fn", "v2"), parts);
    }

    [Fact]
    public void ARecordKeyWithoutProduct_HasAnEmptyOne()
    {
        Assert.True(RecordFormat.TryParseKey("/repo/FunctionVersion/yrk/t1//fn/$latest/", out var parts));

        Assert.Equal(new RecordKey("t1", "", "fn", "$latest"), parts);
    }

    [Theory]
    [InlineData("/repo/FunctionVersion/yrk/t1/p1/fn/v2")]
    [InlineData("/repo/FunctionVersion/yrk/t1/p1/fn/")]
    [InlineData("/repo/FunctionVersion/yrk/t1/p1/fn/v2/x/")]
    [InlineData("/repo/FunctionVersion/yrk//p1/fn/v2/")]
    [InlineData("/repo/FunctionVersion/yrk/t1/p1//v2/")]
    [InlineData("/repo/FunctionVersion/yrk/t1/p1/fn//")]
    [InlineData("/repo/FunctionVersion/other/t1/p1/fn/v2/")]
    [InlineData("/repo/FunctionStatus/yrk/t1/p1/fn/v2/")]
    [InlineData("x/repo/FunctionVersion/yrk/t1/p1/fn/v2/")]
    public void AnyOtherKey_IsNotARecordKey(string key)
    {
        Assert.False(RecordFormat.TryParseKey(key, out var parts));
        Assert.Equal(default, parts);
    }

    [Fact]
    public void ARecordAtAKeyThatIsNotARecordKey_IsUnreadable()
    {
        const string Key = "/repo/FunctionVersion/yrk/t1/p1/fn/v2";

        var error = Assert.Throws<UnreadableRecordException>(() => RecordFormat.Decode(Key, "{}"u8.ToArray()));

        Assert.Equal((Key, "the key is not a function version key"), (error.Key, error.Reason));
        Assert.Equal($"the stored record at {Key} cannot be read (the key is not a function version key); fix or delete that key", error.Message);
    }

    [Fact]
    public void TheNameTenantAndVersion_AreTheKeys_NotTheValues()
    {
        var value = """{"Function":{"Name":"other"},"FunctionVersion":{"Version":"v9","RevisionID":"1"}}"""u8.ToArray();

        var record = RecordFormat.Decode("/repo/FunctionVersion/yrk/t1/p1/fn/v2/", value);

        Assert.Equal(("t1", "p1", "fn", "v2"), (record.TenantId, record.ProductId, record.Name, record.Version));
    }

    [Fact]
    public void TheStatusRecord_IsTheOriginalsUnavailableWithNoInstances()
    {
        var status = RecordFormat.EncodeStatus();

        Assert.Equal("""{"Status":"unavailable","InstanceNum":0}""", Encoding.UTF8.GetString(status));
    }

    [Theory]
    [InlineData("""{"Function":{}}""", false)]
    [InlineData("""{"function":{}}""", false)]
    [InlineData("""{"FunctionVersion":{}}""", false)]
    [InlineData("""{"FUNCTIONVERSION":{}}""", false)]
    [InlineData("""{"FunctionLayer":null}""", false)]
    [InlineData("""{"functionlayer":null}""", false)]
    [InlineData("""{"tenantId":"t"}""", true)]
    [InlineData("""{"Functions":{}}""", true)]
    [InlineData("{}", false)]
    [InlineData("[]", false)]
    [InlineData("\"x\"", false)]
    [InlineData("", false)]
    [InlineData("{not json", false)]
    public void OwnFormat_IsARecordThatStartsWithNoneOfTheOriginalsMembers(string value, bool own)
    {
        Assert.Equal(own, RecordFormat.IsOwnFormat(Encoding.UTF8.GetBytes(value)));
    }

    [Fact]
    public void AnEmptyObject_ReadsAsTheOriginalsZeroRecord()
    {
        var record = RecordFormat.Decode("/repo/FunctionVersion/yrk/t1//fn/v1/", "{}"u8.ToArray());

        Assert.Equal(("fn", "", "", 0L), (record.Name, record.RevisionId, record.Runtime, record.Cpu));
        Assert.Empty(record.Environment);
        Assert.Null(record.CustomResources);
        Assert.Null(record.Device);
        Assert.Null(record.CustomContainerConfig);
        Assert.Null(record.CustomHealthCheck);
        Assert.Null(record.Layers);
    }

    [Fact]
    public void NullMembers_ReadAsTheirZeroValues()
    {
        var value = """
            {"Function":null,"FunctionVersion":{"Package":null,"RootfsSpecMeta":null,"AutoScaleConfig":null,"Device":null,
             "CustomContainerConfig":null,"CustomHealthCheck":null,"RevisionID":null,"Handler":null,"Runtime":null,"Kind":null,
             "Environment":null,"CustomResources":null,"PoolID":null,"PoolLabel":null,"Status":null},"FunctionLayer":null}
            """u8.ToArray();

        var record = RecordFormat.Decode("/repo/FunctionVersion/yrk/t1//fn/v1/", value);

        Assert.Equal(("", "", "", "", ""), (record.RevisionId, record.Handler, record.Runtime, record.Kind, record.Status));
        Assert.Equal(("", "", "", ""), (record.StorageType, record.CodePath, record.PoolId, record.PoolLabel));
        Assert.Equal(new AutoScaleConfig(), record.AutoScaleConfig);
        Assert.True(record.Rootfs.IsEmpty);
        Assert.Empty(record.Environment);
        Assert.Null(record.CustomResources);
        Assert.Equal(("", ""), (record.CreateTime, record.Description));
        Assert.Equal("", record.S3CodePath.Token);
    }

    [Fact]
    public void NullTextsInsideTheRootfs_ReadAsEmpty()
    {
        var value = """{"FunctionVersion":{"RootfsSpecMeta":{"runtime":null,"type":null,"imageurl":null,"user":null,"path":null,"storageInfo":null,"mountpoint":null}}}"""u8.ToArray();

        var rootfs = RecordFormat.Decode("/repo/FunctionVersion/yrk/t1//fn/v1/", value).Rootfs;

        Assert.Equal(("", "", "", "", "", ""), (rootfs.Runtime, rootfs.Type, rootfs.ImageUrl, rootfs.User, rootfs.Path, rootfs.MountPoint));
        Assert.True(rootfs.StorageInfo.IsEmpty);
        Assert.True(rootfs.IsEmpty);
    }

    [Theory]
    [InlineData("""{"FunctionVersion":{"MinInstance":3000000000}}""")]
    [InlineData("""{"FunctionVersion":{"MaxInstance":-3000000000}}""")]
    [InlineData("""{"FunctionVersion":{"CustomResources":"{\"npu\":\"x\"}"}}""")]
    [InlineData("""{"FunctionVersion":{"Environment":"[1]"}}""")]
    [InlineData("""{"tenantId":"t","name":"n","version":"v","runtime":"r","revisionId":"1","createTime":"c","publishTime":"p","cpu":"x"}""")]
    [InlineData("""{"tenantId":"t"}""")]
    public void AValueOutOfItsTypesRange_IsUnreadable(string value)
    {
        const string Key = "/repo/FunctionVersion/yrk/t1//fn/v1/";

        var error = Assert.Throws<UnreadableRecordException>(() => RecordFormat.Decode(Key, Encoding.UTF8.GetBytes(value)));

        Assert.Equal(Key, error.Key);
        Assert.NotEmpty(error.Reason);
    }
}