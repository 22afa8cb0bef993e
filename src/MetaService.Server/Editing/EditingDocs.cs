using MetaService.Core.Functions;
using MetaService.Server.ApiDescription;

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MetaService.Server.Editing;

/// <summary>The API description of PATCH, and of the headers and <c>dryRun</c> the write routes take.</summary>
public static class EditingDocs
{
    public static RouteDoc Patch => new("Patch the draft (JSON Merge Patch)",
        "Content-Type application/merge-patch+json (RFC 7396): omitted members keep their values, null removes a map key or resets a member "
        + "to its default, objects merge. Same rules as the update; If-Match (or a revisionId in the patch) makes it conditional. Answers as the update.")
    {
        RequestType = typeof(FunctionRequest),
        RequestExample = """{"environment":{"LOG_LEVEL":"debug"},"description":"patched"}""",
        Responses =
        [
            new(200, typeof(Wire.UpdateEnvelope), "updated; a new revisionId (also the ETag)", FunctionDocs.UpdateAnswer),
            FunctionDocs.Error(400, "invalid patch, If-Match or dryRun (4104, 130600)", 130600, "a merge patch must be a JSON object, e.g. {\"environment\":{\"A\":\"2\"}}"),
            FunctionDocs.Error(404, "the function does not exist (4115)", 4115, "function [0@faaspy@hello3] is not found. check input parameters"),
            FunctionDocs.Error(412, "If-Match or the patch's revisionId is not the current one (4134)", 4134, "revisionId is not the one If-Match names: read the function again (its ETag is the current revisionId) and retry"),
            FunctionDocs.Error(415, "not application/merge-patch+json", 415, "the body must be application/merge-patch+json, not 'application/json'; send Content-Type: application/merge-patch+json"),
            FunctionDocs.Error(428, "Meta:RequirePreconditions is on and the patch is unconditional", 428, "PATCH needs a precondition here: send If-Match with the function's ETag (its revisionId)"),
        ],
    };

    /// <summary>Adds <c>dryRun</c>, <c>If-Match</c> and <c>If-None-Match</c> where a route reads them, and gives PATCH its
    /// media type. Runs after the <see cref="RouteDoc"/> transformer.</summary>
    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod ?? "";
        var path = description.RelativePath ?? "";
        operation.Parameters ??= [];
        if (metadata.OfType<DryRunMetadata>().Any())
        {
            operation.Parameters.Add(Parameter(DryRun.Parameter, ParameterLocation.Query, "true: run every check and answer what the write would, with X-Dry-Run: true, writing nothing"));
        }

        var oneFunction = path.EndsWith("functions/{name}", StringComparison.Ordinal);
        if ((oneFunction && method is "PUT" or "PATCH" or "DELETE") || (method == "POST" && path.EndsWith("functions/{name}/versions", StringComparison.Ordinal)))
        {
            operation.Parameters.Add(Parameter("If-Match", ParameterLocation.Header, "the function's ETag (\"<revisionId>\"): the write applies only to that revision (412, 4134 otherwise)"));
        }

        if (oneFunction && method == "GET")
        {
            operation.Parameters.Add(Parameter("If-None-Match", ParameterLocation.Header, "an ETag: 304 without a body while the version is at that revisionId"));
        }

        if (method == "PATCH" && operation.RequestBody?.Content is { } content && content.Remove("application/json", out var media))
        {
            content[FunctionPatchApi.MediaType] = media;
        }

        return Task.CompletedTask;
    }

    private static OpenApiParameter Parameter(string name, ParameterLocation location, string description) =>
        new() { Name = name, In = location, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
}