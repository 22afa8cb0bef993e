using System.Net;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

/// <summary>The calls yrcli makes through the frontend's /admin/v1/functions, reading what it reads.</summary>
public sealed class YrcliSequenceTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task YrcliSequence_CreateGetUpdatePublishListVersionsDelete_Works()
    {
        using var api = factory.CreateApi(tenant: "yrcli", root: Api.AdminRoot);
        var name = Names.Faas();

        var deployed = await api.CreateOkAsync(Bodies.Faas(name).With("storageType", "\"working_dir\"").With("codePath", "\"pkg-key\""));
        var queried = await api.GetOkAsync(name, "latest");
        var updated = await api.UpdateOkAsync(name, Bodies.Update((string)queried["revisionId"]!, "faas").With("codePath", "\"pkg-key-2\""));
        using var publishResponse = await api.PublishAsync(name, new JsonObject
        {
            ["revisionId"] = (string)updated["revisionId"]!,
            ["kind"] = "faas",
            ["versionNumber"] = "v1",
        });
        var published = (await Wire.OkAsync(publishResponse))["function"]!;
        var listed = await api.ListRowsAsync($"?name={Uri.EscapeDataString(name)}");
        using var versionsResponse = await api.ListVersionsAsync(name);
        var versions = await Wire.OkAsync(versionsResponse);
        using var deleteResponse = await api.DeleteAsync(name);
        using var afterDelete = await api.GetAsync(name, "latest");

        Assert.Equal($"sn:cn:yrk:yrcli:function:{name}:latest", (string?)deployed["functionVersionUrn"]);
        Assert.Equal((string?)deployed["revisionId"], (string?)queried["revisionId"]);
        Assert.Equal("pkg-key-2", (string?)updated["codePath"]);
        Assert.NotEqual((string?)queried["revisionId"], (string?)updated["revisionId"]);
        Assert.Equal("v1", (string?)published["versionNumber"]);
        Assert.Equal((string?)updated["revisionId"], (string?)published["revisionId"]);
        Assert.Equal(2, listed.Count);
        Assert.All(listed, row => Assert.Equal(name, (string?)row["name"]));
        Assert.Equal(2, (int)versions["pageInfo"]!["total"]!);
        Assert.Equal(HttpStatusCode.OK, deleteResponse.StatusCode);
        Assert.Equal("{}", await deleteResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await Wire.AssertErrorAsync(afterDelete, HttpStatusCode.NotFound, 4115);
    }
}