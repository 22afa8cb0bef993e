using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Server.ApiDescription;
using MetaService.Server.Editing;
using MetaService.Server.Functions;
using MetaService.Server.Wire;

namespace MetaService.Server.History;

/// <summary>The history routes: a function's entries, one entry with its snapshot, the diff of two records, the restore
/// of the draft, and the tenant's audit trail.</summary>
public static class HistoryApi
{
    public const string TrailRoute = "/serverless/v1/history";

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        foreach (var root in FunctionsApi.Roots)
        {
            var functions = app.MapGroup(root).WithTags("history");
            functions.MapGet("{name}/history", List).WithRouteDoc(HistoryDocs.List);
            functions.MapGet("{name}/history/{revision}", One).WithRouteDoc(HistoryDocs.One);
            functions.MapGet("{name}/diff", Diff).WithRouteDoc(HistoryDocs.Diff);
            functions.MapPost("{name}/restore", Restore).WithRouteDoc(HistoryDocs.Restore).WithDryRun();
        }

        app.MapGet(TrailRoute, Trail).WithTags("history").WithRouteDoc(HistoryDocs.Trail);
        return app;
    }

    private static async Task<IResult> List(HttpRequest request, string name, HistoryReader reader, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !HistoryQuery.Limit(request.Query).TryGet(out var limit, out error)
            || !(await reader.FunctionAsync(tenant, name, limit, request.Query["continue"], cancellationToken)).TryGet(out var page, out error))
        {
            return WireResults.Error(error);
        }

        return TypedResults.Json(new HistoryListEnvelope(new HistoryList(page.Entries, page.Revision) { Continue = page.Continue }), HistoryWireJson.Default.HistoryListEnvelope);
    }

    private static async Task<IResult> One(HttpRequest request, string name, string revision, HistoryReader reader, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error))
        {
            return WireResults.Error(error);
        }

        if (!long.TryParse(revision, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return WireResults.Error(MetaError.InvalidParam($"revision '{revision}' is not a store revision: give the revision of an entry, e.g. 42"));
        }

        if (!(await reader.OneAsync(tenant, name, number, cancellationToken)).TryGet(out var entry, out error))
        {
            return WireResults.Error(error);
        }

        if (entry is null)
        {
            return WireResults.Error(new MetaError(4116, $"function [{name}] has no history entry at revision {number}" + MetaError.CheckInput, ErrorKind.NotFound));
        }

        var result = (JsonObject)JsonSerializer.SerializeToNode(entry with { Snapshot = null }, HistoryJson.Default.HistoryEntry)!;
        result["snapshot"] = RecordChanges.Mask(entry.Snapshot);
        var body = new JsonObject { ["code"] = 0, ["message"] = "", ["result"] = result };
        return TypedResults.Json(body, HistoryWireJson.Default.JsonObject);
    }

    private static async Task<IResult> Diff(HttpRequest request, string name, HistorySources sources, CancellationToken cancellationToken)
    {
        string? from = request.Query["from"], to = request.Query["to"];
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error)
            || !(await sources.ResolveAsync(tenant, name, from, "from", cancellationToken)).TryGet(out var before, out error)
            || !(await sources.ResolveAsync(tenant, name, to, "to", cancellationToken)).TryGet(out var after, out error))
        {
            return WireResults.Error(error);
        }

        return TypedResults.Json(new DiffEnvelope(new DiffResult(from!, to!, RecordChanges.Between(before, after))), HistoryWireJson.Default.DiffEnvelope);
    }

    private static async Task<IResult> Restore(HttpRequest request, string name, FunctionService service, HistorySources sources, CancellationToken cancellationToken)
    {
        var body = await WireRequests.BodyAsync(request, HistoryWireJson.Default.RestoreRequest, cancellationToken);
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !body.TryGet(out var restore, out error)
            || !EntityTags.IfMatch(request).TryGet(out var ifMatch, out error))
        {
            return WireResults.Error(error);
        }

        if (restore.From is { } from && FunctionKinds.IsDraftVersion(from))
        {
            return WireResults.Error(MetaError.InvalidParam("from names the draft itself: give a version number (v3) or @<revision> of a history entry"));
        }

        if (!(await sources.ResolveAsync(tenant, name, restore.From, "from", cancellationToken)).TryGet(out var source, out error)
            || !(await service.RestoreAsync(tenant, name, source, restore.RevisionId, ifMatch, cancellationToken)).TryGet(out var restored, out error))
        {
            return WireResults.Error(error);
        }

        return service.IsDryRun
            ? TypedResults.Json(new DiffEnvelope(new DiffResult(restore.From!, "latest", restored.Changes)), HistoryWireJson.Default.DiffEnvelope)
            : FunctionAnswers.Updated(restored.Function);
    }

    private static async Task<IResult> Trail(HttpRequest request, HistoryReader reader, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !HistoryQuery.Trail(request.Query).TryGet(out var query, out error)
            || !(await reader.TrailAsync(tenant, query, cancellationToken)).TryGet(out var page, out error))
        {
            return WireResults.Error(error);
        }

        return TypedResults.Json(new HistoryListEnvelope(new HistoryList(page.Entries, page.Revision) { Continue = page.Continue }), HistoryWireJson.Default.HistoryListEnvelope);
    }
}