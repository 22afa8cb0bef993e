using MetaService.Core.Aliases;
using MetaService.Server.ApiDescription;


namespace MetaService.Server.Aliases;

/// <summary>The alias and retention routes in the OpenAPI document.</summary>
public static class AliasDocs
{
    private const string Prod = """{"aliasUrn":"sn:cn:yrk:default:function:0@faaspy@hello3:prod","name":"prod","functionVersion":"v2","description":"canary","revisionId":"20240416124600120","routingConfig":{"v1":20,"v2":80}}""";
    private const string Rolled = """{"aliasUrn":"sn:cn:yrk:default:function:0@faaspy@hello3:prod","name":"prod","functionVersion":"v1","description":"canary","revisionId":"20240416124712005","routingConfig":{"v1":100}}""";

    private static ResponseDoc Invalid => FunctionDocs.Error(400, "invalid input (4104, 4103, 130600)", 4103, "total routing weight is not 100. check the routing weight. the sum of the values is 100");
    private static ResponseDoc NotFound => FunctionDocs.Error(404, "the function (4115), a version the alias names (4116) or the alias (4117) does not exist", 4117, "functionName [hello3] and aliasName [prod] do not exist. check input parameters");
    private static ResponseDoc Stale => FunctionDocs.Error(412, "revisionId or If-Match is not the alias's current revisionId (4134)", 4134, "revisionID is not the same");
    private static ResponseDoc Unavailable => FunctionDocs.Error(503, "the store is unreachable; retry", 122002, "the metadata store is unavailable: database is locked");

    private static string Answer(string alias) => $$"""{"code":0,"message":"","result":{{alias}}}""";

    public static RouteDoc Create => new("Create an alias",
        "Stores the alias and publishes /sn/aliases/business/yrk/tenant/<tenant>/function/<name>/<alias>, which openYuanrong's frontend, "
        + "scheduler and runtimes route invocations by, in one transaction. Weights: whole numbers 0–100 summing to 100, at most 16 versions; "
        + "without routingConfig the alias routes 100 % to functionVersion. routingType \"rule\" routes by header rules instead. Answers E2 with the alias; its ETag is its revisionId.")
    {
        RequestType = typeof(AliasRequest),
        RequestExample = """{"name":"prod","functionVersion":"v2","description":"canary","routingConfig":{"v1":20,"v2":80}}""",
        Responses =
        [
            new(200, typeof(AliasEnvelope<AliasView>), "created", Answer(Prod)), Invalid, NotFound,
            FunctionDocs.Error(409, "the alias exists (4102) or the function has Meta:AliasMax aliases (4111)", 4102, "alias [prod] already exists for this function: choose another name, or update that alias"),
            Unavailable,
        ],
    };

    public static RouteDoc List => new("List a function's aliases", "Most recently changed first, paged; total counts every alias of the function. Answers E2.")
    {
        Query = [new("pageIndex", "1-based page (default 1; 0 means 1)", IsNumber: true), new("pageSize", "rows per page (default 1000; 0 is refused with 4123)", IsNumber: true)],
        Responses = [new(200, typeof(AliasEnvelope<AliasPage>), "one page and the total", Answer($$"""{"total":1,"aliases":[{{Prod}}]}""")), Invalid, NotFound, Unavailable],
    };

    public static RouteDoc Get => new("Get an alias", "Answers E2 with the alias; its ETag is its revisionId.")
    {
        Responses = [new(200, typeof(AliasEnvelope<AliasView>), "the alias", Answer(Prod)), NotFound, Unavailable],
    };

    public static RouteDoc Update => new("Update an alias",
        "revisionId (or If-Match) must be the alias's current one; the check is part of the store transaction. Absent members keep their values. "
        + "A change of routing keeps the routing it replaces for rollback. Answers E2 with the alias and its new revisionId.")
    {
        RequestType = typeof(AliasUpdateRequest),
        RequestExample = """{"revisionId":"20240416124600120","functionVersion":"v2","routingConfig":{"v1":20,"v2":80}}""",
        Responses = [new(200, typeof(AliasEnvelope<AliasView>), "updated", Answer(Prod)), Invalid, NotFound, Stale, Unavailable],
    };

    public static RouteDoc Delete => new("Delete an alias", "Deletes the alias and its /sn/aliases key in one transaction (the platform stops routing by it). If-Match: only while the alias's revisionId is that one.")
    {
        Responses = [new(200, typeof(AliasDeletedEnvelope), "deleted", """{"code":0,"message":"","result":null}"""), NotFound, Stale, Unavailable],
    };

    public static RouteDoc Rollback => new("Roll an alias back",
        "Puts the alias back to the routing it had before its last routing change, as a new revision; the routing it leaves is what a second rollback restores. "
        + "If-Match: only while the alias's revisionId is that one.")
    {
        Responses =
        [
            new(200, typeof(AliasEnvelope<AliasView>), "rolled back", Answer(Rolled)), NotFound, Stale,
            FunctionDocs.Error(409, "the alias's routing has not changed since it was created", 4104, "alias [prod] has no earlier routing to roll back to (its routing has not changed since it was created)"),
            Unavailable,
        ],
    };

    public static RouteDoc GetRetention => new("Get a function's version retention", "keepVersions 0: none (a publish at Meta:VersionMax answers 4110, as the original).")
    {
        Responses = [new(200, typeof(AliasEnvelope<VersionRetention>), "the retention", Answer("""{"keepVersions":5}""")), NotFound, Unavailable],
    };

    public static RouteDoc SetRetention => new("Set a function's version retention",
        "keepVersions N (1 to Meta:VersionMax): a publish that would leave more than N published versions deletes the oldest ones no alias routes to, "
        + "in its own transaction. 0 removes the setting.")
    {
        RequestType = typeof(VersionRetention),
        RequestExample = """{"keepVersions":5}""",
        Responses =
        [
            new(200, typeof(AliasEnvelope<VersionRetention>), "set", Answer("""{"keepVersions":5}""")),
            FunctionDocs.Error(400, "keepVersions out of range (4104)", 4104, "keepVersions is 9: give 1 to 8 (Meta:VersionMax), or 0 to remove the retention. check input parameters"),
            NotFound, Unavailable,
        ],
    };

}