using System.Text.Json.Nodes;

using MetaService.Core.Functions;
using MetaService.Server.Wire;

namespace MetaService.Server.ApiDescription;

/// <summary>The function routes and <c>/healthz</c>, described with the examples of openYuanrong's pages (§3 of the spec).</summary>
public static class FunctionDocs
{
    /// <summary>The draft of openYuanrong's create example (its name, times and revisionId), every member as MetaService
    /// writes it: the other answers are this draft changed as the route changes it.</summary>
    private const string Draft = """
        {"id":"sn:cn:yrk:default:function:0@faaspy@hello3:latest","createTime":"2024-04-16 12:45:31.639 UTC","updateTime":"","functionUrn":"sn:cn:yrk:default:function:0@faaspy@hello3","name":"0@faaspy@hello3","tenantId":"default","businessId":"yrk","productId":"","reversedConcurrency":0,"description":"","tag":null,"functionVersionUrn":"sn:cn:yrk:default:function:0@faaspy@hello3:latest","revisionId":"20240416124531639","storageType":"local","codeSize":0,"codeSha256":"","codePath":"/home/sn/function-packages","bucketId":"","objectId":"","handler":"handler.my_handler","layers":null,"cpu":600,"memory":512,"runtime":"python3.9","timeout":600,"versionNumber":"latest","versionDesc":"latest","environment":{},"customResources":{},"statefulFlag":0,"lastModified":"2024-04-16 12:45:31.639 UTC","Published":"2024-04-16 12:45:31.639 UTC","minInstance":0,"maxInstance":10,"concurrentNum":2,"enableMetrics":false,"funcLayer":[],"status":"unavailable","instanceNum":0,"device":{},"kind":"faas","rootfs":{"runtime":"","type":"","imageurl":"","user":"","ports":null,"path":"","readonly":false,"storageInfo":{"endpoint":"","bucket":"","object":"","accessKey":"","secretKey":""},"mountpoint":"","mounts":null},"sandboxType":"","created":"2024-04-16 12:45:31.639 UTC","extendedHandler":{"initializer":"handler.init","pre_stop":"test.prestop"},"extendedTimeout":{"initializer":600,"pre_stop":10},"hookHandler":{"init":"faas_executor.faasInitHandler","call":"faas_executor.faasCallHandler","checkpoint":"faas_executor.faasCheckPointHandler","recover":"faas_executor.faasRecoverHandler","shutdown":"faas_executor.faasShutDownHandler","signal":"faas_executor.faasSignalHandler"},"poolId":"pool1","resourceAffinitySelectors":[{"group":"rg1"}],"enableAgentSession":false,"s3CodePath":{"bucketId":"","objectId":"","bucketUrl":"","sha512":""}}
        """;

    private static string Updated => With(Draft, ("updateTime", "2024-04-16 12:46:00.120 UTC"), ("lastModified", "2024-04-16 12:46:00.120 UTC"),
        ("revisionId", "20240416124600120"), ("description", "this is a function"), ("poolId", ""), ("resourceAffinitySelectors", JsonNode.Parse("""[{"group":"rg1"},{"group":"rg2"}]""")));

    /// <summary>The whole answer of an update (and of a patch, which answers as the update).</summary>
    internal static string UpdateAnswer => $$"""{"code":0,"message":"SUCCESS","function":{{Updated}},"result":{{Updated}}}""";

    private static string Published => With(Updated, ("id", "sn:cn:yrk:default:function:0@faaspy@hello3:B.2233"), ("functionVersionUrn", "sn:cn:yrk:default:function:0@faaspy@hello3:B.2233"),
        ("versionNumber", "B.2233"), ("versionDesc", "try-mod-version2"), ("Published", "2024-04-16 12:45:38.004 UTC"), ("created", "2024-04-16 12:45:38.004 UTC"));

    private static string FunctionExample => Answer("function", Draft);

    private static ResponseDoc Invalid => Error(400, "invalid input (4104, 130600, 121046, 121047, 4123)", 4104, "CPU not in range [300, 16000]. check input parameters");
    private static ResponseDoc NotFound => Error(404, "the function or version does not exist (4115, 4116)", 4115, "function [0@faaspy@hello3] is not found. check input parameters");
    private static ResponseDoc TooLarge => Error(413, "the body is larger than Server:MaxRequestBodyBytes", 4104, "request body is larger than 1048576 bytes. check input parameters");
    private static ResponseDoc TooOld => Error(410, "the continue token's list began at a revision the store no longer keeps: list again without continue", 410, "the continue token is too old: its list began at revision 12, which the store no longer keeps; list again from the start (without continue)");
    private static ResponseDoc Unavailable => Error(503, "the store is unreachable; retry", 122002, "the metadata store is unavailable: database is locked");

    private static QueryDoc VersionNumber => new("versionNumber", "a published version; absent, latest or $latest: the draft");
    private static QueryDoc Qualifier => new("qualifier", "a version, used when versionNumber is absent");
    private static QueryDoc PageIndex => new("pageIndex", "1-based page (default 1; 0 means 1)", IsNumber: true);
    private static QueryDoc PageSize => new("pageSize", "rows per page (default 1000; 0 is refused with 4123)", IsNumber: true);
    private static QueryDoc Limit => new("limit", "instead of pageIndex/pageSize: at most this many rows (1 to 10000, default 1000), in key order; the answer's continue token gives the next page and X-Meta-Revision (and revision) the revision it was read at", IsNumber: true);
    private static QueryDoc Continue => new("continue", "the continue token of the previous page, as it was; a changed token answers 400, one whose list began at a revision the store has compacted away 410 (list again)");
    private static QueryDoc Kind => new("kind", "only versions of this kind (faas, yrlib, …)");
    private static QueryDoc Runtime => new("runtime", "only versions of this runtime");
    private static QueryDoc UpdatedSince => new("updatedSince", "only versions updated (or created, if never updated) at or after this time: RFC 3339 or yyyy-MM-dd HH:mm:ss.fff UTC");

    public static RouteDoc Create => new("Create a function", "Creates the draft (latest for faas, $latest otherwise) and publishes its platform keys. Answers E1.")
    {
        RequestType = typeof(FunctionRequest),
        RequestExample = """
            {"name":"0@faaspy@hello3","runtime":"python3.9","handler":"handler.my_handler","kind":"faas","cpu":600,"memory":512,"timeout":600,"environment":{},"customResources":{},"extendedHandler":{"initializer":"handler.init","pre_stop":"test.prestop"},"extendedTimeout":{"initializer":600,"pre_stop":10},"minInstance":"0","maxInstance":"10","concurrentNum":"2","storageType":"local","codePath":"/home/sn/function-packages","s3CodePath":{},"poolId":"pool1","resourceAffinitySelectors":[{"group":"rg1","priority":1}]}
            """,
        Responses = [new(200, typeof(FunctionEnvelope), "created", FunctionExample), Invalid, Error(409, "the name exists (4101)", 4101, "the function name already exists. rename your function"), TooLarge, Unavailable],
    };

    public static RouteDoc List => new("List functions", "Every version record of the tenant (drafts and published), most recently modified first, paged. Answers E2.")
    {
        Query = [new("name", "substring of the function name"), VersionNumber, Qualifier, PageIndex, PageSize, Limit, Continue, Kind, Runtime, UpdatedSince],
        Responses =
        [
            new(200, typeof(ListEnvelope), "one page and the total", $$$"""{"code":0,"message":"","result":{"functions":[{{{Draft}}}],"total":1}}"""),
            Invalid, TooOld, Unavailable,
        ],
    };

    public static RouteDoc Get => new("Get one version of a function", "The draft by default; {name} may also be a function (version) URN. Answers E1.")
    {
        Query = [VersionNumber, Qualifier],
        Responses = [new(200, typeof(FunctionEnvelope), "the version", FunctionExample), Invalid, NotFound, Unavailable],
    };

    public static RouteDoc Update => new("Update the draft", "Merges the body into the draft if revisionId is the current one. Answers the function under both 'function' and 'result'.")
    {
        RequestType = typeof(FunctionRequest),
        RequestExample = """
            {"revisionId":"20240416124531639","description":"this is a function","handler":"handler.my_handler","kind":"faas","cpu":600,"memory":512,"timeout":600,"customResources":{},"environment":{},"extendedHandler":{"initializer":"handler.init","pre_stop":"test.prestop"},"extendedTimeout":{"initializer":600,"pre_stop":10},"minInstance":"0","maxInstance":"10","concurrentNum":"2","storageType":"local","codePath":"/home/sn/function-packages","s3CodePath":{},"resourceAffinitySelectors":[{"group":"rg1","priority":1},{"group":"rg2","priority":2}]}
            """,
        Responses =
        [
            new(200, typeof(UpdateEnvelope), "updated; a new revisionId", UpdateAnswer),
            Invalid, NotFound, Error(412, "revisionId is not the current one (4134)", 4134, "revisionID is not the same"), TooLarge, Unavailable,
        ],
    };

    public static RouteDoc Delete => new("Delete a function or one version", "Without versionNumber (or with latest/$latest) every version and platform key of the function goes. Answers {}.")
    {
        Query = [VersionNumber, Qualifier],
        Responses = [new(200, typeof(EmptyBody), "deleted", "{}"), Invalid, NotFound, Unavailable],
    };

    public static RouteDoc Publish => new("Publish a version", "Snapshots the draft as an immutable version. The revisionId must be the draft's current one; a draft may be published under several numbers, as the original lets it. Answers E1.")
    {
        Query = [new("ifChanged", "true: when the draft's revisionId is published already, answer that version and write nothing (default false)")],
        RequestType = typeof(PublishRequest),
        RequestExample = """{"revisionId":"20240302084750473","versionDesc":"try-mod-version2","versionNumber":"B.2233","kind":"faas"}""",
        Responses =
        [
            new(200, typeof(FunctionEnvelope), "the new version", Answer("function", Published)),
            Invalid, NotFound,
            Error(409, "the version exists (4114) or the version limit is reached (4110)", 4114, "duplicate version number"),
            Error(412, "revisionId is not the current one, or another write of the draft came first (4134)", 4134, "revisionId is non latest version"),
            TooLarge, Unavailable,
        ],
    };

    public static RouteDoc Versions => new("List the versions of a function", "Every version, the draft included, newest-modified first, paged. Answers E3 (page index and size as strings).")
    {
        Query = [PageIndex, PageSize, Limit, Continue],
        Responses =
        [
            new(200, typeof(VersionsEnvelope), "one page", $$$"""{"functions":[{{{Published}}},{{{Updated}}}],"pageInfo":{"pageIndex":"1","pageSize":"10","total":2}}"""),
            Error(400, "bad paging (4104, 4123)", 4123, "page size cannot be 0"), TooOld, Unavailable,
        ],
    };

    public static RouteDoc Health => new("Liveness", "200 {\"status\":\"ok\"} while the store answers (openYuanrong's answers 200 with an empty body; probes read only the status).")
    {
        Responses = [new(200, typeof(MetaService.Server.Health.HealthBody), "the store answers", """{"status":"ok"}"""), Unavailable],
    };

    public static RouteDoc Home => new("Where the API is described", "{code:0, message} pointing to /scalar, /openapi/v1.json and the README.")
    {
        Responses = [new(200, typeof(MetaService.Server.Health.HomeBody), "a pointer", System.Text.Json.JsonSerializer.Serialize(new MetaService.Server.Health.HomeBody(0, MetaService.Server.Health.HealthApi.HomeMessage), MetaService.Server.Health.HealthJson.Default.HomeBody))],
    };

    private static string Answer(string member, string view) => $$"""{"code":0,"message":"SUCCESS","{{member}}":{{view}}}""";

    /// <summary><paramref name="json"/> with the members given replaced.</summary>
    private static string With(string json, params (string Name, JsonNode? Value)[] members)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        foreach (var (name, value) in members)
        {
            node[name] = value;
        }

        return node.ToJsonString();
    }

    /// <summary>An error answer: status, meaning, and an example <c>{code, message}</c>.</summary>
    public static ResponseDoc Error(int status, string description, int code, string message) =>
        new(status, typeof(ErrorBody), description, System.Text.Json.JsonSerializer.Serialize(new ErrorBody(code, message), WireJson.Default.ErrorBody));
}