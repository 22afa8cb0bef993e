using MetaService.Server.ApiDescription;

namespace MetaService.Server.History;

/// <summary>The history routes in the OpenAPI document.</summary>
public static class HistoryDocs
{
    private const string Entry = """
        {"revision":42,"time":"2026-12-03 10:15:02.118 UTC","operation":"update","name":"0@faaspy@hello3","version":"latest","revisionIdBefore":"20261203101400120","revisionIdAfter":"20261203101502118","actor":{"tenant":"default","principal":"anonymous","remoteAddress":"127.0.0.1"},"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","changes":[{"path":"memory","op":"replace","from":512,"to":1024},{"path":"environment.DB_PASSWORD","op":"replace","from":"changed","to":"changed"}]}
        """;

    private static ResponseDoc Invalid => FunctionDocs.Error(400, "malformed name, limit, continue, since, until, operation, from or to (4104)", 4104, "limit must be a whole number from 1 to 500, once. check input parameters");

    private static QueryDoc Limit => new("limit", "entries per page, 1 to 500 (default 50)", IsNumber: true);
    private static QueryDoc Continue => new("continue", "the continue token of the previous page, as it was");

    public static RouteDoc List => new("A function's history",
        "Every write of the function (create, update, patch, publish, version and function deletes, restore, reserved-instance changes), newest first. "
        + "Each entry: the store revision, time, operation, version, revisionIds before and after, actor, trace id and field-level changes; secret values show as \"changed\".")
    {
        Query = [Limit, Continue],
        Responses = [new(200, typeof(HistoryListEnvelope), "one page, newest first", $$$"""{"code":0,"message":"","result":{"entries":[{{{Entry}}}],"continue":"OTIyMzM3MjAzNjg1NDc3NTgwNi0","revision":57}}"""), Invalid],
    };

    public static RouteDoc One => new("One history entry", "The entry written at that store revision, with the record after the write (snapshot); secret values are masked (******).")
    {
        Responses =
        [
            new(200, typeof(HistoryEntryEnvelope), "the entry and its snapshot", $$$"""{"code":0,"message":"","result":{{{Entry}}}}"""),
            FunctionDocs.Error(400, "the revision is not a number (4104)", 4104, "revision 'x' is not a store revision: give the revision of an entry, e.g. 42. check input parameters"),
            FunctionDocs.Error(404, "no entry of this function at that revision (4116)", 4116, "function [0@faaspy@hello3] has no history entry at revision 41. check input parameters"),
        ],
    };

    public static RouteDoc Diff => new("Diff two records of a function",
        "from and to: a version number (v3), latest or $latest (the draft), or @<revision> (a history entry's snapshot). Changes: path, op (add, remove, replace), from, to; secret values show as \"changed\".")
    {
        Query = [new("from", "v3, latest, or @<revision>"), new("to", "v3, latest, or @<revision>")],
        Responses =
        [
            new(200, typeof(DiffEnvelope), "the changes from 'from' to 'to'", """{"code":0,"message":"","result":{"from":"v1","to":"latest","changes":[{"path":"memory","op":"replace","from":512,"to":1024}]}}"""),
            Invalid,
            FunctionDocs.Error(404, "the function, version or entry does not exist (4115, 4116)", 4116, "function [0@faaspy@hello3] version [v9] is not found. check input parameters"),
        ],
    };

    public static RouteDoc Restore => new("Restore the draft from a version or a history entry",
        "The draft takes the configuration of 'from' (v3 or @<revision>) as a new revision, name and kind unchanged, under the update's compare-and-swap "
        + "(revisionId in the body, or If-Match). One history entry (restore). With dryRun=true: the changes it would apply, nothing written.")
    {
        RequestType = typeof(RestoreRequest),
        RequestExample = """{"from":"v3","revisionId":"20261203101502118"}""",
        Responses =
        [
            new(200, typeof(Wire.UpdateEnvelope), "restored; answers as an update (dry run: the diff envelope)", FunctionDocs.UpdateAnswer),
            Invalid,
            FunctionDocs.Error(404, "the function, version or entry does not exist (4115, 4116)", 4116, "function [0@faaspy@hello3] version [v9] is not found. check input parameters"),
            FunctionDocs.Error(412, "revisionId or If-Match is not the draft's (4134)", 4134, "revisionID is not the same"),
        ],
    };

    public static RouteDoc Trail => new("The tenant's audit trail",
        "Every history entry of the tenant, functions since deleted included, newest first (by time). Filters: name, operation, since, until. "
        + "A filtered page reads at most 5000 entries and then answers what it found with a continue token.")
    {
        Query =
        [
            new("name", "only this function"), new("operation", "only this operation (create, update, patch, publish, delete-version, delete, restore, reserve-create, reserve-update, reserve-delete, alias-create, alias-update, alias-rollback, alias-delete)"),
            new("since", "only entries at or after this time: RFC 3339 or yyyy-MM-dd HH:mm:ss.fff UTC"), new("until", "only entries at or before this time"), Limit, Continue,
        ],
        Responses = [new(200, typeof(HistoryListEnvelope), "one page, newest first", $$$"""{"code":0,"message":"","result":{"entries":[{{{Entry}}}],"revision":57}}"""), Invalid],
    };
}