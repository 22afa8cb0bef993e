using MetaService.Core;
using MetaService.Core.ReservedInstances;
using MetaService.Server.ApiDescription;
using MetaService.Server.Editing;
using MetaService.Server.Idempotency;
using MetaService.Server.Wire;

namespace MetaService.Server.ReservedInstances;

/// <summary>The reserve-instance routes (§3.8), under <c>/serverless/v1</c> and the frontend's <c>/admin/v1</c>.
/// All four take a JSON body, GET too; GET also reads <c>funcName</c> and <c>version</c> from the query.</summary>
public static class ReservedInstancesApi
{
    public static readonly string[] Roots = ["/serverless/v1/functions/reserve-instance", "/admin/v1/functions/reserve-instance"];

    public static IEndpointRouteBuilder MapReservedInstancesApi(this IEndpointRouteBuilder app)
    {
        foreach (var root in Roots)
        {
            var reserve = app.MapGroup(root).WithTags("reserved instances");
            reserve.MapPost("", Create).WithRouteDoc(ReservedInstanceDocs.Create).WithDryRun().WithIdempotency("reserve-instance.create");
            reserve.MapPut("", Update).WithRouteDoc(ReservedInstanceDocs.Update).WithDryRun();
            reserve.MapGet("", Get).WithRouteDoc(ReservedInstanceDocs.Get);
            reserve.MapDelete("", Delete).WithRouteDoc(ReservedInstanceDocs.Delete).WithDryRun();
        }

        return app;
    }

    private static async Task<IResult> Create(HttpRequest request, ReservedInstanceService service, CancellationToken cancellationToken)
    {
        var read = await ReadAsync(request, cancellationToken);
        var rider = IdempotentWrite.Rider<ReserveResult>(request.HttpContext, result => Rendered.Json(ReserveEnvelope.From(result), ReserveWireJson.Default.ReserveEnvelope));
        var created = read.Error is { } error ? error : await service.CreateAsync(read.Value.Tenant, read.Value.Body, rider, cancellationToken);
        return WireResults.From(created, ReserveEnvelope.From, ReserveWireJson.Default.ReserveEnvelope);
    }

    private static async Task<IResult> Update(HttpRequest request, ReservedInstanceService service, CancellationToken cancellationToken)
    {
        var read = await ReadAsync(request, cancellationToken);
        var updated = read.Error is { } error ? error : await service.UpdateAsync(read.Value.Tenant, read.Value.Body, cancellationToken);
        return WireResults.From(updated, ReserveEnvelope.From, ReserveWireJson.Default.ReserveEnvelope);
    }

    private static async Task<IResult> Get(HttpRequest request, ReservedInstanceService service, CancellationToken cancellationToken)
    {
        var read = request.Query.ContainsKey("funcName") || request.Query.ContainsKey("version")
            ? FromQuery(request)
            : await ReadAsync(request, cancellationToken);
        var found = read.Error is { } error ? error : await service.GetAtAsync(read.Value.Tenant, read.Value.Body, cancellationToken);
        if (found.Value is { } at)
        {
            request.HttpContext.Response.Headers[Functions.KeyedLists.RevisionHeader] = at.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WireResults.From(found, at => new ReserveListBody(at.Labels.Count, at.Labels), ReserveWireJson.Default.ReserveListBody);
    }

    private static async Task<IResult> Delete(HttpRequest request, ReservedInstanceService service, CancellationToken cancellationToken)
    {
        var read = await ReadAsync(request, cancellationToken);
        var deleted = read.Error is { } error ? error : await service.DeleteAsync(read.Value.Tenant, read.Value.Body, cancellationToken);
        return WireResults.From(deleted, _ => new CodeMessageBody(), ReserveWireJson.Default.CodeMessageBody);
    }

    private static async Task<Outcome<(Tenant Tenant, ReserveRequest Body)>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await WireRequests.BodyAsync(request, ReservedInstanceJson.Default.ReserveRequest, cancellationToken);
        return WireRequests.Tenant(request).TryGet(out var tenant, out var error) && body.TryGet(out var reserve, out error) ? (tenant, reserve) : error;
    }

    private static Outcome<(Tenant Tenant, ReserveRequest Body)> FromQuery(HttpRequest request)
    {
        var body = new ReserveRequest { FuncName = request.Query["funcName"], Version = request.Query["version"] };
        return WireRequests.Tenant(request).TryGet(out var tenant, out var error) ? (tenant, body) : error;
    }
}