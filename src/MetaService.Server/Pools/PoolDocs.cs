using MetaService.Core.Pools;
using MetaService.Server.ApiDescription;

namespace MetaService.Server.Pools;

/// <summary>The pod pool routes in the OpenAPI document (§3.9).</summary>
public static class PoolDocs
{
    private static ResponseDoc Invalid => FunctionDocs.Error(400, "invalid input (4104, 130600)", 4104, "failed to create pod pool, err: input pod pool list is empty. check input parameters");
    private static ResponseDoc NotFound => FunctionDocs.Error(404, "the pool does not exist or is deleted (4120)", 4120, "pool does not exist or has been deleted. check input parameters");

    public static RouteDoc Create => new("Create pod pools", "Each pool is stored at /yr/podpools/info/<id> in its own transaction.")
    {
        RequestType = typeof(PoolCreateRequest),
        RequestExample = """{"pools":[{"id":"pool1","group":"default","size":1,"max_size":1,"image":"busybox","resources":{"requests":{"cpu":"500m","memory":"512Mi"},"limits":{"cpu":"500m","memory":"512Mi"}}}]}""",
        Responses =
        [
            new(200, typeof(PoolResultEnvelope<PoolCreateResult>), "created", """{"code":0,"message":"","result":{"failed_pools":null}}"""),
            Invalid, FunctionDocs.Error(409, "a pool id exists", 4104, "failed to create pod pool, id: pool1, err: pool id already exists or is deleting. check input parameters"),
        ],
    };

    public static RouteDoc List => new("Query pod pools", "Exact filters on id and group; offset is a 1-based page, limit the page size (default 10).")
    {
        Query = [new("id", "a pool id"), new("group", "a pool group"), new("offset", "1-based page (default 1)", IsNumber: true), new("limit", "page size (default 10)", IsNumber: true)],
        Responses =
        [
            new(200, typeof(PoolResultEnvelope<PoolPage>), "one page and the count", """{"code":0,"message":"","result":{"count":1,"pools":[{"id":"pool1","group":"default","size":1,"max_size":1,"ready_count":0,"status":0,"msg":"","image":"busybox","init_image":"","reuse":false,"labels":null,"environment":null,"resources":{"requests":{"cpu":"500m","memory":"512Mi"},"limits":{"cpu":"500m","memory":"512Mi"}},"volumes":"","volume_mounts":"","affinities":"","runtime_class_name":"","node_selector":null,"tolerations":"","horizontal_pod_autoscaler_spec":"","topology_spread_constraints":"","pod_pending_duration_threshold":0,"idle_recycle_time":{"reserved":0,"scaled":0},"scalable":false}]}}"""),
            Invalid,
        ],
    };

    public static RouteDoc Update => new("Resize a pod pool", "Changes size and max_size of a running pool; the pool's status becomes 2 (update pending).")
    {
        RequestType = typeof(PoolUpdateRequest),
        RequestExample = """{"size":2,"max_size":2}""",
        Responses =
        [
            new(200, typeof(NullResultEnvelope), "updated", """{"code":0,"message":"","result":null}"""),
            Invalid, NotFound, FunctionDocs.Error(409, "the pool's status does not allow an update", 4104, "pool status is 2 , not allowed to update. check input parameters"),
        ],
    };

    public static RouteDoc Delete => new("Delete pod pools", "Marks every pool matching id and/or group as deleted (status 6).")
    {
        Query = [new("id", "a pool id"), new("group", "a pool group")],
        Responses = [new(200, typeof(NullResultEnvelope), "deleted", """{"code":0,"message":"","result":null}"""), Invalid, NotFound],
    };
}