using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Server.ApiDescription;
using MetaService.Server.Wire;

namespace MetaService.Server.Functions;

/// <summary>The function routes, under <c>/serverless/v1/functions</c> and under the frontend's
/// <c>/admin/v1/functions</c>, which yrcli and the smoke scripts use.</summary>
public static class FunctionsApi
{
    public static readonly string[] Roots = ["/serverless/v1/functions", "/admin/v1/functions"];

    public static IEndpointRouteBuilder MapFunctionsApi(this IEndpointRouteBuilder app)
    {
        foreach (var root in Roots)
        {
            var functions = app.MapGroup(root).WithTags(root.StartsWith("/admin", StringComparison.Ordinal) ? "functions (frontend path)" : "functions");
            functions.MapPost("", Create).WithRouteDoc(FunctionDocs.Create);
            functions.MapGet("", List).WithRouteDoc(FunctionDocs.List);
            functions.MapGet("{name}", Get).WithRouteDoc(FunctionDocs.Get);
            functions.MapPut("{name}", Update).WithRouteDoc(FunctionDocs.Update);
            functions.MapDelete("{name}", Delete).WithRouteDoc(FunctionDocs.Delete);
            functions.MapPost("{name}/versions", Publish).WithRouteDoc(FunctionDocs.Publish);
            functions.MapGet("{name}/versions", ListVersions).WithRouteDoc(FunctionDocs.Versions);
        }

        return app;
    }

    private static async Task<IResult> Create(HttpRequest request, FunctionService service, CancellationToken cancellationToken)
    {
        var tenant = WireRequests.Tenant(request);
        var body = await WireRequests.BodyAsync(request, MetaJson.Default.FunctionRequest, cancellationToken);
        if ((tenant.Error ?? body.Error) is { } error)
        {
            return WireResults.Error(error);
        }

        var created = await service.CreateAsync(tenant.Value!, body.Value!, cancellationToken);
        return created.Error is { } refused ? WireResults.Error(refused) : FunctionAnswers.Written(created.Value!);
    }

    private static async Task<IResult> Get(HttpRequest request, string name, FunctionService service, FunctionAnswers answers, CancellationToken cancellationToken)
    {
        var tenant = WireRequests.Tenant(request);
        if (tenant.Error is { } error)
        {
            return WireResults.Error(error);
        }

        var query = request.Query;
        var found = await service.FindAsync(tenant.Value!, name, query["versionNumber"], query["qualifier"], cancellationToken);
        return found.Error is { } notFound ? WireResults.Error(notFound) : await answers.OneAsync(found.Value!, cancellationToken);
    }

    private static async Task<IResult> List(HttpRequest request, FunctionService service, FunctionAnswers answers, CancellationToken cancellationToken)
    {
        var tenant = WireRequests.Tenant(request);
        var paging = WireRequests.Paging(request.Query);
        if ((tenant.Error ?? paging.Error) is { } error)
        {
            return WireResults.Error(error);
        }

        var query = new FunctionQuery(request.Query["name"], request.Query["versionNumber"], request.Query["qualifier"], paging.Value);
        var page = await service.ListAsync(tenant.Value!, query, cancellationToken);
        return page.Error is { } refused ? WireResults.Error(refused) : answers.List(page.Value!);
    }

    private static async Task<IResult> Update(HttpRequest request, string name, FunctionService service, CancellationToken cancellationToken)
    {
        var tenant = WireRequests.Tenant(request);
        var body = await WireRequests.BodyAsync(request, MetaJson.Default.FunctionRequest, cancellationToken);
        if ((tenant.Error ?? body.Error) is { } error)
        {
            return WireResults.Error(error);
        }

        var updated = await service.UpdateAsync(tenant.Value!, name, body.Value!, cancellationToken);
        return updated.Error is { } refused ? WireResults.Error(refused) : FunctionAnswers.Updated(updated.Value!);
    }

    private static async Task<IResult> Delete(HttpRequest request, string name, FunctionService service, CancellationToken cancellationToken)
    {
        var tenant = WireRequests.Tenant(request);
        if (tenant.Error is { } error)
        {
            return WireResults.Error(error);
        }

        var query = request.Query;
        var deleted = await service.DeleteAsync(tenant.Value!, name, query["versionNumber"], query["qualifier"], cancellationToken);
        return WireResults.From(deleted, _ => new EmptyBody(), WireJson.Relaxed.EmptyBody);
    }

    private static async Task<IResult> Publish(HttpRequest request, string name, FunctionService service, CancellationToken cancellationToken)
    {
        var tenant = WireRequests.Tenant(request);
        var body = await WireRequests.BodyAsync(request, MetaJson.Default.PublishRequest, cancellationToken);
        if ((tenant.Error ?? body.Error) is { } error)
        {
            return WireResults.Error(error);
        }

        var published = await service.PublishAsync(tenant.Value!, name, body.Value!, cancellationToken);
        return published.Error is { } refused ? WireResults.Error(refused) : FunctionAnswers.Written(published.Value!);
    }

    private static async Task<IResult> ListVersions(HttpRequest request, string name, FunctionService service, FunctionAnswers answers, CancellationToken cancellationToken)
    {
        var tenant = WireRequests.Tenant(request);
        var paging = WireRequests.Paging(request.Query);
        if ((tenant.Error ?? paging.Error) is { } error)
        {
            return WireResults.Error(error);
        }

        var page = await service.ListVersionsAsync(tenant.Value!, name, paging.Value, cancellationToken);
        return page.Error is { } refused ? WireResults.Error(refused) : answers.Versions(page.Value!, paging.Value);
    }
}