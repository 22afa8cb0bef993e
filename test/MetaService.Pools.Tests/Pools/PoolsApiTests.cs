using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Pools.Tests.Pools;

public sealed class PoolsApiTests : ApiTests
{
    private const string Path = "/serverless/v1/podpools";
    private const string Created = """{"code":0,"message":"","result":{"failed_pools":null}}""";
    private const string NullResult = """{"code":0,"message":"","result":null}""";

    private static string Key(string id) => "/yr/podpools/info/" + id;

    private static JsonNode Example() => JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Pools", "create_pod_pool_example.json")))!;

    /// <summary>A pool as the platform leaves it once it has acted: the status it reports.</summary>
    private async Task SetStatusAsync(string id, int status)
    {
        var stored = (await StoredAsync(Key(id)))!;
        stored["status"] = status;
        await Factory.Store.TxnAsync([], [new WriteOp.Put(Key(id), Encoding.UTF8.GetBytes(stored.ToJsonString()))], Cancel);
    }

    private async Task CreatePoolAsync(string pool) => Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, Path, $$"""{"pools":[{{pool}}]}""")).Status);

    [Fact]
    public async Task Create_DocExample_IsRefused_ForMaxSizeAboveSizeWithAutoscaler()
    {
        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, Example().ToJsonString()));

        AssertError(HttpStatusCode.BadRequest, 4104, "failed to create pod pool, id: pool1, err: max_size greater than size and horizontal_pod_autoscaler_spec cannot be set at the same time. check input parameters", answer);
        Assert.Null(await StoredAsync(Key("pool1")));
    }

    [Fact]
    public async Task Create_DocExampleWithoutAutoscaler_StoresThePool()
    {
        var example = Example();
        example["pools"]![0]!.AsObject().Remove("horizontal_pod_autoscaler_spec");

        var answer = await SendAsync(HttpMethod.Post, Path, example.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson(Created, answer.Body);
        AssertJson(
            """
            {"id":"pool1","group":"rg1","size":2,"max_size":3,"ready_count":0,"status":0,"msg":"","image":"runtime-manager:v1","init_image":"function-agent-init:v1","reuse":true,
             "labels":{"label1":"val1"},"environment":{"env1":"key1"},
             "resources":{"requests":{"cpu":"600m","memory":"512Mi"},"limits":{"cpu":"600m","memory":"512Mi"}},
             "volumes":"[{\"name\":\"pv-function\",\"persistentVolumeClaim\":{\"claimName\":\"test-client-pvc-claim\"}}]",
             "volume_mounts":"[{\"name\":\"pv-function\",\"mountPath\":\"/home/sn/function-packages\"}]",
             "affinities":"{\"nodeAffinity\": {\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"node-type\",\"operator\":\"In\",\"values\":[\"system\"]}]}]}}}",
             "runtime_class_name":"runc","node_selector":{"node-role.kubernetes.io/controlplane":"true"},
             "tolerations":"[{\"key\":\"is-ds-worker-unready\",\"operator\": \"Equal\", \"value\": \"true\", \"effect\": \"NoSchedule\"}]",
             "horizontal_pod_autoscaler_spec":"",
             "topology_spread_constraints":"[{\"maxSkew\":1,\"minDomains\":1,\"topologyKey\":\"kubernetes.io/hostname\",\"whenUnsatisfiable\":\"DoNotSchedule\", \"matchLabelKeys\": [\"pod-template-hash\"],\"labelSelector\":{\"matchLabels\": {\"rg1\":\"rg1\"}} }]",
             "pod_pending_duration_threshold":0,"idle_recycle_time":{"reserved":-1,"scaled":10},"scalable":true}
            """,
            await StoredAsync(Key("pool1")));
    }

    [Fact]
    public async Task Create_Minimal_DefaultsGroupAndMaxSize_AndStoresEveryMember()
    {
        var answer = await SendAsync(HttpMethod.Post, Path, """{"pools":[{"id":"p1","size":2}]}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson(
            """
            {"id":"p1","group":"default","size":2,"max_size":2,"ready_count":0,"status":0,"msg":"","image":"","init_image":"","reuse":false,
             "labels":null,"environment":null,"resources":{"requests":null,"limits":null},"volumes":"","volume_mounts":"","affinities":"",
             "runtime_class_name":"","node_selector":null,"tolerations":"","horizontal_pod_autoscaler_spec":"","topology_spread_constraints":"",
             "pod_pending_duration_threshold":0,"idle_recycle_time":{"reserved":0,"scaled":0},"scalable":false}
            """,
            await StoredAsync(Key("p1")));
    }

    [Theory]
    [InlineData("""{"pools":[]}""")]
    [InlineData("""{}""")]
    public async Task Create_NoPools_Answers400(string body)
    {
        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, body));

        AssertError(HttpStatusCode.BadRequest, 4104, "failed to create pod pool, err: input pod pool list is empty. check input parameters", answer);
    }

    [Theory]
    [InlineData("""{"id":"P1"}""", "failed to create pod pool, id: P1, err: pod pool id can contain only lowercase letters, digits and '-'. it cannot start or end with '-' and cannot exceed 40 characters or less than 1 characters")]
    [InlineData("""{"id":""}""", "failed to create pod pool, id: , err: pod pool id can contain only lowercase letters, digits and '-'. it cannot start or end with '-' and cannot exceed 40 characters or less than 1 characters")]
    [InlineData("""{"id":"p1","group":"-g"}""", "failed to create pod pool, id: p1, group: -g, err: pod pool group can contain only letters, digits and '-'. it cannot start or end with '-' and cannot exceed 40 characters")]
    [InlineData("""{"id":"p1","size":-1}""", "failed to create pod pool, id: p1, err: size is less than 0")]
    [InlineData("""{"id":"p1","size":3,"max_size":2}""", "failed to create pod pool, id: p1, err: max_size is less than size")]
    [InlineData("""{"id":"p1","size":1,"max_size":2,"horizontal_pod_autoscaler_spec":"{}"}""", "failed to create pod pool, id: p1, err: max_size greater than size and horizontal_pod_autoscaler_spec cannot be set at the same time")]
    [InlineData("""{"id":"p1","idle_recycle_time":{"reserved":-2}}""", "failed to create pod pool, id: p1, err: idle time of reserved should not less than -1")]
    [InlineData("""{"id":"p1","idle_recycle_time":{"scaled":-2}}""", "failed to create pod pool, id: p1, err: idle time of scaled should not less than -1")]
    [InlineData("""{"id":"p1","runtime_class_name":"r12345678901234567890123456789012345678901234567890123456789012345"}""", "failed to create pod pool, id: p1, err: runtime_class_name should not greater than 64")]
    [InlineData("""{"id":"p1","pod_pending_duration_threshold":-5}""", "failed to create pod pool, id: p1, err: podPendingDurationThreshold should not be less than 0, which is -5")]
    [InlineData("""{"id":"-x","size":-1,"idle_recycle_time":{"scaled":-3}}""", "failed to create pod pool, id: -x, err: pod pool id can contain only lowercase letters, digits and '-'. it cannot start or end with '-' and cannot exceed 40 characters or less than 1 characters;failed to create pod pool, id: -x, err: size is less than 0;failed to create pod pool, id: -x, err: idle time of scaled should not less than -1")]
    public async Task Create_BrokenRules_Answer400_WithEveryRuleOfThePool(string pool, string message)
    {
        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, $$"""{"pools":[{{pool}}]}"""));

        AssertError(HttpStatusCode.BadRequest, 4104, message + ". check input parameters", answer);
        Assert.Equal(0, await CountKeysAsync("/yr/podpools/info/"));
    }

    [Fact]
    public async Task Create_LongImages_Answer400()
    {
        var image = new string('i', 201);

        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, $$"""{"pools":[{"id":"p1","image":"{{image}}","init_image":"{{image}}"}]}"""));

        AssertError(HttpStatusCode.BadRequest, 4104, "failed to create pod pool, id: p1, err: image len is not in [1, 200];failed to create pod pool, id: p1, err: init image len is not in [1, 200]. check input parameters", answer);
    }

    [Fact]
    public async Task Create_ExistingId_Answers409_WhileTheOtherPoolsAreCreated()
    {
        await CreatePoolAsync("""{"id":"p1"}""");

        var answer = await SendAsync(HttpMethod.Post, Path, """{"pools":[{"id":"p1"},{"id":"p2"}]}""");

        AssertError(HttpStatusCode.Conflict, 4104, "failed to create pod pool, id: p1, err: pool id already exists or is deleting. check input parameters", answer);
        Assert.NotNull(await StoredAsync(Key("p2")));
    }

    [Fact]
    public async Task Create_InvalidAndExisting_Answers400_WithBothFailures()
    {
        await CreatePoolAsync("""{"id":"p1"}""");

        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, """{"pools":[{"id":"p1"},{"id":"p2","size":-1}]}"""));

        AssertError(HttpStatusCode.BadRequest, 4104, "failed to create pod pool, id: p1, err: pool id already exists or is deleting;failed to create pod pool, id: p2, err: size is less than 0. check input parameters", answer);
    }

    [Fact]
    public async Task Create_SizeAsString_Answers400_130600()
    {
        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Post, Path, """{"pools":[{"id":"p1","size":"2"}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(130600, (int)answer.Body!["code"]!);
    }

    [Fact]
    public async Task Get_FiltersByIdAndGroup_AndCountsEveryMatch()
    {
        await SendAsync(HttpMethod.Post, Path, """{"pools":[{"id":"a1","group":"g1"},{"id":"a2","group":"g1"},{"id":"b1","group":"g2"}]}""");

        var byGroup = await SendAsync(HttpMethod.Get, Path + "?group=g1");
        var byId = await SendAsync(HttpMethod.Get, Path + "?id=b1");
        var both = await SendAsync(HttpMethod.Get, Path + "?id=b1&group=g1");

        Assert.Equal(HttpStatusCode.OK, byGroup.Status);
        Assert.Equal(0, (int)byGroup.Body!["code"]!);
        Assert.Equal("", (string)byGroup.Body!["message"]!);
        Assert.Equal(2, (int)byGroup.Body!["result"]!["count"]!);
        Assert.Equal(["a1", "a2"], byGroup.Body!["result"]!["pools"]!.AsArray().Select(p => (string)p!["id"]!));
        AssertJson(((await StoredAsync(Key("b1")))!).ToJsonString(), byId.Body!["result"]!["pools"]![0]);
        AssertJson("""{"code":0,"message":"","result":{"count":0,"pools":[]}}""", both.Body);
    }

    [Fact]
    public async Task Get_Pages_WithOffsetAsPageIndex_AndLimitTenByDefault()
    {
        var pools = string.Join(",", Enumerable.Range(10, 12).Select(i => $$"""{"id":"p{{i}}"}"""));
        await SendAsync(HttpMethod.Post, Path, $$"""{"pools":[{{pools}}]}""");

        var first = await SendAsync(HttpMethod.Get, Path);
        var second = await SendAsync(HttpMethod.Get, Path + "?offset=2&limit=5");
        var past = await SendAsync(HttpMethod.Get, Path + "?offset=9&limit=5");

        Assert.Equal(12, (int)first.Body!["result"]!["count"]!);
        Assert.Equal(10, first.Body!["result"]!["pools"]!.AsArray().Count);
        Assert.Equal(["p15", "p16", "p17", "p18", "p19"], second.Body!["result"]!["pools"]!.AsArray().Select(p => (string)p!["id"]!));
        AssertJson("""{"code":0,"message":"","result":{"count":12,"pools":[]}}""", past.Body);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=-3")]
    [InlineData("?offset=-1")]
    public async Task Get_OutOfRangePage_AnswersNoPools(string query)
    {
        await CreatePoolAsync("""{"id":"p1"}""");

        var answer = await SendAsync(HttpMethod.Get, Path + query);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson("""{"code":0,"message":"","result":{"count":0,"pools":null}}""", answer.Body);
    }

    [Theory]
    [InlineData("?limit=ten")]
    [InlineData("?offset=1.5")]
    public async Task Get_NonNumericPage_Answers400(string query)
    {
        var answer = await SendAsync(HttpMethod.Get, Path + query);

        AssertError(HttpStatusCode.BadRequest, 4104, "offset and limit must be integers. check input parameters", answer);
    }

    [Fact]
    public async Task Update_RunningPool_SetsSizesAndStatusUpdatePending()
    {
        await CreatePoolAsync("""{"id":"p1","size":1,"max_size":3}""");
        await SetStatusAsync("p1", 4);

        var answer = await SendAsync(HttpMethod.Put, Path + "/p1", """{"size":2,"max_size":5}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson(NullResult, answer.Body);
        var stored = await StoredAsync(Key("p1"));
        Assert.Equal((2, 5, 2, true), ((int)stored!["size"]!, (int)stored["max_size"]!, (int)stored["status"]!, (bool)stored["scalable"]!));
    }

    [Fact]
    public async Task Update_PoolNotScalable_ForcesMaxSizeToSize_AndSetsTheAutoscaler()
    {
        await CreatePoolAsync("""{"id":"p1","size":2}""");
        await SetStatusAsync("p1", 4);

        var answer = await SendAsync(HttpMethod.Put, Path + "/p1", """{"size":4,"max_size":9,"horizontal_pod_autoscaler_spec":"{\"minReplicas\":1}"}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var stored = await StoredAsync(Key("p1"));
        Assert.Equal((4, 4), ((int)stored!["size"]!, (int)stored["max_size"]!));
        Assert.Equal("""{"minReplicas":1}""", (string)stored["horizontal_pod_autoscaler_spec"]!);
    }

    [Fact]
    public async Task Update_ScalablePool_WithoutMaxSize_KeepsTheStoredMaxSize()
    {
        await CreatePoolAsync("""{"id":"p1","size":1,"max_size":6}""");
        await SetStatusAsync("p1", 5);

        var answer = await SendAsync(HttpMethod.Put, Path + "/p1", """{"size":3}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(6, (int)(await StoredAsync(Key("p1")))!["max_size"]!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Update_PoolNotTakenUpYet_Answers409(int status)
    {
        await CreatePoolAsync("""{"id":"p1","size":1}""");
        await SetStatusAsync("p1", status);

        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Put, Path + "/p1", """{"size":2}"""));

        AssertError(HttpStatusCode.Conflict, 4104, $"pool status is {status} , not allowed to update. check input parameters", answer);
    }

    [Fact]
    public async Task Update_MissingOrDeletedPool_Answers404_4120()
    {
        await CreatePoolAsync("""{"id":"p1","size":1}""");
        await SendAsync(HttpMethod.Delete, Path + "?id=p1");

        var deleted = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Put, Path + "/p1", """{"size":2}"""));
        var missing = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Put, Path + "/nope", """{"size":2}"""));

        AssertError(HttpStatusCode.NotFound, 4120, "pool does not exist or has been deleted. check input parameters", deleted);
        AssertError(HttpStatusCode.NotFound, 4120, "pool does not exist or has been deleted. check input parameters", missing);
    }

    [Theory]
    [InlineData("""{"size":-1,"max_size":-1}""", "failed to update pod pool, err: size is less than 0; failed to update pod pool, err: max_size is less than 0")]
    [InlineData("""{"size":5,"max_size":4}""", "failed to update pod pool, err: max_size is less than size")]
    [InlineData("""{"size":1,"max_size":4,"horizontal_pod_autoscaler_spec":"{}"}""", "failed to update pod pool, err: max_size greater than size and horizontal_pod_autoscaler_spec cannot be set at the same time")]
    public async Task Update_BrokenRules_Answer400_AndChangeNothing(string body, string message)
    {
        await CreatePoolAsync("""{"id":"p1","size":1,"max_size":3}""");
        await SetStatusAsync("p1", 4);

        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Put, Path + "/p1", body));

        AssertError(HttpStatusCode.BadRequest, 4104, message + ". check input parameters", answer);
        Assert.Equal(4, (int)(await StoredAsync(Key("p1")))!["status"]!);
    }

    [Fact]
    public async Task Delete_ById_SetsStatusDeleted_AndKeepsTheKey()
    {
        await CreatePoolAsync("""{"id":"p1","size":1}""");

        var answer = await SendAsync(HttpMethod.Delete, Path + "?id=p1");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        AssertJson(NullResult, answer.Body);
        Assert.Equal(6, (int)(await StoredAsync(Key("p1")))!["status"]!);
    }

    [Fact]
    public async Task Delete_ByGroup_DeletesEveryPoolOfTheGroup()
    {
        await SendAsync(HttpMethod.Post, Path, """{"pools":[{"id":"a1","group":"g1"},{"id":"a2","group":"g1"},{"id":"b1","group":"g2"}]}""");

        var answer = await SendAsync(HttpMethod.Delete, Path + "?group=g1");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(6, (int)(await StoredAsync(Key("a1")))!["status"]!);
        Assert.Equal(6, (int)(await StoredAsync(Key("a2")))!["status"]!);
        Assert.Equal(0, (int)(await StoredAsync(Key("b1")))!["status"]!);
    }

    [Fact]
    public async Task Delete_NoMatch_Answers404_4120()
    {
        await CreatePoolAsync("""{"id":"p1","group":"g1"}""");

        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Delete, Path + "?id=p1&group=g2"));

        AssertError(HttpStatusCode.NotFound, 4120, "pool does not exist or has been deleted. check input parameters", answer);
    }

    [Fact]
    public async Task Delete_WithoutIdAndGroup_Answers400()
    {
        var answer = await Factory.Store.NothingWrittenAsync(() => SendAsync(HttpMethod.Delete, Path));

        AssertError(HttpStatusCode.BadRequest, 4104, "id and group cannot be empty at the same time. check input parameters", answer);
    }
}