using System.Text.Json;
using System.Text.Json.Serialization;

using MetaService.Core.Storage;
using MetaService.Server.ApiDescription;
using MetaService.Server.Auth;

namespace MetaService.Server.Health;

internal static class HealthApi
{
    /// <summary>Where a person who opens the server's address in a browser is sent: the API description and the README.</summary>
    public const string HomeMessage = "MetaService (function metadata for openYuanrong): the API is described at /scalar (OpenAPI: /openapi/v1.json); "
        + "running and configuring it: README.md of the MetaService repository";

    /// <summary><c>GET /healthz</c>: 200 <c>{"status":"ok"}</c> while the store answers (else 503 <c>{code, message}</c>, from
    /// the wire errors); <c>GET /</c>: a pointer to the API description.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (IMetaStore store, CancellationToken cancellationToken) =>
        {
            await store.GetRevisionAsync(cancellationToken);
            return Results.Json(new HealthBody("ok"), HealthJson.Default.HealthBody);
        }).WithRouteDoc(FunctionDocs.Health).WithTags("service").RequireAccess(Access.Anonymous);
        app.MapGet("/", () => Results.Json(new HomeBody(0, HomeMessage), HealthJson.Default.HomeBody)).WithRouteDoc(FunctionDocs.Home).WithTags("service").RequireAccess(Access.Anonymous);
        return app;
    }
}

/// <summary>The health answer: small, so that probes every few seconds cost nothing.</summary>
public sealed record HealthBody(string Status);

/// <summary>The answer of <c>GET /</c>, in the service's <c>{code, message}</c> shape.</summary>
public sealed record HomeBody(int Code, string Message);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthBody))]
[JsonSerializable(typeof(HomeBody))]
public sealed partial class HealthJson : JsonSerializerContext;