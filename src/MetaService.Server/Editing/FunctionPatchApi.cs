using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Server.Functions;
using MetaService.Server.Wire;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Editing;

/// <summary><c>PATCH …/functions/{name}</c>: a JSON Merge Patch (RFC 7396) of the draft, answered as an update is.</summary>
public static class FunctionPatchApi
{
    public const string MediaType = "application/merge-patch+json";

    public static async Task<IResult> Patch(HttpRequest request, string name, FunctionService service, IOptions<MetaOptions> options, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error)
            || !(await ReadAsync(request, cancellationToken)).TryGet(out var patch, out error)
            || !Preconditions.Patch(request, RevisionIdOf(patch), options.Value).TryGet(out var ifMatch, out error))
        {
            return WireResults.Error(error);
        }

        return (await service.PatchAsync(tenant, name, patch, ifMatch, cancellationToken)).TryGet(out var updated, out error)
            ? FunctionAnswers.Updated(updated)
            : WireResults.Error(error);
    }

    /// <summary>The patch: 415 unless it is <c>application/merge-patch+json</c>, 413 past the body limit, 130600 unless
    /// it is one JSON object.</summary>
    private static async Task<Outcome<JsonObject>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return MetaError.NotMergePatch(request.ContentType ?? "");
        }

        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<WireOptions>>().Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return MetaError.BodyTooLarge(limit);
        }

        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > limit)
            {
                return MetaError.BodyTooLarge(limit);
            }

            body.Write(chunk, 0, read);
        }

        if (body.Length == 0)
        {
            return MetaError.InvalidBody("EOF");
        }

        try
        {
            return JsonNode.Parse(body.GetBuffer().AsSpan(0, (int)body.Length)) is JsonObject patch && patch.Count >= 0
                ? patch
                : MetaError.InvalidBody("a merge patch must be a JSON object, e.g. {\"environment\":{\"A\":\"2\"}}");
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return MetaError.InvalidBody(e.Message);
        }
    }

    private static string? RevisionIdOf(JsonObject patch) =>
        patch.TryGetPropertyValue("revisionId", out var node) && node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}