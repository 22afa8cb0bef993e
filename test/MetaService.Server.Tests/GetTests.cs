using System.Net;

namespace MetaService.Server.Tests;

public sealed class GetTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Get_FaasDraftWithVersionNumberLatest_ReturnsFunctionEnvelope()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await api.GetAsync(name, "latest");

        var body = await Wire.OkAsync(response);
        Assert.Equal(0, (int)body["code"]!);
        Assert.Equal("SUCCESS", (string?)body["message"]);
        var fn = body["function"]!;
        Assert.Equal(Formats.DraftUrn(name), (string?)fn["id"]);
        Assert.Equal((string?)created["revisionId"], (string?)fn["revisionId"]);
        Assert.Equal("unavailable", (string?)fn["status"]);
        Assert.Equal("local", (string?)fn["storageType"]);
        Assert.Equal("/code", (string?)fn["codePath"]);
        Assert.Matches(Formats.Timestamp(), (string?)fn["created"]);
        Assert.Matches(Formats.Timestamp(), (string?)fn["lastModified"]);
        Formats.AssertNumber(1, fn["maxInstance"]);
    }

    [Fact]
    public async Task Get_YrlibDraftWithoutVersion_ReturnsTheDraft()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        await api.CreateOkAsync(Bodies.Yrlib(name));

        var fn = await api.GetOkAsync(name);

        Assert.Equal(Formats.DraftUrn(name, "$latest"), (string?)fn["id"]);
    }

    [Fact]
    public async Task Get_UnderAdminRoot_ReturnsFunction()
    {
        using var api = factory.CreateApi(root: Api.AdminRoot);
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        var fn = await api.GetOkAsync(name, "latest");

        Assert.Equal(name, (string?)fn["name"]);
    }

    [Fact]
    public async Task Get_ByVersionUrnInPath_ReturnsFunction()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await api.SendAsync(HttpMethod.Get, $"/serverless/v1/functions/sn:cn:yrk:default:function:{name}:latest", null);

        var fn = (await Wire.OkAsync(response))["function"]!;
        Assert.Equal(Formats.DraftUrn(name), (string?)fn["id"]);
    }

    [Fact]
    public async Task Get_ByPublishedVersionUrnInPath_ReturnsThatVersion()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));
        await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "yrlib");

        using var response = await api.SendAsync(HttpMethod.Get, $"/serverless/v1/functions/sn:cn:yrk:default:function:{name}:v1", null);

        var fn = (await Wire.OkAsync(response))["function"]!;
        Assert.Equal("v1", (string?)fn["versionNumber"]);
    }

    [Fact]
    public async Task Get_ByUrnOfAnotherTenant_Returns400And121046()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await api.SendAsync(HttpMethod.Get, $"/serverless/v1/functions/sn:cn:yrk:other:function:{name}:latest", null);

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 121046);
        Assert.StartsWith("invalid URN", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_NameColonVersion_Returns400And4104()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await api.SendAsync(HttpMethod.Get, $"/serverless/v1/functions/{name}:latest", null);

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }

    [Fact]
    public async Task Get_WithInvalidQualifier_Returns400And121047()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await api.SendAsync(HttpMethod.Get, $"/serverless/v1/functions/{name}?qualifier=bad!q", null);

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 121047);
        Assert.StartsWith("invalid qualifier", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownFunction_Returns404And4115()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();

        using var response = await api.GetAsync(name, "latest");

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.NotFound, 4115);
        Assert.Equal($"function [{name}] is not found. check input parameters", message);
    }

    [Fact]
    public async Task Get_UnknownVersionOfExistingFunction_Returns404And4115()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await api.GetAsync(name, "v9");

        await Wire.AssertErrorAsync(response, HttpStatusCode.NotFound, 4115);
    }

    [Fact]
    public async Task Get_PublishedVersion_ReturnsTheSnapshot()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));
        await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "faas", "first");

        var fn = await api.GetOkAsync(name, "v1");

        Assert.Equal(Formats.DraftUrn(name, "v1"), (string?)fn["id"]);
        Assert.Equal("v1", (string?)fn["versionNumber"]);
        Assert.Equal("first", (string?)fn["versionDesc"]);
    }

    [Fact]
    public async Task Healthz_Returns200WithStatusOk()
    {
        using var api = factory.CreateApi();

        using var response = await api.SendAsync(HttpMethod.Get, "/healthz", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Root_PointsToTheApiDescriptionAndTheReadme()
    {
        using var api = factory.CreateApi();

        using var response = await api.SendAsync(HttpMethod.Get, "/", null);

        var body = await Wire.JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (int)body["code"]!);
        Assert.Contains("/scalar", (string)body["message"]!, StringComparison.Ordinal);
        Assert.Contains("README", (string)body["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Returns404WithCodeAndMessage()
    {
        using var api = factory.CreateApi();

        using var response = await api.SendAsync(HttpMethod.Get, "/serverless/v1/nothing", null);

        await Wire.AssertErrorAsync(response, HttpStatusCode.NotFound, 404);
    }

    [Fact]
    public async Task UnsupportedMethod_Returns405WithCodeAndMessage()
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(new HttpMethod("MERGE"), "/serverless/v1/functions/fn", "{}"));

        await Wire.AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, 405);
    }
}