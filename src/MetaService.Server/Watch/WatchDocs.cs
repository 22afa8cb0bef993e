using MetaService.Server.ApiDescription;

namespace MetaService.Server.Watch;

/// <summary><c>GET /serverless/v1/watch</c> in the OpenAPI document.</summary>
public static class WatchDocs
{
    private const string Stream = """
        : watching functions after revision 41
        retry: 1000

        event: put
        data: {"id":"sn:cn:yrk:default:function:0@faaspy@hello3:latest","name":"0@faaspy@hello3","revisionId":"20240416124531639","versionNumber":"latest","kind":"faas"}
        id: 42

        event: delete
        data: {"name":"0@faaspy@hello3","version":"latest"}
        id: 43

        : keep-alive


        """;

    public static RouteDoc Watch => new("Watch changes (Server-Sent Events)",
        "One event per change after a revision, in revision order: id is the store revision (the changes of one transaction share it; the id "
        + "comes with the last of them), event put or delete, data the object a get answers (a function's function object, one reserve-instance "
        + "label in one cluster, a pod pool, an alias's result) or, for a delete, the parts of its key ({functionName,name} for an alias). "
        + "A comment line every Watch:HeartbeatSeconds (15) keeps proxies open. Resume with Last-Event-ID (or since); list first and watch "
        + "from the list's X-Meta-Revision to see every change exactly once. Functions and aliases of the caller's tenant and product "
        + "(X-Tenant-Id, X-Product-Id) only, as a list with the same headers; reserve-instance labels of its tenant; podpools need the admin role. A watcher that falls behind gets event: error with {code:410,message} and the stream ends.")
    {
        Query =
        [
            new("kind", "functions (default), reserve-instance, podpools or aliases"),
            new("name", "only this function (with aliases: its aliases; with podpools: this pool id)"),
            new("timeoutSeconds", "end the stream (normally) after this many seconds, 1 to 86400; absent: until the client goes", IsNumber: true),
            new("since", "a store revision: the changes after it (an event's id, or a list's X-Meta-Revision); absent: from now. Last-Event-ID takes precedence", IsNumber: true),
        ],
        Responses =
        [
            new(200, typeof(string), "the stream of events", Stream, "text/event-stream"),
            FunctionDocs.Error(400, "kind, name, since, timeoutSeconds or Last-Event-ID is malformed, or since is ahead of the store", 4104, "since must be a store revision: a whole number from 0 (an event's id, or a list's X-Meta-Revision). check input parameters"),
            FunctionDocs.Error(403, "podpools without the admin role", 190403, "role admin is required to watch pod pools"),
            FunctionDocs.Error(410, "the changes after since are no longer kept: list again and watch from the list's X-Meta-Revision", 410, "the changes after revision 12 are no longer kept; list again and watch from the list's X-Meta-Revision"),
        ],
    };
}