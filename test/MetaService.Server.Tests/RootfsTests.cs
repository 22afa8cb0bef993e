using System.Net;

namespace MetaService.Server.Tests;

/// <summary>The rootfs rules of §7.6: the type decides which members belong.</summary>
public sealed class RootfsTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Theory]
    [InlineData("""{"type":"local","path":"/rootfs"}""")]
    [InlineData("""{"type":"image","imageurl":"registry/image:1"}""")]
    [InlineData("""{"type":"s3","storageInfo":{"endpoint":"http://s3","bucket":"b","object":"o"}}""")]
    public async Task Create_WithValidRootfs_DefaultsRuntimeToRunsc(string rootfs)
    {
        using var api = factory.CreateApi();

        var fn = await api.CreateOkAsync(Bodies.Faas(Names.Faas()).With("rootfs", rootfs));

        Assert.Equal("runsc", (string?)fn["rootfs"]!["runtime"]);
    }

    [Fact]
    public async Task Create_WithRootfsRuntime_KeepsIt()
    {
        using var api = factory.CreateApi();

        var fn = await api.CreateOkAsync(Bodies.Faas(Names.Faas()).With("rootfs", """{"runtime":"runc","type":"local","path":"/r"}"""));

        Assert.Equal("runc", (string?)fn["rootfs"]!["runtime"]);
        Assert.Equal("/r", (string?)fn["rootfs"]!["path"]);
    }

    [Fact]
    public async Task Create_WithEmptyRootfs_Succeeds()
    {
        using var api = factory.CreateApi();

        var fn = await api.CreateOkAsync(Bodies.Faas(Names.Faas()).With("rootfs", "{}"));

        Assert.Equal("", (string?)fn["rootfs"]!["runtime"]);
        Assert.Equal("", (string?)fn["rootfs"]!["type"]);
    }

    [Theory]
    [InlineData("""{"type":"nfs","path":"/x"}""")]
    [InlineData("""{"type":"local"}""")]
    [InlineData("""{"type":"image","imageurl":"img","path":"/x"}""")]
    [InlineData("""{"type":"local","path":"/x","imageurl":"img"}""")]
    [InlineData("""{"type":"image"}""")]
    [InlineData("""{"type":"s3","storageInfo":{"endpoint":"http://s3","bucket":"b"}}""")]
    [InlineData("""{"type":"local","path":"/x","storageInfo":{"endpoint":"http://s3"}}""")]
    public async Task Create_WithInvalidRootfs_Returns400And4104(string rootfs)
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Faas(Names.Faas()).With("rootfs", rootfs)));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }
}