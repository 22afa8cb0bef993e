using MetaService.Core.ReservedInstances;
using MetaService.Server.ApiDescription;

namespace MetaService.Server.ReservedInstances;

/// <summary>The reserve-instance routes in the OpenAPI document, with the example of openYuanrong's page (§3.8).</summary>
public static class ReservedInstanceDocs
{
    private const string Example = """
        {"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"label001","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":101,"minInstance":0}]}
        """;

    private const string Answer = """
        {"code":0,"message":"","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":101,"minInstance":0}],"reserveInsBaseInfo":{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"label001"}}
        """;

    private static ResponseDoc Invalid => FunctionDocs.Error(400, "invalid input (4104, 130600)", 4104, "maxInstance 1 is less than minInstance 5. check input parameters");
    private static ResponseDoc NotFound => FunctionDocs.Error(404, "the faas function version does not exist (4115), or the label to update has no configuration", 4115, "function [0@faaspy@hello] is not found. check input parameters");

    public static RouteDoc Create => new("Configure reserved instances", "Writes the label's instance counts per cluster under /instances/…/label/<label>.")
    {
        RequestType = typeof(ReserveRequest),
        RequestExample = Example,
        Responses = [new(200, typeof(ReserveEnvelope), "configured", Answer), Invalid, NotFound, FunctionDocs.Error(409, "the label limit is reached", 4104, "label count reached max(100). check input parameters")],
    };

    public static RouteDoc Update => new("Change reserved instances", "Rewrites an existing label's instance counts.")
    {
        RequestType = typeof(ReserveRequest),
        RequestExample = Example,
        Responses = [new(200, typeof(ReserveEnvelope), "changed", Answer), Invalid, NotFound],
    };

    public static RouteDoc Get => new("Read reserved instances", "Every label of the function version, grouped across clusters. Takes a JSON body {funcName, version}, or the same as query parameters.")
    {
        RequestType = typeof(ReserveRequest),
        RequestExample = """{"funcName":"0@faaspy@hello","version":"latest"}""",
        Query = [new("funcName", "the faas function (instead of the body)"), new("version", "its version (instead of the body)")],
        Responses =
        [
            new(200, typeof(ReserveListBody), "the labels", """{"total":1,"results":[{"instanceLabel":"label001","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":101,"minInstance":0}]}]}"""),
            Invalid, NotFound,
        ],
    };

    public static RouteDoc Delete => new("Remove reserved instances", "Deletes one label in every cluster, or every label of the version when instanceLabel is absent.")
    {
        RequestType = typeof(ReserveRequest),
        RequestExample = """{"funcName":"0@faaspy@hello","version":"latest","instanceLabel":"label001"}""",
        Responses = [new(200, typeof(CodeMessageBody), "removed", """{"code":0,"message":""}"""), Invalid, NotFound],
    };
}