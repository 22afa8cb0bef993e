using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>Get and find: which version a path, a version number, a qualifier or a URN names, and the refusals of a name
/// or qualifier that is not one and of a version that is not there.</summary>
public sealed class ReadTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Theory]
    [InlineData("0-svc-fn", null, null, "$latest")]
    [InlineData("0-svc-fn", "v1", null, "v1")]
    [InlineData("0-svc-fn", null, "v1", "v1")]
    [InlineData("0-svc-fn", "v2", "v1", "v2")]
    [InlineData("0-svc-fn", "$latest", null, "$latest")]
    [InlineData("0-svc-fn", null, "latest", "$latest")]
    [InlineData("sn:cn:yrk:alice@shop:function:0-svc-fn:v1", null, null, "v1")]
    [InlineData("sn:cn:yrk:alice@shop:function:0-svc-fn:v1", null, "v2", "v2")]
    [InlineData("sn:cn:yrk:alice@shop:function:0-svc-fn", null, null, "$latest")]
    public async Task AGet_AnswersTheVersionItNames(string pathName, string? versionNumber, string? qualifier, string expected)
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());
        await h.PublishAsync("0-svc-fn", "v1");
        await h.PublishAsync("0-svc-fn", "v2");

        var got = await h.Service.GetAsync(Tenant, pathName, versionNumber, qualifier, ServiceHarness.Token);
        var found = await h.Service.FindAsync(Tenant, pathName, versionNumber, qualifier, ServiceHarness.Token);

        Assert.Equal(expected, got.Value!.VersionNumber);
        Assert.Equal(PlatformKeys.Record(Tenant, "0-svc-fn", expected), found.Value!.Key);
    }

    [Fact]
    public async Task AGetOfTheDraft_FindsAFaasDraftToo()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Faas());

        var got = await h.Service.GetAsync(Tenant, "0@svc@fn", null, null, ServiceHarness.Token);

        Assert.Equal("latest", got.Value!.VersionNumber);
    }

    [Fact]
    public async Task AVersionThatIsNotThere_IsRefusedWith4115()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());

        var got = await h.Service.GetAsync(Tenant, "0-svc-fn", "v9", null, ServiceHarness.Token);
        var other = await h.Service.GetAsync(Tenant, "0-svc-other", null, null, ServiceHarness.Token);

        Assert.Equal(MetaError.FunctionNotFound("0-svc-fn"), got.Error);
        Assert.Equal(MetaError.FunctionNotFound("0-svc-other"), other.Error);
    }

    [Fact]
    public async Task AFunctionOfAnotherTenant_IsNotFound()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());

        var got = await h.Service.GetAsync(new Tenant("alice"), "0-svc-fn", null, null, ServiceHarness.Token);

        Assert.Equal(4115, got.Error!.Code);
    }

    [Theory]
    [InlineData("0-svc-fn", "-bad", 121047)]
    [InlineData("bad name", null, 4104)]
    [InlineData("sn:cn:yrk:bob:function:0-svc-fn", null, 121046)]
    public async Task ANameOrQualifierThatIsNotOne_IsRefused(string pathName, string? qualifier, int code)
    {
        await using var h = new ServiceHarness();

        var got = await h.Service.GetAsync(Tenant, pathName, null, qualifier, ServiceHarness.Token);

        Assert.Equal(code, got.Error!.Code);
    }

    [Fact]
    public async Task AnInvalidQualifier_IsNamedInItsMessage()
    {
        await using var h = new ServiceHarness();

        var found = await h.Service.FindAsync(Tenant, "0-svc-fn", null, "a b", ServiceHarness.Token);

        Assert.Equal(MetaError.InvalidQualifier("invalid qualifier: a b"), found.Error);
    }

    [Fact]
    public async Task AView_OfAnEntry_IsItsRecordAtItsRevision()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        var entry = (await h.Service.FindAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token)).Value!;

        var view = await h.Service.ViewAsync(entry, ServiceHarness.Token);
        Assert.Equal(ServiceHarness.Json(created), ServiceHarness.Json(view!.Value.View));
        Assert.Equal((await h.GetAsync(entry.Key))!.ModRevision, view.Value.ModRevision);

    }
}