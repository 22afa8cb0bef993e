using System.Globalization;

using MetaService.Core;
using MetaService.Core.Pools;
using MetaService.Server.ApiDescription;
using MetaService.Server.Auth;
using MetaService.Server.Editing;
using MetaService.Server.Idempotency;
using MetaService.Server.Wire;

namespace MetaService.Server.Pools;

/// <summary>The pod pool routes (§3.9). Pools are not scoped by tenant: admins only.</summary>
public static class PoolsApi
{
    public const string Root = "/serverless/v1/podpools";

    public static IEndpointRouteBuilder MapPoolsApi(this IEndpointRouteBuilder app)
    {
        var pools = app.MapGroup(Root).WithTags("pod pools").RequireAccess(Access.Admin);
        pools.MapPost("", Create).WithRouteDoc(PoolDocs.Create).WithDryRun().WithIdempotency("podpools.create");
        pools.MapGet("", List).WithRouteDoc(PoolDocs.List);
        pools.MapPut("{id}", Update).WithRouteDoc(PoolDocs.Update).WithDryRun();
        pools.MapDelete("", Delete).WithRouteDoc(PoolDocs.Delete).WithDryRun();
        return app;
    }

    private static readonly PoolResultEnvelope<PoolCreateResult> Created = new(new PoolCreateResult(null));

    private static async Task<IResult> Create(HttpRequest request, PoolService service, CancellationToken cancellationToken)
    {
        var body = await WireRequests.BodyAsync(request, PoolJson.Default.PoolCreateRequest, cancellationToken);
        var rider = IdempotentWrite.Rider<bool>(request.HttpContext, _ => Rendered.Json(Created, PoolWireJson.Default.PoolResultEnvelopePoolCreateResult));
        var created = body.TryGet(out var pools, out var error) ? await service.CreateAsync(pools.Pools, rider, cancellationToken) : error;
        return WireResults.From(created, _ => Created, PoolWireJson.Default.PoolResultEnvelopePoolCreateResult);
    }

    private static async Task<IResult> List(HttpRequest request, PoolService service, CancellationToken cancellationToken)
    {
        var query = Query(request.Query);
        Outcome<PoolPage> page = query.TryGet(out var filter, out var error) ? await service.ListAsync(filter, cancellationToken) : error;
        if (page.Value is { Revision: { } revision })
        {
            request.HttpContext.Response.Headers[Functions.KeyedLists.RevisionHeader] = revision.ToString(CultureInfo.InvariantCulture);
        }

        return WireResults.From(page, p => new PoolResultEnvelope<PoolPage>(p), PoolWireJson.Default.PoolResultEnvelopePoolPage);
    }

    private static async Task<IResult> Update(HttpRequest request, string id, PoolService service, CancellationToken cancellationToken)
    {
        var body = await WireRequests.BodyAsync(request, PoolJson.Default.PoolUpdateRequest, cancellationToken);
        var updated = body.TryGet(out var update, out var error) ? await service.UpdateAsync(id, update, cancellationToken) : error;
        return WireResults.From(updated, _ => new NullResultEnvelope(), PoolWireJson.Default.NullResultEnvelope);
    }

    private static async Task<IResult> Delete(HttpRequest request, PoolService service, CancellationToken cancellationToken)
    {
        var deleted = await service.DeleteAsync(request.Query["id"], request.Query["group"], cancellationToken);
        return WireResults.From(deleted, _ => new NullResultEnvelope(), PoolWireJson.Default.NullResultEnvelope);
    }

    /// <summary><c>id</c>, <c>group</c>, <c>offset</c> (page index, absent: 1) and <c>limit</c> (absent: 10);
    /// offset and limit must be integers.</summary>
    private static Outcome<PoolQuery> Query(IQueryCollection query)
    {
        var offset = ParseInteger(query["offset"].ToString(), 0);
        var limit = ParseInteger(query["limit"].ToString(), PoolQuery.DefaultLimit);
        return offset is null || limit is null
            ? MetaError.InvalidParam("offset and limit must be integers")
            : new PoolQuery(query["id"], query["group"], offset.Value, limit.Value);
    }

    private static int? ParseInteger(string text, int fallback) =>
        text.Length == 0 ? fallback
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : null;
}