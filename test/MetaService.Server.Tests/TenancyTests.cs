using System.Net;

namespace MetaService.Server.Tests;

/// <summary>X-Tenant-Id and X-Product-Id scope every read and write.</summary>
public sealed class TenancyTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Function_OfTenantT1_IsInvisibleToT2AndDefault()
    {
        using var t1 = factory.CreateApi(tenant: "t1");
        using var t2 = factory.CreateApi(tenant: "t2");
        using var anonymous = factory.CreateApi();
        var token = Names.Hex();
        var name = $"0@svc@fn-{token}";
        await t1.CreateOkAsync(Bodies.Faas(name));

        foreach (var other in new[] { t2, anonymous })
        {
            using var get = await other.GetAsync(name, "latest");
            await Wire.AssertErrorAsync(get, HttpStatusCode.NotFound, 4115);
            Assert.Empty(await other.ListRowsAsync($"?name={token}"));
            using var versions = await other.ListVersionsAsync(name);
            Assert.Null((await Wire.OkAsync(versions))["functions"]);
        }

        Assert.Single(await t1.ListRowsAsync($"?name={token}"));
    }

    [Fact]
    public async Task Function_OfTenantT1_CannotBeChangedByT2()
    {
        using var t1 = factory.CreateApi(tenant: "t1");
        using var t2 = factory.CreateApi(tenant: "t2");
        var name = Names.Faas();
        var created = await t1.CreateOkAsync(Bodies.Faas(name));
        var revision = (string)created["revisionId"]!;

        using var update = await factory.Store.NothingWrittenAsync(() => t2.UpdateAsync(name, Bodies.Update(revision, "faas").With("handler", "\"handler.t2\"")));
        using var publish = await factory.Store.NothingWrittenAsync(() => t2.PublishAsync(name, Bodies.Parse($$"""{"revisionId":"{{revision}}","versionNumber":"v1","kind":"faas"}""")));
        using var delete = await factory.Store.NothingWrittenAsync(() => t2.DeleteAsync(name));

        await Wire.AssertErrorAsync(update, HttpStatusCode.NotFound, 4115);
        await Wire.AssertErrorAsync(publish, HttpStatusCode.NotFound, 4115);
        await Wire.AssertErrorAsync(delete, HttpStatusCode.NotFound, 4115);
        var after = await t1.GetOkAsync(name, "latest");
        Assert.Equal(revision, (string?)after["revisionId"]);
        Assert.Equal("handler.handler", (string?)after["handler"]);
        using var versions = await t1.ListVersionsAsync(name);
        Assert.Equal(1, (int)(await Wire.OkAsync(versions))["pageInfo"]!["total"]!);
    }

    [Fact]
    public async Task SameName_InTwoTenants_AreIndependentFunctions()
    {
        using var t1 = factory.CreateApi(tenant: "t1");
        using var t2 = factory.CreateApi(tenant: "t2");
        var name = Names.Faas();
        await t1.CreateOkAsync(Bodies.Faas(name));

        var other = await t2.CreateOkAsync(Bodies.Faas(name).With("handler", "\"handler.t2\""));
        using var deleted = await t2.DeleteAsync(name);

        Assert.Equal(Formats.DraftUrn(name, tenant: "t2"), (string?)other["id"]);
        Assert.Equal("t2", (string?)other["tenantId"]);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("handler.handler", (string?)(await t1.GetOkAsync(name, "latest"))["handler"]);
    }

    [Fact]
    public async Task ProductId_IsAppendedToTheUrnTenant()
    {
        using var api = factory.CreateApi(tenant: "t1", product: "p1");
        var name = Names.Faas();

        var fn = await api.CreateOkAsync(Bodies.Faas(name));

        Assert.Equal($"sn:cn:yrk:t1@p1:function:{name}:latest", (string?)fn["id"]);
        Assert.Equal($"sn:cn:yrk:t1@p1:function:{name}", (string?)fn["functionUrn"]);
        Assert.Equal("t1", (string?)fn["tenantId"]);
        Assert.Equal("p1", (string?)fn["productId"]);
    }

    [Fact]
    public async Task ProductId_WithoutATenant_IsTheDefaultTenantsProduct()
    {
        using var api = factory.CreateApi(product: "p2");
        using var plain = factory.CreateApi();
        var name = Names.Faas();

        var fn = await api.CreateOkAsync(Bodies.Faas(name));
        using var unseen = await plain.GetAsync(name);

        Assert.Equal($"sn:cn:yrk:default@p2:function:{name}", (string?)fn["functionUrn"]);
        Assert.Equal(("default", "p2"), ((string?)fn["tenantId"], (string?)fn["productId"]));
        await Wire.AssertErrorAsync(unseen, HttpStatusCode.NotFound, 4115);
    }

    [Fact]
    public async Task Urn_OfTheRequestTenant_ResolvesInPath()
    {
        using var api = factory.CreateApi(tenant: "t1");
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var own = await api.SendAsync(HttpMethod.Get, $"/serverless/v1/functions/{Formats.DraftUrn(name, tenant: "t1")}", null);
        using var foreign = await api.SendAsync(HttpMethod.Get, $"/serverless/v1/functions/{Formats.DraftUrn(name)}", null);

        await Wire.OkAsync(own);
        await Wire.AssertErrorAsync(foreign, HttpStatusCode.BadRequest, 121046);
    }

    [Theory]
    [InlineData("a/b", null)]
    [InlineData("a:b", null)]
    [InlineData("t1", "p/1")]
    public async Task InvalidTenantHeader_Returns400And4104(string tenant, string? product)
    {
        using var api = factory.CreateApi(tenant: tenant, product: product);

        using var create = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Faas(Names.Faas())));
        using var list = await api.ListAsync();

        await Wire.AssertErrorAsync(create, HttpStatusCode.BadRequest, 4104);
        await Wire.AssertErrorAsync(list, HttpStatusCode.BadRequest, 4104);
    }
}