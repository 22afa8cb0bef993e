using MetaService.Core.Storage;
using MetaService.Server.ApiDescription;

namespace MetaService.Server.Health;

internal static class HealthApi
{
    /// <summary><c>GET /healthz</c>: 200 with an empty body while the store answers.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (IMetaStore store, CancellationToken cancellationToken) =>
        {
            await store.GetRevisionAsync(cancellationToken);
            return Results.Ok();
        }).WithRouteDoc(FunctionDocs.Health);
        return app;
    }
}