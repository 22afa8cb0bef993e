using MetaService.Core;
using MetaService.Core.Aliases;
using MetaService.Server.ApiDescription;
using MetaService.Server.Editing;
using MetaService.Server.Functions;
using MetaService.Server.Idempotency;
using MetaService.Server.Wire;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Aliases;

/// <summary>
/// The alias routes under <c>…/functions/{name}/aliases</c> (both roots of the function routes, the same tenant
/// handling), and a function's version retention. Writes take <c>?dryRun</c>; creates and rollbacks take
/// <c>Idempotency-Key</c>; update, delete and rollback take <c>If-Match</c> with the alias's ETag (its revisionId).
/// </summary>
public static class AliasesApi
{
    public static IServiceCollection AddAliases(this IServiceCollection services)
    {
        services.AddSingleton(sp => new AliasService(
            sp.GetRequiredService<Core.Storage.IMetaStore>(), sp.GetRequiredService<IOptions<MetaOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            history: sp.GetService<Core.History.HistoryLog>()));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(AliasWireJson.Default));
        return services;
    }

    public static IEndpointRouteBuilder MapAliasesApi(this IEndpointRouteBuilder app)
    {
        foreach (var root in FunctionsApi.Roots)
        {
            var aliases = app.MapGroup(root + "/{name}").WithTags(root.StartsWith("/admin", StringComparison.Ordinal) ? "aliases (frontend path)" : "aliases");
            aliases.MapPost("aliases", Create).WithRouteDoc(AliasDocs.Create).WithDryRun().WithIdempotency("aliases.create");
            aliases.MapGet("aliases", List).WithRouteDoc(AliasDocs.List);
            aliases.MapGet("aliases/{alias}", Get).WithRouteDoc(AliasDocs.Get);
            aliases.MapPut("aliases/{alias}", Update).WithRouteDoc(AliasDocs.Update).WithDryRun();
            aliases.MapDelete("aliases/{alias}", Delete).WithRouteDoc(AliasDocs.Delete).WithDryRun();
            aliases.MapPost("aliases/{alias}/rollback", Rollback).WithRouteDoc(AliasDocs.Rollback).WithDryRun().WithIdempotency("aliases.rollback");
            aliases.MapGet("retention", GetRetention).WithRouteDoc(AliasDocs.GetRetention);
            aliases.MapPut("retention", SetRetention).WithRouteDoc(AliasDocs.SetRetention).WithDryRun();
        }

        return app;
    }

    private static async Task<IResult> Create(HttpRequest request, string name, AliasService service, CancellationToken cancellationToken)
    {
        var body = await WireRequests.BodyAsync(request, AliasWireJson.Default.AliasRequest, cancellationToken);
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !body.TryGet(out var alias, out error))
        {
            return WireResults.Error(error);
        }

        var rider = IdempotentWrite.Rider<AliasView>(request.HttpContext, AliasAnswers.Rendered);
        return (await service.CreateAsync(tenant, name, alias, rider, cancellationToken)).TryGet(out var created, out error)
            ? AliasAnswers.One(request.HttpContext, created)
            : WireResults.Error(error);
    }

    private static async Task<IResult> Get(HttpRequest request, string name, string alias, AliasService service, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error))
        {
            return WireResults.Error(error);
        }

        return (await service.GetAsync(tenant, name, alias, cancellationToken)).TryGet(out var found, out error)
            ? AliasAnswers.One(request.HttpContext, found)
            : WireResults.Error(error);
    }

    private static async Task<IResult> List(HttpRequest request, string name, AliasService service, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !WireRequests.Paging(request.Query).TryGet(out var paging, out error))
        {
            return WireResults.Error(error);
        }

        var page = await service.ListAsync(tenant, name, paging, cancellationToken);
        if (page.Value is { } listed)
        {
            request.HttpContext.Response.Headers[KeyedLists.RevisionHeader] = listed.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WireResults.From(page, p => new AliasEnvelope<AliasPage>(p), AliasWireJson.Default.AliasEnvelopeAliasPage);
    }

    private static async Task<IResult> Update(HttpRequest request, string name, string alias, AliasService service, CancellationToken cancellationToken)
    {
        var body = await WireRequests.BodyAsync(request, AliasWireJson.Default.AliasUpdateRequest, cancellationToken);
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !body.TryGet(out var update, out error)
            || !AliasPreconditions.Update(request, update).TryGet(out update, out error))
        {
            return WireResults.Error(error);
        }

        return (await service.UpdateAsync(tenant, name, alias, update, null, cancellationToken)).TryGet(out var updated, out error)
            ? AliasAnswers.One(request.HttpContext, updated)
            : WireResults.Error(error);
    }

    private static async Task<IResult> Delete(HttpRequest request, string name, string alias, AliasService service, IOptions<MetaOptions> options, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !Preconditions.Delete(request, options.Value).TryGet(out var ifMatch, out error))
        {
            return WireResults.Error(error);
        }

        var deleted = await service.DeleteAsync(tenant, name, alias, ifMatch, cancellationToken);
        return WireResults.From(deleted, _ => new AliasDeletedEnvelope(), AliasWireJson.Default.AliasDeletedEnvelope);
    }

    private static async Task<IResult> Rollback(HttpRequest request, string name, string alias, AliasService service, CancellationToken cancellationToken)
    {
        if (!WireRequests.Tenant(request).TryGet(out var tenant, out var error) || !EntityTags.IfMatch(request).TryGet(out var ifMatch, out error))
        {
            return WireResults.Error(error);
        }

        var rider = IdempotentWrite.Rider<AliasView>(request.HttpContext, AliasAnswers.Rendered);
        return (await service.RollbackAsync(tenant, name, alias, ifMatch, rider, cancellationToken)).TryGet(out var restored, out error)
            ? AliasAnswers.One(request.HttpContext, restored)
            : WireResults.Error(error);
    }

    private static async Task<IResult> GetRetention(HttpRequest request, string name, AliasService service, CancellationToken cancellationToken)
    {
        var retention = WireRequests.Tenant(request).TryGet(out var tenant, out var error) ? await service.GetRetentionAsync(tenant, name, cancellationToken) : error;
        return WireResults.From(retention, r => new AliasEnvelope<VersionRetention>(r), AliasWireJson.Default.AliasEnvelopeVersionRetention);
    }

    private static async Task<IResult> SetRetention(HttpRequest request, string name, AliasService service, CancellationToken cancellationToken)
    {
        var body = await WireRequests.BodyAsync(request, AliasWireJson.Default.VersionRetention, cancellationToken);
        var retention = WireRequests.Tenant(request).TryGet(out var tenant, out var error) && body.TryGet(out var setting, out error)
            ? await service.SetRetentionAsync(tenant, name, setting, cancellationToken)
            : error;
        return WireResults.From(retention, r => new AliasEnvelope<VersionRetention>(r), AliasWireJson.Default.AliasEnvelopeVersionRetention);
    }
}