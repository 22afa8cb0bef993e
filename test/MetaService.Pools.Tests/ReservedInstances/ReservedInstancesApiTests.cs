using System.Net;

using Xunit;

namespace MetaService.Pools.Tests.ReservedInstances;

public sealed class ReservedInstancesApiTests() : ApiTests(("Meta:InstanceLabelMax", "3"))
{
    private const string Path = "/serverless/v1/functions/reserve-instance";
    private const string Hello = "0@faaspy@hello";

    /// <summary>The example of openYuanrong's create_reserve_instance page.</summary>
    private const string DocExample =
        """{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"label001","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":101,"minInstance":0}]}""";

    private static string LabelKey(string cluster, string label, string tenant = "default", string version = "latest") =>
        $"/instances/business/yrk/cluster/{cluster}/tenant/{tenant}/function/{Hello}/version/{version}/label/{label}";

    private static string Stored(long max, long min) =>
        $$$"""{"instanceMetaData":{"maxInstance":{{{max}}},"minInstance":{{{min}}},"concurrentNum":0,"instanceType":"","idleMode":false,"poolLabel":"","poolId":"","diskLimit":0,"schedulePolicy":"","scalePolicy":""}}""";

    private static string Body(string label, params (string Cluster, long Max, long Min)[] configs) =>
        $$"""{"funcName":"{{Hello}}","version":"latest","instanceLabel":"{{label}}","instanceConfigInfos":[{{string.Join(",", configs.Select(c => $$"""{"clusterId":"{{c.Cluster}}","maxInstance":{{c.Max}},"minInstance":{{c.Min}}}"""))}}]}""";

    [Theory]
    [InlineData("/serverless/v1/functions/reserve-instance")]
    [InlineData("/admin/v1/functions/reserve-instance")]
    public async Task Create_DocExample_AnswersModel_AndStoresInstanceMetaData(string path)
    {
        await CreateFunctionAsync(Hello);

        var answer = await SendAsync(HttpMethod.Post, path, DocExample);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson(
            """{"code":0,"message":"","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":101,"minInstance":0}],"reserveInsBaseInfo":{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"label001"}}""",
            answer.Body);
        AssertJson(Stored(101, 0), await StoredAsync(LabelKey("cluster001", "label001")));
    }

    [Fact]
    public async Task Create_WithoutClusterId_UsesCluster001_AndAnswersTheLabelInEveryCluster()
    {
        await CreateFunctionAsync(Hello);
        await SendAsync(HttpMethod.Post, Path, Body("gpu", ("cluster002", 4, 2)));

        var answer = await SendAsync(HttpMethod.Post, Path, """{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"gpu","instanceConfigInfos":[{"maxInstance":3,"minInstance":1}]}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson(
            """[{"clusterId":"cluster001","maxInstance":3,"minInstance":1},{"clusterId":"cluster002","maxInstance":4,"minInstance":2}]""",
            answer.Body!["instanceConfigInfos"]);
        AssertJson(Stored(3, 1), await StoredAsync(LabelKey("cluster001", "gpu")));
        AssertJson(Stored(4, 2), await StoredAsync(LabelKey("cluster002", "gpu")));
    }

    [Fact]
    public async Task Create_ExistingLabel_Overwrites()
    {
        await CreateFunctionAsync(Hello);
        await SendAsync(HttpMethod.Post, Path, Body("l1", ("cluster001", 5, 1)));

        var answer = await SendAsync(HttpMethod.Post, Path, Body("l1", ("cluster001", 9, 2)));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson(Stored(9, 2), await StoredAsync(LabelKey("cluster001", "l1")));
    }

    [Fact]
    public async Task Update_ExistingLabel_ChangesCounts()
    {
        await CreateFunctionAsync(Hello);
        await SendAsync(HttpMethod.Post, Path, Body("l1", ("cluster001", 5, 1), ("cluster002", 6, 1)));

        var answer = await SendAsync(HttpMethod.Put, Path, Body("l1", ("cluster002", 8, 8)));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson(
            """{"code":0,"message":"","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":5,"minInstance":1},{"clusterId":"cluster002","maxInstance":8,"minInstance":8}],"reserveInsBaseInfo":{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"l1"}}""",
            answer.Body);
        AssertJson(Stored(8, 8), await StoredAsync(LabelKey("cluster002", "l1")));
    }

    [Fact]
    public async Task Update_LabelMissingInACluster_Answers404_AndWritesNothing()
    {
        await CreateFunctionAsync(Hello);
        await SendAsync(HttpMethod.Post, Path, Body("l1", ("cluster001", 5, 1)));

        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Put, Path, Body("l1", ("cluster001", 7, 1), ("cluster002", 7, 1))));

        AssertError(HttpStatusCode.NotFound, 4104, "failed to find reserve instance config for update. check input parameters", answer);
        AssertJson(Stored(5, 1), await StoredAsync(LabelKey("cluster001", "l1")));
        Assert.Null(await StoredAsync(LabelKey("cluster002", "l1")));
    }

    [Fact]
    public async Task Get_WithBody_GroupsLabelsAcrossClusters_MostRecentlyWrittenFirst()
    {
        await CreateFunctionAsync(Hello);
        await SendAsync(HttpMethod.Post, Path, Body("a", ("cluster001", 1, 0), ("cluster002", 2, 0)));
        await SendAsync(HttpMethod.Post, Path, Body("b", ("cluster001", 3, 0)));
        await SendAsync(HttpMethod.Put, Path, Body("a", ("cluster002", 4, 0)));

        var answer = await SendAsync(HttpMethod.Get, Path, """{"funcName":"0@faaspy@hello","version":"latest"}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson(
            """{"total":2,"results":[{"instanceLabel":"a","instanceConfigInfos":[{"clusterId":"cluster002","maxInstance":4,"minInstance":0},{"clusterId":"cluster001","maxInstance":1,"minInstance":0}]},{"instanceLabel":"b","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":3,"minInstance":0}]}]}""",
            answer.Body);
    }

    [Fact]
    public async Task Get_WithQuery_AnswersAsWithBody()
    {
        await CreateFunctionAsync(Hello);
        await SendAsync(HttpMethod.Post, "/admin/v1/functions/reserve-instance", Body("a", ("cluster001", 1, 0)));

        var answer = await SendAsync(HttpMethod.Get, "/admin/v1/functions/reserve-instance?funcName=0@faaspy@hello&version=latest");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson("""{"total":1,"results":[{"instanceLabel":"a","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":1,"minInstance":0}]}]}""", answer.Body);
    }

    [Theory]
    [InlineData("?funcName=" + Hello, "version: non zero value required. check input parameters")]
    [InlineData("?version=latest", "funcName: non zero value required. check input parameters")]
    public async Task Get_WithEitherQueryMember_ReadsTheQuery_NotTheBody(string query, string message)
    {
        await CreateFunctionAsync(Hello);

        var answer = await SendAsync(HttpMethod.Get, Path + query, """{"funcName":"0@faaspy@hello","version":"latest"}""");

        AssertError(HttpStatusCode.BadRequest, 4104, message, answer);
    }

    [Fact]
    public async Task Get_NoLabels_AnswersEmptyResults()
    {
        await CreateFunctionAsync(Hello);

        var answer = await SendAsync(HttpMethod.Get, $"{Path}?funcName={Hello}&version=latest");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson("""{"total":0,"results":[]}""", answer.Body);
    }

    [Fact]
    public async Task Delete_OneLabel_RemovesItInEveryCluster_AndNoOtherLabel()
    {
        await CreateFunctionAsync(Hello);
        await SendAsync(HttpMethod.Post, Path, Body("label1", ("cluster001", 1, 0), ("cluster002", 1, 0)));
        await SendAsync(HttpMethod.Post, Path, Body("label10", ("cluster001", 1, 0)));

        var answer = await SendAsync(HttpMethod.Delete, Path, """{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"label1"}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson("""{"code":0,"message":""}""", answer.Body);
        Assert.Null(await StoredAsync(LabelKey("cluster001", "label1")));
        Assert.Null(await StoredAsync(LabelKey("cluster002", "label1")));
        AssertJson(Stored(1, 0), await StoredAsync(LabelKey("cluster001", "label10")));
    }

    [Fact]
    public async Task Delete_WithoutLabel_RemovesEveryLabelOfTheVersion_AndKeepsTheInstanceKey()
    {
        await CreateFunctionAsync(Hello);
        await SendAsync(HttpMethod.Post, Path, Body("a", ("cluster001", 1, 0), ("cluster002", 1, 0)));
        await SendAsync(HttpMethod.Post, Path, Body("b", ("cluster001", 1, 0)));

        var answer = await SendAsync(HttpMethod.Delete, Path, """{"funcName":"0@faaspy@hello","version":"latest"}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(0, await CountKeysAsync($"/instances/business/yrk/cluster/cluster001/tenant/default/function/{Hello}/version/latest/label/"));
        Assert.Equal(0, await CountKeysAsync($"/instances/business/yrk/cluster/cluster002/tenant/default/function/{Hello}/version/latest/label/"));
        Assert.NotNull(await StoredAsync($"/instances/business/yrk/cluster/cluster001/tenant/default/function/{Hello}/version/latest"));
    }

    [Theory]
    [InlineData("""{"version":"latest","instanceLabel":"l1"}""", "funcName: non zero value required")]
    [InlineData("""{"funcName":"0-svc-hello","version":"latest","instanceLabel":"l1"}""", "funcName 0-svc-hello is invalid: the format is 0@{serviceName}@{funcName}, serviceName 1 to 16 letters or digits, funcName lowercase letters, digits and hyphens")]
    [InlineData("""{"funcName":"0@faaspy@hello","instanceLabel":"l1"}""", "version: non zero value required")]
    [InlineData("""{"funcName":"0@faaspy@hello","version":"latest"}""", "instanceLabel cannot be empty")]
    [InlineData("""{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"-l1"}""", "instanceLabel -l1 is invalid: letters, digits, '-', '_' and '.', starting and ending with a letter or digit")]
    [InlineData("""{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"l123456789012345678901234567890123456789012345678901234567890123"}""", "instanceLabel: must not be longer than 63 characters")]
    [InlineData("""{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"l1","instanceConfigInfos":[{"maxInstance":1001}]}""", "maxInstance 1001 is not between 0 and 1000")]
    [InlineData("""{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"l1","instanceConfigInfos":[{"maxInstance":1,"minInstance":-1}]}""", "minInstance -1 is not between 0 and 1000")]
    [InlineData("""{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"l1","instanceConfigInfos":[{"maxInstance":1,"minInstance":5}]}""", "maxInstance 1 is less than minInstance 5")]
    [InlineData("""{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"l1","instanceConfigInfos":[{"clusterId":"cluster009"}]}""", "clusterID cluster009 is not found")]
    [InlineData("""{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"l1","instanceConfigInfos":[{"clusterId":""},{"clusterId":"cluster001"}]}""", "clusterID cluster001 is repeated")]
    [InlineData("""{"funcName":"x","instanceLabel":"-","instanceConfigInfos":[{"clusterId":"c9","maxInstance":1,"minInstance":2}]}""", "funcName x is invalid: the format is 0@{serviceName}@{funcName}, serviceName 1 to 16 letters or digits, funcName lowercase letters, digits and hyphens; version: non zero value required; instanceLabel - is invalid: letters, digits, '-', '_' and '.', starting and ending with a letter or digit; clusterID c9 is not found; maxInstance 1 is less than minInstance 2")]
    public async Task Create_BrokenRules_Answer400_WithEveryRuleAtOnce(string body, string message)
    {
        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, body));

        AssertError(HttpStatusCode.BadRequest, 4104, message + ". check input parameters", answer);
    }

    [Fact]
    public async Task Create_CountsAsStrings_Answer400_130600()
    {
        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, """{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"l1","instanceConfigInfos":[{"maxInstance":"5"}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(130600, (int)answer.Body!["code"]!);
    }

    [Fact]
    public async Task Delete_WithoutBody_Answers400_Eof()
    {
        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Delete, Path));

        AssertError(HttpStatusCode.BadRequest, 130600, "EOF", answer);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task UnknownFunction_Answers404_4115(string method)
    {
        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(new HttpMethod(method), Path, Body("l1", ("cluster001", 1, 0))));

        AssertError(HttpStatusCode.NotFound, 4115, "function [0@faaspy@hello] is not found. check input parameters", answer);
    }

    [Fact]
    public async Task UnknownVersion_Answers404_4115()
    {
        await CreateFunctionAsync(Hello);

        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, DocExample.Replace("\"latest\"", "\"v9\"", StringComparison.Ordinal)));

        AssertError(HttpStatusCode.NotFound, 4115, "function [0@faaspy@hello] is not found. check input parameters", answer);
    }

    [Fact]
    public async Task NonFaasFunction_Answers404_4115()
    {
        await CreateFunctionAsync(Hello, kind: "yrlib");

        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, DocExample.Replace("\"latest\"", "\"$latest\"", StringComparison.Ordinal)));

        AssertError(HttpStatusCode.NotFound, 4115, "function [0@faaspy@hello] is not found. check input parameters", answer);
    }

    [Fact]
    public async Task Create_LabelLimit_CountsEveryLabelInEveryCluster()
    {
        await CreateFunctionAsync(Hello);
        await SendAsync(HttpMethod.Post, Path, Body("a", ("cluster001", 1, 0)));
        await SendAsync(HttpMethod.Post, Path, Body("b", ("cluster002", 1, 0)));
        await SendAsync(HttpMethod.Post, Path, Body("c", ("cluster001", 1, 0), ("cluster002", 1, 0)));

        var refused = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, Body("d", ("cluster001", 1, 0))));
        var rewritten = await SendAsync(HttpMethod.Post, Path, Body("a", ("cluster002", 2, 0)));

        AssertError(HttpStatusCode.Conflict, 4104, "label count reached max(3). check input parameters", refused);
        Assert.Null(await StoredAsync(LabelKey("cluster001", "d")));
        Assert.Equal(HttpStatusCode.OK, rewritten.Status);
    }

    [Fact]
    public async Task DeletingTheFunction_RemovesItsLabels()
    {
        await CreateFunctionAsync(Hello);
        await SendAsync(HttpMethod.Post, Path, Body("a", ("cluster001", 1, 0), ("cluster002", 1, 0)));

        var deleted = await SendAsync(HttpMethod.Delete, $"/serverless/v1/functions/{Hello}");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(0, await CountKeysAsync("/instances/"));
    }

    [Fact]
    public async Task Tenant_ScopesTheFunctionAndTheKeys()
    {
        await CreateFunctionAsync(Hello, tenant: "t1");

        var created = await SendAsync(HttpMethod.Post, Path, DocExample, tenant: "t1");
        var otherTenant = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, DocExample));

        Assert.Equal(HttpStatusCode.OK, created.Status);
        AssertJson(Stored(101, 0), await StoredAsync(LabelKey("cluster001", "label001", tenant: "t1")));
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.Status);
    }
}