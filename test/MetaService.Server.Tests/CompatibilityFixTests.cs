using System.Net;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

/// <summary>Answers openYuanrong's clients, Go tests and documented examples expect, found by replaying them.</summary>
public sealed class CompatibilityFixTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Publish_OfARevisionIdPublishedAlready_UnderAnotherNumber_Succeeds()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, revision, "v1", "faas");

        var again = await api.PublishOkAsync(name, revision, "v2", "faas");

        Assert.Equal("v2", (string?)again["versionNumber"]);
        Assert.Equal(revision, (string?)again["revisionId"]);
        using var versions = await api.ListVersionsAsync(name);
        Assert.Equal(3, (int)(await Wire.OkAsync(versions))["pageInfo"]!["total"]!);
    }

    [Fact]
    public async Task Publish_WithIfChanged_OfAnUnchangedDraft_AnswersThePublishedVersion_AndWritesNothing()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        var v1 = await api.PublishOkAsync(name, revision, "v1", "faas");
        var body = new JsonObject { ["revisionId"] = revision, ["versionNumber"] = "v2", ["kind"] = "faas" }.ToJsonString();

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, $"{Api.ServerlessRoot}/{Uri.EscapeDataString(name)}/versions?ifChanged=true", body));

        var answered = (await Wire.OkAsync(response))["function"]!;
        Assert.Equal("v1", (string?)answered["versionNumber"]);
        Assert.Equal((string?)v1["publishTime"], (string?)answered["publishTime"]);
    }

    [Fact]
    public async Task Publish_WithIfChanged_OfAChangedDraft_Publishes()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, revision, "v1", "faas");
        var updated = (string)(await api.UpdateOkAsync(name, Bodies.Update(revision, "faas").With("description", "\"two\"")))["revisionId"]!;
        var body = new JsonObject { ["revisionId"] = updated, ["versionNumber"] = "v2", ["kind"] = "faas" }.ToJsonString();

        using var response = await api.SendAsync(HttpMethod.Post, $"{Api.ServerlessRoot}/{Uri.EscapeDataString(name)}/versions?ifChanged=true", body);

        Assert.Equal("v2", (string?)(await Wire.OkAsync(response))["function"]!["versionNumber"]);
    }

    [Fact]
    public async Task Publish_WithIfChangedNotABoolean_Is400_AndWritesNothing()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        var body = new JsonObject { ["revisionId"] = revision, ["versionNumber"] = "v1" }.ToJsonString();

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, $"{Api.ServerlessRoot}/{Uri.EscapeDataString(name)}/versions?ifChanged=yes", body));

        Assert.Contains("ifChanged", await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_OfVersionNumberLatest_ForAFaasFunction_Is4114DuplicateVersionNumber()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;

        using var response = await factory.Store.NothingWrittenAsync(() => api.PublishAsync(name, new JsonObject { ["revisionId"] = revision, ["versionNumber"] = "latest", ["kind"] = "faas" }));

        Assert.Equal("duplicate version number", await Wire.AssertErrorAsync(response, HttpStatusCode.Conflict, 4114));
    }

    [Fact]
    public async Task Get_OfAnAbsentServiceFunctionVersion_NamesTheBareNameIn4115()
    {
        using var api = factory.CreateApi();
        var bare = "a" + Names.Hex();

        using var absent = await api.GetAsync($"0-f-{bare}", "v1");

        Assert.Equal($"function [{bare}] is not found. check input parameters", await Wire.AssertErrorAsync(absent, HttpStatusCode.NotFound, 4115));
    }

    [Fact]
    public async Task Get_OfAnAbsentVersionOfAServiceFunction_NamesTheBareNameIn4115()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        await api.CreateOkAsync(Bodies.Yrlib(name));

        using var absent = await api.GetAsync(name, "v9");

        Assert.Equal($"function [{name["0-svc-".Length..]}] is not found. check input parameters", await Wire.AssertErrorAsync(absent, HttpStatusCode.NotFound, 4115));
    }

    [Theory]
    [InlineData("""{"mounts":[{"source":"/data","target":"/mnt/data"}]}""", "runsc")]
    [InlineData("""{"mountpoint":"/mnt"}""", "runsc")]
    [InlineData("""{"runtime":"runc","mounts":[{"source":"/data","target":"/mnt/data"}]}""", "runc")]
    [InlineData("""{"runtime":"runsc"}""", "runsc")]
    public async Task Create_WithARootfsWithoutType_IsAccepted_AndRunsUnderRunsc(string rootfs, string runtime)
    {
        using var api = factory.CreateApi();

        var fn = await api.CreateOkAsync(Bodies.Faas(Names.Faas()).With("rootfs", rootfs));

        Assert.Equal(runtime, (string?)fn["rootfs"]!["runtime"]);
        Assert.Equal("", (string?)fn["rootfs"]!["type"]);
    }

    [Fact]
    public async Task ReserveInstanceCreate_WithAnEmptyLabel_SaysInstanceLabelCannotBeEmpty()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Post, Api.ServerlessRoot + "/reserve-instance",
            $$"""{"funcName":"{{name}}","version":"latest","instanceLabel":"","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":2,"minInstance":1}]}"""));

        Assert.Equal("instanceLabel cannot be empty. check input parameters", await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104));
    }

    [Fact]
    public async Task AnAliasShapedQualifier_NamingNoAlias_Is404_ForGetAndDelete_AndDeletesNothing()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));
        var path = $"{Api.ServerlessRoot}/{Uri.EscapeDataString(name)}?qualifier=prod";

        using var get = await api.SendAsync(HttpMethod.Get, path, null);
        using var delete = await factory.Store.NothingWrittenAsync(() => api.SendAsync(HttpMethod.Delete, path, null));

        await Wire.AssertErrorAsync(get, HttpStatusCode.NotFound, 4115);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        await api.GetOkAsync(name);
    }
}