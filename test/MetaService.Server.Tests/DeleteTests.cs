using System.Net;

namespace MetaService.Server.Tests;

public sealed class DeleteTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Delete_WithoutVersion_DeletesEveryVersion()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));
        await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "faas");

        using var response = await api.DeleteAsync(name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var draft = await api.GetAsync(name, "latest");
        await Wire.AssertErrorAsync(draft, HttpStatusCode.NotFound, 4115);
        using var version = await api.GetAsync(name, "v1");
        await Wire.AssertErrorAsync(version, HttpStatusCode.NotFound, 4115);
        using var versions = await api.ListVersionsAsync(name);
        Assert.Null((await Wire.OkAsync(versions))["functions"]);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("$latest")]
    public async Task Delete_WithDraftVersionNumber_DeletesEveryVersion(string draft)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));
        await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "faas");

        using var response = await api.DeleteAsync(name, draft);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var version = await api.GetAsync(name, "v1");
        await Wire.AssertErrorAsync(version, HttpStatusCode.NotFound, 4115);
    }

    [Theory]
    [InlineData("versionNumber")]
    [InlineData("qualifier")]
    public async Task Delete_WithAPublishedVersion_AsVersionNumberOrQualifier_DeletesOnlyThatVersion(string parameter)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));
        await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "faas");
        await api.PublishOkAsync(name, await api.TouchAsync(name, (string)created["revisionId"]!), "v2", "faas");

        using var response = await api.SendAsync(HttpMethod.Delete, $"/serverless/v1/functions/{name}?{parameter}=v1", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var deleted = await api.GetAsync(name, "v1");
        await Wire.AssertErrorAsync(deleted, HttpStatusCode.NotFound, 4115);
        Assert.Equal("v2", (string?)(await api.GetOkAsync(name, "v2"))["versionNumber"]);
        Assert.Equal("latest", (string?)(await api.GetOkAsync(name, "latest"))["versionNumber"]);
    }

    [Fact]
    public async Task Delete_UnknownFunction_Returns404And4115()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();

        using var response = await factory.Store.NothingWrittenAsync(() => api.DeleteAsync(name));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.NotFound, 4115);
        Assert.Equal($"function [{name}] is not found. check input parameters", message);
    }

    [Fact]
    public async Task Delete_UnknownVersionOfExistingFunction_Returns404And4116()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.DeleteAsync(name, "v7"));

        await Wire.AssertErrorAsync(response, HttpStatusCode.NotFound, 4116);
        await api.GetOkAsync(name, "latest");
    }

    [Fact]
    public async Task Delete_ThenCreateTheSameName_Succeeds()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));
        using var deleted = await api.DeleteAsync(name);

        var fn = await api.CreateOkAsync(Bodies.Yrlib(name));

        Assert.Equal("$latest", (string?)fn["versionNumber"]);
    }

    [Fact]
    public async Task Delete_SmokeScriptSequence_UnderAdminRootWithTenant0()
    {
        using var api = factory.CreateApi(tenant: "0", root: Api.AdminRoot);
        var name = Names.Faas();
        using var created = await api.CreateAsync(Bodies.Faas(name));
        Assert.Contains("\"function\"", await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var response = await api.DeleteAsync(name, "latest");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var gone = await api.GetAsync(name, "latest");
        await Wire.AssertErrorAsync(gone, HttpStatusCode.NotFound, 4115);
    }

    [Fact]
    public async Task Delete_ByFunctionUrnInPath_DeletesTheFunction()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await api.SendAsync(HttpMethod.Delete, $"/serverless/v1/functions/{Formats.FunctionUrn(name)}", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var gone = await api.GetAsync(name, "latest");
        await Wire.AssertErrorAsync(gone, HttpStatusCode.NotFound, 4115);
    }
}