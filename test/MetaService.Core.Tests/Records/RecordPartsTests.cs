using MetaService.Core.Records;

using Xunit;

namespace MetaService.Core.Tests.Records;

/// <summary>The parts of a record that decide behaviour: whether a device is set (it lifts the cpu and memory checks),
/// whether a rootfs and its storage are empty, which versions are drafts, a record's defaults, the URNs the platform
/// reads and the default version number.</summary>
public sealed class RecordPartsTests
{
    private static readonly FunctionDevice[] SetDevices =
    [
        new() { Model = "m" }, new() { Type = "t" }, new() { Hbm = 1 }, new() { Count = 1 }, new() { Latency = 1 }, new() { Stream = 1 },
    ];

    private static readonly Rootfs[] NonEmptyRootfs =
    [
        new() { Runtime = "r" }, new() { Type = "t" }, new() { ImageUrl = "i" }, new() { User = "u" }, new() { Path = "p" }, new() { ReadOnly = true },
        new() { StorageInfo = new() { Bucket = "b" } }, new() { MountPoint = "m" }, new() { Mounts = [new()] }, new() { Ports = ["80"] },
    ];

    private static readonly RootfsStorage[] NonEmptyStorage =
    [
        new() { Endpoint = "e" }, new() { Bucket = "b" }, new() { ObjectName = "o" }, new() { AccessKey = "a" }, new() { SecretKey = "s" },
    ];

    [Fact]
    public void ADeviceWithAnyMember_IsSet()
    {
        Assert.All(SetDevices, device => Assert.True(device.IsSet));
    }

    [Fact]
    public void ADeviceWithOnlyEmptyOrZeroMembers_IsNotSet()
    {
        Assert.False(FunctionDevice.None.IsSet);
        Assert.False(new FunctionDevice { Model = "", Type = "" }.IsSet);
    }

    [Fact]
    public void ANormalisedDevice_HasNoEmptyTexts_AndKeepsTheRest()
    {
        var device = new FunctionDevice { Model = "", Type = "", Hbm = 16, Count = 2, Latency = 3, Stream = 4 }.Normalised();

        Assert.Equal((null, null, 16L, 2L, 3L, 4L), (device.Model, device.Type, device.Hbm, device.Count, device.Latency, device.Stream));
        Assert.Equal(("m", "t"), (new FunctionDevice { Model = "m", Type = "t" }.Normalised().Model, new FunctionDevice { Model = "m", Type = "t" }.Normalised().Type));
    }

    [Fact]
    public void ARootfsWithAnyMember_IsNotEmpty()
    {
        Assert.All(NonEmptyRootfs, rootfs => Assert.False(rootfs.IsEmpty));
    }

    [Fact]
    public void ARootfsWithNothingOrEmptyLists_IsEmpty()
    {
        Assert.True(Rootfs.Empty.IsEmpty);
        Assert.True(new Rootfs { Mounts = [], Ports = [] }.IsEmpty);
    }

    [Fact]
    public void StorageWithAnyMember_IsNotEmpty()
    {
        Assert.All(NonEmptyStorage, storage => Assert.False(storage.IsEmpty));
        Assert.All(NonEmptyStorage, storage => Assert.False(new Rootfs { StorageInfo = storage }.IsEmpty));
    }

    [Theory]
    [InlineData("latest", true)]
    [InlineData("$latest", true)]
    [InlineData("v1", false)]
    [InlineData("Latest", false)]
    public void OnlyTheDraftVersions_AreDrafts(string version, bool draft)
    {
        var record = new FunctionRecord { TenantId = "t", Name = "n", Version = version, Runtime = "r", RevisionId = "1", CreateTime = "", PublishTime = "" };

        Assert.Equal(draft, record.IsDraft);
    }

    [Fact]
    public void ANewRecord_ScalesWithTheOriginalsUnsetValues_AndHasAnEmptyHookHandler()
    {
        var record = new FunctionRecord { TenantId = "t", Name = "n", Version = "v1", Runtime = "r", RevisionId = "1", CreateTime = "", PublishTime = "" };

        Assert.Equal(new AutoScaleConfig { SlaQuota = -1, ScaleDownTime = -1, BurstScaleNum = -1 }, record.AutoScaleConfig);
        Assert.Empty(record.HookHandler!);
        Assert.Empty(record.Environment);
        Assert.Same(Rootfs.Empty, record.Rootfs);
    }

    [Fact]
    public void Urns_NameTheFunctionVersionAndLayer_AsThePlatformReadsThem()
    {
        var options = new MetaOptions { UrnPrefix = "sn", UrnZone = "cn" };
        var tenant = new Tenant("t1", "p1");

        Assert.Equal("sn:cn:yrk:t1@p1:function:fn", Urns.Function(options, tenant, "fn"));
        Assert.Equal("sn:cn:yrk:t1@p1:function:fn:v2", Urns.Version(options, tenant, "fn", "v2"));
        Assert.Equal("sn:cn:yrk:t1:layer:l1:3", Urns.Layer(options, new Tenant("t1"), new LayerRef("l1", 3, 0)));
    }

    [Fact]
    public void TheDefaultVersionNumber_IsTheServersLocalTime()
    {
        var clock = new ZonedClock(new DateTimeOffset(2026, 5, 9, 22, 5, 9, TimeSpan.Zero), TimeZoneInfo.CreateCustomTimeZone("plus8", TimeSpan.FromHours(8), "plus8", "plus8"));

        Assert.Equal("v20260510-060509", Timestamps.DefaultVersionNumber(clock));
    }

    [Fact]
    public void ANextRevisionId_AfterAnUnreadablePrevious_IsNow()
    {
        var now = new DateTimeOffset(2025, 3, 18, 6, 43, 54, 416, TimeSpan.Zero).AddTicks(5);

        Assert.Equal("20250318064354416", Timestamps.NextRevisionId(now, "not a revision"));
        Assert.Equal("20250318064354416", Timestamps.NextRevisionId(now, "20250318064354415"));
        Assert.Equal("20250318064354417", Timestamps.NextRevisionId(now, "20250318064354416"));
    }

    private sealed class ZonedClock(DateTimeOffset now, TimeZoneInfo zone) : TimeProvider
    {
        public override TimeZoneInfo LocalTimeZone => zone;

        public override DateTimeOffset GetUtcNow() => now;
    }
}