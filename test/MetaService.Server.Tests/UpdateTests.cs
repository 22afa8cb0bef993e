using System.Net;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

public sealed class UpdateTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Update_WithCurrentRevisionId_Returns200WithFunctionAndResult()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await api.UpdateAsync(name, Bodies.Update((string)created["revisionId"]!, "faas").With("handler", "\"handler.v2\""));

        var body = await Wire.OkAsync(response);
        Assert.Equal(0, (int)body["code"]!);
        Assert.Equal("SUCCESS", (string?)body["message"]);
        Assert.Equal(Formats.Text(body["function"]), Formats.Text(body["result"]));
        var fn = body["function"]!;
        Assert.Equal(Formats.DraftUrn(name), (string?)fn["id"]);
        Assert.Equal(Formats.DraftUrn(name), (string?)fn["functionVersionUrn"]);
        Assert.Equal("handler.v2", (string?)fn["handler"]);
        Assert.NotEqual((string?)created["revisionId"], (string?)fn["revisionId"]);
    }

    [Fact]
    public async Task Update_WithStaleRevisionId_Returns412And4134()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));
        await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!, "faas"));

        using var response = await factory.Store.NothingWrittenAsync(() => api.UpdateAsync(name, Bodies.Update((string)created["revisionId"]!, "faas")));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.PreconditionFailed, 4134);
        Assert.Equal("revisionID is not the same", message);
    }

    [Fact]
    public async Task Update_WithoutRevisionId_Returns412And4134()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.UpdateAsync(name, new JsonObject { ["kind"] = "faas" }));

        await Wire.AssertErrorAsync(response, HttpStatusCode.PreconditionFailed, 4134);
    }

    [Fact]
    public async Task Update_Repeatedly_GivesStrictlyIncreasingRevisionIds()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        var revisions = new List<string> { revision };

        for (var i = 0; i < 10; i++)
        {
            revision = (string)(await api.UpdateOkAsync(name, Bodies.Update(revision, "faas")))["revisionId"]!;
            revisions.Add(revision);
        }

        for (var i = 1; i < revisions.Count; i++)
        {
            Assert.True(Formats.RevisionTime(revisions[i]) > Formats.RevisionTime(revisions[i - 1]), $"{revisions[i]} is not after {revisions[i - 1]}");
        }
    }

    [Fact]
    public async Task Update_SetsUpdateTime_AndKeepsCreateTime()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var updated = await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!, "faas"));

        Assert.Matches(Formats.Timestamp(), (string?)updated["updateTime"]);
        Assert.Equal((string?)created["createTime"], (string?)updated["createTime"]);
        var fetched = await api.GetOkAsync(name, "latest");
        Assert.Equal((string?)updated["updateTime"], (string?)fetched["updateTime"]);
        Assert.Equal((string?)updated["revisionId"], (string?)fetched["revisionId"]);
    }

    [Fact]
    public async Task Update_WithAnotherKind_Returns400And4104()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.UpdateAsync(name, Bodies.Update((string)created["revisionId"]!, "yrlib")));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        var fetched = await api.GetOkAsync(name, "latest");
        Assert.Equal("faas", (string?)fetched["kind"]);
        Assert.Equal((string?)created["revisionId"], (string?)fetched["revisionId"]);
    }

    [Fact]
    public async Task Update_FaasWithoutKind_Succeeds()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var updated = await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!));

        Assert.Equal("faas", (string?)updated["kind"]);
        Assert.Equal(Formats.DraftUrn(name), (string?)updated["functionVersionUrn"]);
    }

    [Fact]
    public async Task Update_YrlibWithoutKind_Succeeds()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));

        var updated = await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!));

        Assert.Equal("yrlib", (string?)updated["kind"]);
        Assert.Equal(Formats.DraftUrn(name, "$latest"), (string?)updated["functionVersionUrn"]);
    }

    [Fact]
    public async Task Update_UnknownFunction_Returns404And4115()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();

        using var response = await factory.Store.NothingWrittenAsync(() => api.UpdateAsync(name, Bodies.Update("20250318064354416", "faas")));

        await Wire.AssertErrorAsync(response, HttpStatusCode.NotFound, 4115);
    }

    [Fact]
    public async Task Update_DocUpdateFunctionExample_StoresEveryField()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var fn = await api.UpdateOkAsync(name, Bodies.DocUpdateExample((string)created["revisionId"]!));

        Assert.Equal("this is a function", (string?)fn["description"]);
        Assert.Equal("handler.my_handler", (string?)fn["handler"]);
        Formats.AssertNumber(600, fn["cpu"]);
        Formats.AssertNumber(512, fn["memory"]);
        Formats.AssertNumber(600, fn["timeout"]);
        Formats.AssertNumber(0, fn["minInstance"]);
        Formats.AssertNumber(10, fn["maxInstance"]);
        Formats.AssertNumber(2, fn["concurrentNum"]);
        Assert.Equal("{}", Formats.Text(fn["environment"]));
        Assert.Equal("""{"initializer":"handler.init","pre_stop":"test.prestop"}""", Formats.Text(fn["extendedHandler"]));
        Assert.Equal("""{"initializer":600,"pre_stop":10}""", Formats.Text(fn["extendedTimeout"]));
        Assert.Equal("local", (string?)fn["storageType"]);
        Assert.Equal("/home/sn/function-packages", (string?)fn["codePath"]);
        Assert.Equal(["rg1", "rg2"], fn["resourceAffinitySelectors"]!.AsArray().Select(s => (string)s!["group"]!));
    }

    [Fact]
    public async Task Update_WithTimeoutAboveMaximum_CapsTo8640000()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var fn = await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!, "faas").With("timeout", "999999999"));

        Formats.AssertNumber(8_640_000, fn["timeout"]);
    }

    [Theory]
    [InlineData("cpu", "16001")]
    [InlineData("memory", "100")]
    [InlineData("maxInstance", "\"1001\"")]
    [InlineData("concurrentNum", "\"0\"")]
    [InlineData("handler", "\"hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh\"")]
    public async Task Update_BreakingARule_Returns400And4104AndKeepsTheDraft(string member, string json)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.UpdateAsync(name, Bodies.Update((string)created["revisionId"]!, "faas").With(member, json)));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        var fetched = await api.GetOkAsync(name, "latest");
        Assert.Equal((string?)created["revisionId"], (string?)fetched["revisionId"]);
    }

    [Fact]
    public async Task Update_FaasWithPreStopTimeoutAbove180_Returns400And4104()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));
        var body = Bodies.Update((string)created["revisionId"]!, "faas")
            .With("extendedHandler", """{"pre_stop":"handler.stop"}""")
            .With("extendedTimeout", """{"pre_stop":181}""");

        using var response = await factory.Store.NothingWrittenAsync(() => api.UpdateAsync(name, body));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }

    [Fact]
    public async Task Update_ByVersionUrnInPath_Succeeds()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await api.SendAsync(
            HttpMethod.Put,
            $"/serverless/v1/functions/{Formats.DraftUrn(name)}",
            Bodies.Update((string)created["revisionId"]!, "faas").ToJsonString());

        await Wire.OkAsync(response);
    }

    [Fact]
    public async Task Update_UnderAdminRoot_AnswersResult()
    {
        using var api = factory.CreateApi(root: Api.AdminRoot);
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var result = await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!, "faas"));

        Assert.Matches(Formats.RevisionId(), (string?)result["revisionId"]);
    }

    [Fact]
    public async Task Update_WithStorageTypeHeader_IsAccepted()
    {
        using var api = factory.CreateApi();
        api.Client.DefaultRequestHeaders.Add("x-storage-type", "local");
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name));

        var result = await api.UpdateOkAsync(name, Bodies.Update((string)created["revisionId"]!, "faas"));

        Assert.Equal(name, (string?)result["name"]);
    }
}