using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

public sealed class PublishTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private static JsonObject PublishBody(string revisionId, string? versionNumber, string kind) =>
        new() { ["revisionId"] = revisionId, ["versionNumber"] = versionNumber, ["versionDesc"] = "desc", ["kind"] = kind };

    [Fact]
    public async Task Publish_DocReleaseFunctionExample_ReturnsTheVersion()
    {
        await using var own = new MetaServiceFactory();
        using var api = own.CreateApi();
        var created = await api.CreateOkAsync(Bodies.Yrlib("0-f-a"));
        var body = Bodies.Parse($$"""{"revisionId":"{{created["revisionId"]}}","versionDesc":"try-mod-version2","versionNumber":"B.2233","kind":"yrlib"}""");

        using var response = await api.PublishAsync("0-f-a", body);

        var envelope = await Wire.OkAsync(response);
        Assert.Equal(0, (int)envelope["code"]!);
        Assert.Equal("SUCCESS", (string?)envelope["message"]);
        var fn = envelope["function"]!;
        Assert.Equal("sn:cn:yrk:default:function:0-f-a:B.2233", (string?)fn["id"]);
        Assert.Equal("sn:cn:yrk:default:function:0-f-a:B.2233", (string?)fn["functionVersionUrn"]);
        Assert.Equal("B.2233", (string?)fn["versionNumber"]);
        Assert.Equal("try-mod-version2", (string?)fn["versionDesc"]);
        Assert.Matches(Formats.Timestamp(), (string?)fn["Published"]);
    }

    [Fact]
    public async Task Publish_KeepsTheDraftRevisionId_AndCopiesItToTheVersion()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var published = await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "faas");

        var draft = await api.GetOkAsync(name, "latest");
        Assert.Equal((string?)created["revisionId"], (string?)draft["revisionId"]);
        Assert.Equal((string?)created["revisionId"], (string?)published["revisionId"]);
        Assert.Equal(Formats.DraftUrn(name, "v1"), (string?)published["id"]);
    }

    [Fact]
    public async Task Publish_WithStaleRevisionId_Returns412And4134()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));
        await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!, "faas"));

        using var response = await factory.Store.NothingWrittenAsync(() => api.PublishAsync(name, PublishBody((string)created["revisionId"]!, "v1", "faas")));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.PreconditionFailed, 4134);
        Assert.Equal("revisionId is non latest version", message);
    }

    [Fact]
    public async Task Publish_DuplicateVersionNumber_Returns409And4114()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));
        await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "faas");

        using var response = await factory.Store.NothingWrittenAsync(() => api.PublishAsync(name, PublishBody((string)created["revisionId"]!, "v1", "faas")));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.Conflict, 4114);
        Assert.Equal("duplicate version number", message);
    }

    [Fact]
    public async Task Publish_OfVersionNumberLatest_ForAYrlibFunction_Returns400And4104()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.PublishAsync(name, PublishBody((string)created["revisionId"]!, "latest", "yrlib")));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }

    [Fact]
    public async Task Publish_NinthVersion_Returns409And4110()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var revision = (string)(await api.CreateOkAsync(Bodies.Yrlib(name)))["revisionId"]!;
        for (var i = 1; i <= 8; i++)
        {
            await api.PublishOkAsync(name, revision, "v" + i.ToString(CultureInfo.InvariantCulture), "yrlib");
            revision = await api.TouchAsync(name, revision);
        }

        using var response = await factory.Store.NothingWrittenAsync(() => api.PublishAsync(name, PublishBody(revision, "v9", "yrlib")));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.Conflict, 4110);
        Assert.StartsWith("the number of existing function versions is greater than the set value", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-v1")]
    [InlineData("v1-")]
    [InlineData("v 1")]
    [InlineData("v1!")]
    [InlineData("$latest")]
    [InlineData("v123456789012345678901234567890123456789012")]
    public async Task Publish_WithInvalidVersionNumber_Returns400And4104(string versionNumber)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.PublishAsync(name, PublishBody((string)created["revisionId"]!, versionNumber, "faas")));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        Assert.StartsWith("versionNumber can only contain", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("A_b.c-D")]
    [InlineData("v12345678901234567890123456789012345678901")]
    public async Task Publish_WithValidVersionNumber_Succeeds(string versionNumber)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var fn = await api.PublishOkAsync(name, (string)created["revisionId"]!, versionNumber, "faas");

        Assert.Equal(versionNumber, (string?)fn["versionNumber"]);
    }

    [Fact]
    public async Task Publish_WithoutVersionNumber_UsesTheDefaultTimestampVersion()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await api.PublishAsync(name, PublishBody((string)created["revisionId"]!, null, "faas"));

        var fn = (await Wire.OkAsync(response))["function"]!;
        Assert.Matches(Formats.DefaultVersionNumber(), (string?)fn["versionNumber"]);
    }

    [Fact]
    public async Task Publish_FaasWithoutKind_Succeeds()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var fn = await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1");

        Assert.Equal(Formats.DraftUrn(name, "v1"), (string?)fn["id"]);
    }

    [Fact]
    public async Task Publish_UnknownFunction_Returns404And4115()
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.PublishAsync(Names.Faas(), PublishBody("20250318064354416", "v1", "faas")));

        await Wire.AssertErrorAsync(response, HttpStatusCode.NotFound, 4115);
    }

    [Fact]
    public async Task Publish_S3FunctionWithoutBucketInfo_Returns400And4104()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name).With("storageType", "\"s3\""));

        using var response = await factory.Store.NothingWrittenAsync(() => api.PublishAsync(name, PublishBody((string)created["revisionId"]!, "v1", "faas")));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        Assert.Equal("empty function version's bucket info. check input parameters", message);
    }

    [Fact]
    public async Task Publish_ThenUpdatingTheDraft_LeavesThePublishedVersionUnchanged()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));
        var published = await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "faas");

        await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!, "faas").With("handler", "\"handler.changed\"").With("cpu", "900"));

        var version = await api.GetOkAsync(name, "v1");
        Assert.Equal("handler.handler", (string?)version["handler"]);
        Formats.AssertNumber(300, version["cpu"]);
        Assert.Equal((string?)published["revisionId"], (string?)version["revisionId"]);
        Assert.Equal("handler.changed", (string?)(await api.GetOkAsync(name, "latest"))["handler"]);
    }

    [Fact]
    public async Task Publish_UnderAdminRoot_Succeeds()
    {
        using var api = factory.CreateApi(root: Api.AdminRoot);
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var fn = await api.PublishOkAsync(name, (string)created["revisionId"]!, "v1", "faas", "first");

        Assert.Equal("first", (string?)fn["versionDesc"]);
    }
}