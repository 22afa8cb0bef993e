using System.Text.Json.Nodes;

using System.Text.Json.Serialization;

using MetaService.Core;
using MetaService.Core.Pools;
using MetaService.Core.ReservedInstances;
using MetaService.Server.Pools;
using MetaService.Server.ReservedInstances;

using Microsoft.OpenApi;

using Scalar.AspNetCore;

namespace MetaService.Server.ApiDescription;

/// <summary>The OpenAPI 3.1 document at <c>/openapi/v1.json</c> and the Scalar UI at <c>/scalar</c> (served by
/// this process, no internet needed). Routes are described by their <see cref="RouteDoc"/>.</summary>
internal static class ApiDescriptionRegistration
{
    public static IServiceCollection AddApiDescription(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            // The document's schemas come from these contexts (reflection-based JSON is off).
            foreach (var context in new JsonSerializerContext[] { MetaJson.Default, ReservedInstanceJson.Default, ReserveWireJson.Default, PoolJson.Default, PoolWireJson.Default, Health.HealthJson.Default, Tokens.TokenJson.Default })
            {
                o.SerializerOptions.TypeInfoResolverChain.Add(context);
            }
        });
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer(DocumentConventions.ApplyAsync);
            o.AddSchemaTransformer(WireSchemas.AlignAsync);
            o.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                await OperationConventions.ApplyAsync(operation, context, cancellationToken);
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RouteDoc>().LastOrDefault() is { } doc)
                {
                    Describe(operation, doc);
                }
            });
            o.AddOperationTransformer(Editing.EditingDocs.TransformAsync);
        });
        return services;
    }

    public static WebApplication MapApiDescription(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(o => o.WithTitle("MetaService"));
        return app;
    }

    /// <summary>The headers every route reads (computed when read, as the texts below, so that a mutation test can change
    /// one).</summary>
    private static (string Name, string Description)[] Headers =>
    [
        ("X-Tenant-Id", "The tenant the request reads and writes in (default 'default'), with X-Product-Id."),
        ("X-Product-Id", "The product within the tenant (default none)."),
        ("X-Trace-Id", "The request's trace id, named in the access log and answered as X-Trace-Id (one is made when it is absent or not a token)."),
    ];

    /// <summary>What each of the routes' path parameters is.</summary>
    private static string? PathParameter(string name) => name switch
    {
        "name" => "The function's name, as openYuanrong writes it (e.g. 0@faaspy@hello, or 0-svc-hello for yrlib).",
        "alias" => "The alias's name.",
        "revision" => "The store revision of a history entry (e.g. 42).",
        "id" => "The id of the pod pool or token.",
        _ => null,
    };

    private static void Describe(OpenApiOperation operation, RouteDoc doc)
    {
        operation.Parameters ??= [];
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Path && string.IsNullOrEmpty(p.Description)))
        {
            parameter.Description = PathParameter(parameter.Name ?? "");
        }

        foreach (var (header, description) in Headers)
        {
            operation.Parameters.Add(new OpenApiParameter { Name = header, In = ParameterLocation.Header, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        }

        foreach (var query in doc.Query)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Description = query.Description,
                Schema = new OpenApiSchema { Type = query.IsNumber ? JsonSchemaType.Integer : JsonSchemaType.String },
            });
        }

        // Declared first, not in the conditions: in a condition Stryker mutates, a pattern or out variable is not
        // definitely assigned, and the method would not compile.
        var requestExample = doc.RequestExample;
        OpenApiMediaType? requestMedia = null;
        if (requestExample is not null && operation.RequestBody?.Content?.TryGetValue("application/json", out requestMedia) == true)
        {
            requestMedia!.Example = JsonNode.Parse(requestExample);
        }

        foreach (var response in doc.Responses)
        {
            IOpenApiResponse? answer = null;
            OpenApiMediaType? media = null;
            var example = response.Example;
            if (operation.Responses?.TryGetValue(response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), out answer) != true)
            {
                continue;
            }

            if (answer is OpenApiResponse concrete)
            {
                concrete.Description = response.Description;
            }

            if (example is not null && answer!.Content?.TryGetValue(response.ContentType, out media) == true)
            {
                media!.Example = response.ContentType == "application/json" ? JsonNode.Parse(example) : JsonValue.Create(example);
            }
        }
    }
}