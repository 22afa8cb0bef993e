using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

/// <summary>How an update merges into the stored draft (§3.2), field by field: kept when omitted (or empty),
/// replaced when present, reset to the defaults, or cleared.</summary>
public sealed class MergeRuleTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private static JsonObject RichBody(string name) => Bodies.Parse($$"""
        {"name":"{{name}}","runtime":"python3.9","handler":"handler.rich","kind":"faas","description":"rich function",
         "cpu":700,"memory":256,"timeout":120,"environment":{"A":"1"},"customResources":{"nvidia.com/gpu":1},
         "extendedHandler":{"initializer":"handler.init","pre_stop":"handler.stop"},
         "extendedTimeout":{"initializer":30,"pre_stop":10},
         "minInstance":"1","maxInstance":"5","concurrentNum":"3",
         "storageType":"s3","codePath":"/code",
         "s3CodePath":{"bucketId":"bucket","objectId":"object.zip","bucketUrl":"http://s3","sha512":"abc"},
         "poolId":"pool-a","resourceAffinitySelectors":[{"group":"rg1","priority":1}],"enableAgentSession":true}
        """);

    private async Task<(JsonNode Before, JsonNode After)> UpdateRichAsync(Func<string, JsonObject> body)
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var before = await api.CreateOkAsync(RichBody(name));
        await api.UpdateOkAsync(name, body((string)before["revisionId"]!));
        var after = await api.GetOkAsync(name, "latest");
        return (before, after);
    }

    [Theory]
    [InlineData("handler")]
    [InlineData("cpu")]
    [InlineData("memory")]
    [InlineData("timeout")]
    [InlineData("description")]
    [InlineData("environment")]
    [InlineData("customResources")]
    [InlineData("extendedHandler")]
    [InlineData("extendedTimeout")]
    public async Task Update_OmittingAField_KeepsTheStoredValue(string member)
    {
        var (before, after) = await UpdateRichAsync(revision => Bodies.Update(revision, "faas"));

        Assert.Equal(Formats.Text(before[member]), Formats.Text(after[member]));
        Assert.NotEqual("null", Formats.Text(after[member]));
    }

    [Theory]
    [InlineData("handler")]
    [InlineData("description")]
    public async Task Update_WithAnEmptyString_KeepsTheStoredValue(string member)
    {
        var (before, after) = await UpdateRichAsync(revision => Bodies.Update(revision, "faas").With(member, "\"\""));

        Assert.Equal(Formats.Text(before[member]), Formats.Text(after[member]));
    }

    [Theory]
    [InlineData("environment", """{"B":"2"}""")]
    [InlineData("environment", "{}")]
    [InlineData("customResources", """{"cpu.x":2.5}""")]
    [InlineData("customResources", "{}")]
    [InlineData("extendedHandler", """{"initializer":"handler.init2"}""")]
    [InlineData("extendedTimeout", """{"initializer":45}""")]
    [InlineData("handler", "\"handler.new\"")]
    [InlineData("description", "\"new description\"")]
    [InlineData("cpu", "900")]
    [InlineData("memory", "512")]
    [InlineData("timeout", "30")]
    [InlineData("storageType", "\"copy\"")]
    [InlineData("codePath", "\"/new\"")]
    [InlineData("poolId", "\"pool-b\"")]
    [InlineData("enableAgentSession", "true")]
    public async Task Update_WithAFieldPresent_ReplacesTheStoredValue(string member, string json)
    {
        var (_, after) = await UpdateRichAsync(revision => Bodies.Update(revision, "faas").With(member, json));

        Assert.Equal(json, Formats.Text(after[member]));
    }

    [Theory]
    [InlineData("minInstance", 0)]
    [InlineData("maxInstance", 100)]
    [InlineData("concurrentNum", 100)]
    public async Task Update_OmittingAnInstanceCount_ResetsItToTheDefault(string member, long expected)
    {
        var (before, after) = await UpdateRichAsync(revision => Bodies.Update(revision, "faas"));

        Assert.NotEqual(expected, (long)before[member]!);
        Formats.AssertNumber(expected, after[member]);
    }

    [Fact]
    public async Task Update_WithInstanceCounts_ReplacesThem()
    {
        var (_, after) = await UpdateRichAsync(revision =>
            Bodies.Update(revision, "faas").With("minInstance", "\"2\"").With("maxInstance", "\"9\"").With("concurrentNum", "\"4\""));

        Formats.AssertNumber(2, after["minInstance"]);
        Formats.AssertNumber(9, after["maxInstance"]);
        Formats.AssertNumber(4, after["concurrentNum"]);
    }

    [Theory]
    [InlineData("storageType", "\"\"")]
    [InlineData("codePath", "\"\"")]
    [InlineData("poolId", "\"\"")]
    [InlineData("resourceAffinitySelectors", "null")]
    [InlineData("enableAgentSession", "false")]
    [InlineData("bucketId", "\"\"")]
    [InlineData("objectId", "\"\"")]
    [InlineData("codeSha256", "\"\"")]
    public async Task Update_OmittingAnOverwrittenField_ClearsIt(string member, string expected)
    {
        var (before, after) = await UpdateRichAsync(revision => Bodies.Update(revision, "faas"));

        Assert.NotEqual(expected, Formats.Text(before[member]));
        Assert.Equal(expected, Formats.Text(after[member]));
    }

    [Fact]
    public async Task Update_OmittingS3CodePath_ClearsEveryMember()
    {
        var (before, after) = await UpdateRichAsync(revision => Bodies.Update(revision, "faas"));

        Assert.Equal("bucket", (string?)before["s3CodePath"]!["bucketId"]);
        Assert.Equal("""{"bucketId":"","objectId":"","bucketUrl":"","sha512":""}""", Formats.Text(after["s3CodePath"]));
    }

    [Fact]
    public async Task Update_WithS3CodePath_ReplacesIt()
    {
        var (_, after) = await UpdateRichAsync(revision =>
            Bodies.Update(revision, "faas").With("s3CodePath", """{"bucketId":"b2","objectId":"o2","bucketUrl":"u2","sha512":"s2"}"""));

        Assert.Equal("""{"bucketId":"b2","objectId":"o2","bucketUrl":"u2","sha512":"s2"}""", Formats.Text(after["s3CodePath"]));
        Assert.Equal("s2", (string?)after["codeSha256"]);
    }

    [Fact]
    public async Task Update_NeverChangesNameRuntimeOrKind()
    {
        var (before, after) = await UpdateRichAsync(revision =>
            Bodies.Update(revision).With("name", "\"0@svc@other\"").With("runtime", "\"java8\""));

        Assert.Equal((string?)before["name"], (string?)after["name"]);
        Assert.Equal("python3.9", (string?)after["runtime"]);
        Assert.Equal("faas", (string?)after["kind"]);
    }
}