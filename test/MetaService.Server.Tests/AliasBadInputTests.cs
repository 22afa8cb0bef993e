using System.Net;

namespace MetaService.Server.Tests;

/// <summary>Every refused alias write answers a <c>{code, message}</c> 4xx and leaves the store's revision where it was.</summary>
public sealed class AliasBadInputTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private static readonly string Seventeen = "{" + string.Join(",", Enumerable.Range(1, 17).Select(i => $"\"v{i}\":{(i == 1 ? 84 : 1)}")) + "}";

    public static TheoryData<string, int, int> Creates => new()
    {
        { """{"name":"prod","functionVersion":"v1","routingConfig":{"v1":50,"v2":40}}""", 400, 4103 },
        { """{"name":"prod","functionVersion":"v1","routingConfig":{"v1":120,"v2":-20}}""", 400, 4104 },
        { """{"name":"prod","functionVersion":"v1","routingConfig":{"v1":50.5,"v2":49.5}}""", 400, 4104 },
        { """{"name":"prod","functionVersion":"v1","routingConfig":{"v1":50,"v9":50}}""", 404, 4116 },
        { """{"name":"prod","functionVersion":"v9"}""", 404, 4116 },
        { $$"""{"name":"prod","functionVersion":"v1","routingConfig":{{Seventeen}}}""", 400, 4104 },
        { """{"name":"v1","functionVersion":"v1"}""", 400, 4104 },
        { """{"name":"latest","functionVersion":"v1"}""", 400, 4104 },
        { """{"name":"abcdefghijklmnopq","functionVersion":"v1"}""", 400, 4104 },
        { """{"name":"a/b","functionVersion":"v1"}""", 400, 4104 },
        { """{"name":"Prod","functionVersion":"v1"}""", 400, 4104 },
        { """{"name":"","functionVersion":"v1"}""", 400, 4104 },
        { """{"name":"prod"}""", 400, 4104 },
        { """{"name":"prod","functionVersion":"v1","routingConfig":{"v1":"100"}}""", 400, 130600 },
        { """{"name":"prod","functionVersion":"v1","routingType":"rule","routingRules":{"ruleLogic":"xor","rules":["x-user:=:a"],"grayVersion":"v2"}}""", 400, 4104 },
        { """{"name":"prod","functionVersion":"v1","routingType":"rule","routingRules":{"ruleLogic":"and","rules":["x-user=a"],"grayVersion":"v2"}}""", 400, 4104 },
        { """{"name":"prod","functionVersion":"v1","routingType":"rule","routingRules":{"ruleLogic":"and","rules":["X-User:=:a"],"grayVersion":"v2"}}""", 400, 4104 },
        { """{"name":"prod","functionVersion":"v1","routingType":"rule","routingRules":{"ruleLogic":"and","rules":["x-age:>:ten"],"grayVersion":"v2"}}""", 400, 4104 },
        { """{"name":"prod","functionVersion":"v1","routingType":"rule","routingRules":{"ruleLogic":"and","rules":["x-age:~:1"],"grayVersion":"v2"}}""", 400, 4104 },
        { """{"name":"prod","functionVersion":"v1","routingType":"rule","routingRules":{"ruleLogic":"and","rules":[],"grayVersion":"v2"}}""", 400, 4104 },
        { """{"name":"prod","functionVersion":"v1","routingType":"rule","routingRules":{"ruleLogic":"and","rules":["x-user:=:a"]}}""", 400, 4104 },
        { """{"name":"prod","functionVersion":"v1","routingType":"rule","routingRules":{"ruleLogic":"and","rules":["x-user:=:a"],"grayVersion":"v9"}}""", 404, 4116 },
        { """{"name":"prod","functionVersion":"v1","routingType":"canary"}""", 400, 4104 },
        { """{"name":"prod","functionVersion":"v1","routingRules":{"ruleLogic":"and","rules":["x-user:=:a"],"grayVersion":"v2"}}""", 400, 4104 },
        { """[1]""", 400, 130600 },
    };

    [Theory]
    [MemberData(nameof(Creates))]
    public async Task Create_WithBadInput_IsRefused_AndWritesNothing(string body, int status, int code)
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");

        var message = await factory.Store.NothingWrittenAsync(async () =>
        {
            using var response = await api.CreateAliasAsync(name, body);
            return await Wire.AssertErrorAsync(response, (HttpStatusCode)status, code);
        });

        Assert.NotEmpty(message);
    }

    [Fact]
    public async Task Update_WithBadInput_IsRefused_AndWritesNothing()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        var revision = (string)(await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}"""))["revisionId"]!;

        await factory.Store.NothingWrittenAsync(async () =>
        {
            using var sum = await api.UpdateAliasAsync(name, "prod", $$$"""{"revisionId":"{{{revision}}}","routingConfig":{"v1":10,"v2":10}}""");
            using var unknown = await api.UpdateAliasAsync(name, "prod", $$"""{"revisionId":"{{revision}}","functionVersion":"v7"}""");
            using var missing = await api.UpdateAliasAsync(name, "nosuch", $$"""{"revisionId":"{{revision}}"}""");
            using var noRevision = await api.UpdateAliasAsync(name, "prod", """{"functionVersion":"v2"}""");
            using var disagree = await api.UpdateAliasAsync(name, "prod", $$"""{"revisionId":"{{revision}}"}""", EditRequests.IfMatch("\"1\""));
            await Wire.AssertErrorAsync(sum, HttpStatusCode.BadRequest, 4103);
            await Wire.AssertErrorAsync(unknown, HttpStatusCode.NotFound, 4116);
            await Wire.AssertErrorAsync(missing, HttpStatusCode.NotFound, 4117);
            await Wire.AssertErrorAsync(noRevision, HttpStatusCode.PreconditionFailed, 4134);
            return await Wire.AssertErrorAsync(disagree, HttpStatusCode.BadRequest, 4104);
        });
    }

    [Fact]
    public async Task Update_IfMatch_NamingTwoETagsAndNoBodyRevision_OrDisagreeing_IsRefused_AndAgreeing_Updates()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        var revision = (string)(await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}"""))["revisionId"]!;

        var (two, disagree) = await factory.Store.NothingWrittenAsync(async () =>
        {
            using var twoTags = await api.UpdateAliasAsync(name, "prod", """{"functionVersion":"v2"}""", EditRequests.IfMatch($"\"{revision}\", \"1\""));
            using var otherTag = await api.UpdateAliasAsync(name, "prod", $$"""{"revisionId":"{{revision}}","functionVersion":"v2"}""", EditRequests.IfMatch("\"1\""));
            return (await Wire.AssertErrorAsync(twoTags, HttpStatusCode.BadRequest, 4104), await Wire.AssertErrorAsync(otherTag, HttpStatusCode.BadRequest, 4104));
        });
        using var agree = await api.UpdateAliasAsync(name, "prod", $$"""{"revisionId":"{{revision}}","functionVersion":"v2"}""", EditRequests.IfMatch($"\"1\", \"{revision}\""));

        Assert.Equal("If-Match names 2 ETags: name one, or put the revisionId in the body. check input parameters", two);
        Assert.Equal("If-Match and the body's revisionId disagree: send the same revisionId in both, or only one of them. check input parameters", disagree);
        Assert.Equal("v2", (string?)(await Wire.OkAsync(agree))["result"]!["functionVersion"]);
    }

    [Fact]
    public async Task Update_WithAnIfMatchThatIsNoListOfQuotedETags_IsRefused_SayingTheForm()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        var revision = (string)(await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}"""))["revisionId"]!;

        var message = await factory.Store.NothingWrittenAsync(async () =>
        {
            using var unquoted = await api.UpdateAliasAsync(name, "prod", """{"functionVersion":"v2"}""", EditRequests.IfMatch(revision));
            return await Wire.AssertErrorAsync(unquoted, HttpStatusCode.BadRequest, 4104);
        });

        Assert.Equal("If-Match must be a comma-separated list of quoted ETags, e.g. If-Match: \"20240416124531639\". check input parameters", message);
    }

    [Fact]
    public async Task AGet_ForATenantThatCannotBePartOfAKey_IsRefused_NamingTheHeader()
    {
        using var api = factory.CreateApi();
        var name = await api.FunctionWithVersionsAsync("v1");
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");
        using var other = factory.CreateApi(tenant: "a@b");

        using var response = await other.GetAliasAsync(name, "prod");

        Assert.Equal("X-Tenant-Id must be 1 to 128 characters without '/', ':', '@', blanks or control characters. check input parameters",
            await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104));
    }

    [Fact]
    public async Task Writes_OfAnUnknownFunction_Are404With4115()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();

        await factory.Store.NothingWrittenAsync(async () =>
        {
            using var create = await api.CreateAliasAsync(name, """{"name":"prod","functionVersion":"v1"}""");
            using var list = await api.SendAsync(HttpMethod.Get, api.AliasesPath(name), null);
            await Wire.AssertErrorAsync(list, HttpStatusCode.NotFound, 4115);
            return await Wire.AssertErrorAsync(create, HttpStatusCode.NotFound, 4115);
        });
    }
}