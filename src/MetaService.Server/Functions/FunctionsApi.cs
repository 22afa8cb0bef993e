using MetaService.Core;
using MetaService.Core.Aliases;
using MetaService.Core.Functions;
using MetaService.Server.ApiDescription;
using MetaService.Server.Auth;
using MetaService.Server.Editing;
using MetaService.Server.Idempotency;
using MetaService.Server.Wire;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Functions;

/// <summary>The function routes, under <c>/serverless/v1/functions</c> and under the frontend's
/// <c>/admin/v1/functions</c>, which yrcli and the smoke scripts use.</summary>
public static class FunctionsApi
{
    public static readonly string[] Roots = ["/serverless/v1/functions", "/admin/v1/functions"];

    public static IEndpointRouteBuilder MapFunctionsApi(this IEndpointRouteBuilder app)
    {
        // The get is the hot path: its services are resolved once here, not from a scope made for each request.
        var get = Getter(app.ServiceProvider);
        foreach (var root in Roots)
        {
            var functions = app.MapGroup(root).WithTags(root.StartsWith("/admin", StringComparison.Ordinal) ? "functions (frontend path)" : "functions");
            functions.MapPost("", Create).WithRouteDoc(FunctionDocs.Create).WithDryRun().WithIdempotency("functions.create");
            functions.MapGet("", List).WithRouteDoc(FunctionDocs.List);
            functions.MapGet("{name}", get).WithRouteDoc(FunctionDocs.Get);
            functions.MapPut("{name}", Update).WithRouteDoc(FunctionDocs.Update).WithDryRun();
            functions.MapPatch("{name}", FunctionPatchApi.Patch).WithRouteDoc(EditingDocs.Patch).WithDryRun();
            functions.MapDelete("{name}", Delete).WithRouteDoc(FunctionDocs.Delete).WithDryRun();
            functions.MapPost("{name}/versions", Publish).WithRouteDoc(FunctionDocs.Publish).WithDryRun().WithIdempotency("functions.publish");
            functions.MapGet("{name}/versions", ListVersions).WithRouteDoc(FunctionDocs.Versions);
        }

        return app;
    }

    private static async Task<IResult> Create(HttpRequest request, FunctionService service, CancellationToken cancellationToken)
    {
        var body = await WireRequests.BodyAsync(request, MetaJson.Default.FunctionRequest, cancellationToken);
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !body.TryGet(out var function, out error))
        {
            return WireResults.Error(error);
        }

        return (await service.CreateAsync(tenant, function, IdempotentWrite.Rider<FunctionView>(request.HttpContext, FunctionAnswers.WrittenAnswer), cancellationToken)).TryGet(out var created, out error)
            ? FunctionAnswers.Written(created)
            : WireResults.Error(error);
    }

    private static Func<HttpRequest, string, CancellationToken, Task<IResult>> Getter(IServiceProvider services)
    {
        var (service, aliases, answers) = (services.GetRequiredService<FunctionService>(), services.GetRequiredService<AliasService>(), services.GetRequiredService<FunctionAnswers>());
        return (request, name, cancellationToken) => Get(request, name, service, aliases, answers, cancellationToken);
    }

    private static async Task<IResult> Get(HttpRequest request, string name, FunctionService service, AliasService aliases, FunctionAnswers answers, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !EntityTags.IfNoneMatch(request).TryGet(out _, out error))
        {
            return WireResults.Error(error);
        }

        // ?qualifier=<alias> reads the alias's functionVersion (an alias qualifier comes first, as in the original).
        var query = request.Query;
        var aliased = await aliases.ResolveQualifierAsync(tenant, name, query["qualifier"], cancellationToken);
        var (versionNumber, qualifier) = aliased is null ? (query["versionNumber"].ToString(), query["qualifier"].ToString()) : (aliased, null);
        return (await service.FindAsync(tenant, name, versionNumber, qualifier, cancellationToken)).TryGet(out var found, out error)
            ? await answers.OneAsync(found, Caller.Masks(request.HttpContext), cancellationToken)
            : WireResults.Error(error);
    }

    private static async Task<IResult> List(HttpRequest request, FunctionService service, FunctionAnswers answers, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error))
        {
            return WireResults.Error(error);
        }

        if (KeyedLists.Applies(request.Query))
        {
            return await KeyedLists.ListAsync(request, tenant, service, answers, cancellationToken);
        }

        if (!WireRequests.Paging(request.Query).TryGet(out var paging, out error) || !KeyedLists.Filter(request.Query).TryGet(out var filter, out error))
        {
            return WireResults.Error(error);
        }

        var query = new FunctionQuery(request.Query["name"], request.Query["versionNumber"], request.Query["qualifier"], paging);
        return (await service.ListAsync(tenant, query, filter, cancellationToken)).TryGet(out var page, out error)
            ? answers.List(page, Caller.Masks(request.HttpContext))
            : WireResults.Error(error);
    }

    private static async Task<IResult> Update(HttpRequest request, string name, FunctionService service, CancellationToken cancellationToken)
    {
        var body = await WireRequests.BodyAsync(request, MetaJson.Default.FunctionRequest, cancellationToken);
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !body.TryGet(out var function, out error)
            || !Preconditions.Update(request, function).TryGet(out function, out error))
        {
            return WireResults.Error(error);
        }

        return (await service.UpdateAsync(tenant, name, function, cancellationToken)).TryGet(out var updated, out error)
            ? FunctionAnswers.Updated(updated)
            : WireResults.Error(error);
    }

    private static async Task<IResult> Delete(HttpRequest request, string name, FunctionService service, IOptions<MetaOptions> options, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !Preconditions.Delete(request, options.Value).TryGet(out var ifMatch, out error))
        {
            return WireResults.Error(error);
        }

        var query = request.Query;
        var deleted = await service.DeleteAsync(tenant, name, query["versionNumber"], query["qualifier"], ifMatch, cancellationToken);
        return WireResults.From(deleted, _ => new EmptyBody(), WireJson.Relaxed.EmptyBody);
    }

    private static async Task<IResult> Publish(HttpRequest request, string name, FunctionService service, CancellationToken cancellationToken)
    {
        var body = await WireRequests.BodyAsync(request, MetaJson.Default.PublishRequest, cancellationToken);
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !body.TryGet(out var publish, out error)
            || !Preconditions.Publish(request, publish).TryGet(out publish, out error)
            || !WireFlags.Flag(request.Query, "ifChanged").TryGet(out var ifChanged, out error))
        {
            return WireResults.Error(error);
        }

        return (await service.PublishAsync(tenant, name, publish with { IfChanged = ifChanged }, IdempotentWrite.Rider<FunctionView>(request.HttpContext, FunctionAnswers.WrittenAnswer), cancellationToken)).TryGet(out var published, out error)
            ? FunctionAnswers.Written(published)
            : WireResults.Error(error);
    }

    private static async Task<IResult> ListVersions(HttpRequest request, string name, FunctionService service, FunctionAnswers answers, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error))
        {
            return WireResults.Error(error);
        }

        if (KeyedLists.Applies(request.Query))
        {
            return await KeyedLists.ListVersionsAsync(request, tenant, name, service, answers, cancellationToken);
        }

        if (!WireRequests.Paging(request.Query).TryGet(out var paging, out error))
        {
            return WireResults.Error(error);
        }

        return (await service.ListVersionsAsync(tenant, name, paging, cancellationToken)).TryGet(out var page, out error)
            ? answers.Versions(page, paging, Caller.Masks(request.HttpContext))
            : WireResults.Error(error);
    }
}