using System.Net;
using System.Text.Json.Nodes;

using static MetaService.Server.Tests.EditRequests;

namespace MetaService.Server.Tests;

/// <summary>PATCH …/functions/{name} with a JSON Merge Patch (RFC 7396).</summary>
public sealed class MergePatchTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    /// <summary>A function with members of every kind set: maps, code fields, affinity, objects.</summary>
    private static async Task<string> CreateRichAsync(Api api)
    {
        var name = Names.Faas();
        var body = Bodies.DocCreateExample(name)
            .With("environment", """{"A":"1","B":"2","C":"3"}""")
            .With("customResources", """{"nvidia.com/gpu":1}""")
            .With("description", "\"rich\"")
            .With("s3CodePath", """{"bucketId":"b","objectId":"o","bucketUrl":"http://s3","sha512":"abc"}""")
            .With("enableMetrics", "true")
            .With("idleTime", "30");
        var revision = (string)(await api.CreateOkAsync(body))["revisionId"]!;
        // An update first, so that updateTime (and lastModified, which follows it) is set before the patch too.
        await api.UpdateOkAsync(name, body.Without("name").With("revisionId", $"\"{revision}\""));
        return name;
    }

    private static readonly string[] WriteTimes = ["revisionId", "updateTime", "lastModified"];

    private static JsonObject Comparable(JsonNode function, params string[] leftOut)
    {
        var copy = function.DeepClone().AsObject();
        foreach (var member in WriteTimes.Concat(leftOut))
        {
            copy.Remove(member);
        }

        return copy;
    }

    [Fact]
    public async Task PatchOfOneEnvironmentVariable_KeepsEveryOtherMemberByteForByte()
    {
        using var api = factory.CreateApi();
        var name = await CreateRichAsync(api);
        var before = await api.GetOkAsync(name);

        using var patched = await api.PatchAsync(name, """{"environment":{"B":"20"}}""");

        var answer = await Wire.OkAsync(patched);
        var after = await api.GetOkAsync(name);
        Assert.Equal("20", (string?)after["environment"]!["B"]);
        Assert.Equal((string?)after["updateTime"], (string?)after["lastModified"]);
        var beforeEnvironment = before["environment"]!.DeepClone().AsObject();
        var afterEnvironment = after["environment"]!.DeepClone().AsObject();
        beforeEnvironment.Remove("B");
        afterEnvironment.Remove("B");
        Assert.Equal(beforeEnvironment.ToJsonString(), afterEnvironment.ToJsonString());
        Assert.Equal(Comparable(before, "environment").ToJsonString(), Comparable(after, "environment").ToJsonString());
        Assert.NotEqual((string?)before["revisionId"], (string?)after["revisionId"]);
        Assert.Equal(after.ToJsonString(), answer["result"]!.ToJsonString());
        Assert.Equal(after.ToJsonString(), answer["function"]!.ToJsonString());
    }

    [Fact]
    public async Task NullRemovesAMapKey_AndResetsAMemberToItsDefault_AndObjectsMerge()
    {
        using var api = factory.CreateApi();
        var name = await CreateRichAsync(api);

        using var patched = await api.PatchAsync(name, """{"environment":{"A":null},"description":null,"maxInstance":null,"customResources":null,"extendedHandler":{"pre_stop":"other.prestop"},"enableMetrics":null}""");

        var after = (await Wire.OkAsync(patched))["result"]!;
        Assert.Equal("""{"B":"2","C":"3"}""", after["environment"]!.ToJsonString());
        Assert.Equal("", (string?)after["description"]);
        Assert.Equal(100, (int)after["maxInstance"]!);
        Assert.True(after["customResources"] is null || after["customResources"]!.AsObject().Count == 0);
        Assert.Equal("handler.init", (string?)after["extendedHandler"]!["initializer"]);
        Assert.Equal("other.prestop", (string?)after["extendedHandler"]!["pre_stop"]);
        Assert.Equal("/home/sn/function-packages", (string?)after["codePath"]);
    }

    [Fact]
    public async Task Patch_OnTheFrontendPath_Applies()
    {
        using var api = factory.CreateApi(root: Api.AdminRoot);
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var patched = await api.PatchAsync(name, """{"timeout":120}""");

        Assert.Equal(120, (int)(await Wire.OkAsync(patched))["result"]!["timeout"]!);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task OtherContentType_Answers415_NothingWritten(string? contentType)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        var answer = await factory.Store.NothingWrittenAsync(() =>
            api.SendAsync(HttpMethod.Patch, $"{api.Root}/{Uri.EscapeDataString(name)}", """{"description":"d"}""", contentType));

        Assert.Contains(MergePatch, await Wire.AssertErrorAsync(answer, HttpStatusCode.UnsupportedMediaType, 415));
    }

    [Theory]
    [InlineData("[]", 130600)]
    [InlineData("\"text\"", 130600)]
    [InlineData("null", 130600)]
    [InlineData("{", 130600)]
    [InlineData("", 130600)]
    [InlineData("""{"environment":{"A":1}}""", 130600)]
    [InlineData("""{"cpu":1}""", 4104)]
    [InlineData("""{"handler":null}""", 4104)]
    [InlineData("""{"kind":"yrlib"}""", 4104)]
    [InlineData("""{"name":"0@svc@other"}""", 4104)]
    public async Task BadPatch_Answers400_NothingWritten(string patch, int code)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        var answer = await factory.Store.NothingWrittenAsync(() => api.PatchAsync(name, patch));

        await Wire.AssertErrorAsync(answer, HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task PatchWithAnOldRevisionId_Answers412_AndOfAMissingFunction404()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.TouchAsync(name, revision);

        var stale = await factory.Store.NothingWrittenAsync(() => api.PatchAsync(name, $$"""{"revisionId":"{{revision}}","description":"d"}"""));
        var missing = await factory.Store.NothingWrittenAsync(() => api.PatchAsync(Names.Faas(), """{"description":"d"}"""));

        await Wire.AssertErrorAsync(stale, HttpStatusCode.PreconditionFailed, 4134);
        await Wire.AssertErrorAsync(missing, HttpStatusCode.NotFound, 4115);
    }
}