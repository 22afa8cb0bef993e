using MetaService.Server.Startup;

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MetaService.Server.Idempotency;

/// <summary>The <c>Idempotency-Key</c> header: its settings, its pruner, the filter a route takes with
/// <see cref="WithIdempotency"/>, and its description in the OpenAPI document.</summary>
internal static class IdempotencyRegistration
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<IdempotencyOptions>(configuration.GetSection(IdempotencyOptions.Section));
        services.AddSingleton<IdempotencyPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyPruner>());
        services.Configure<OpenApiOptions>("v1", o => o.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotencyFilter>().Any())
            {
                Describe(operation);
            }

            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>Takes <c>Idempotency-Key</c> on this route; <paramref name="route"/> names it in the keys' scope.</summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder, string route)
    {
        var filter = new IdempotencyFilter(route);
        return builder.AddEndpointFilter(filter).WithMetadata(filter);
    }

    private static void Describe(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyFilter.Header,
            In = ParameterLocation.Header,
            Description = "1 to 255 characters. The first request with a key stores its answer for Idempotency:WindowSeconds (24 h); "
                + "a retry with the same key and request gets that answer byte for byte with Idempotent-Replayed: true, one with another request 422. "
                + "A refused request stores nothing.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyFilter.MaxKeyLength },
        });
        operation.Responses ??= [];
        operation.Responses.TryAdd("422", new OpenApiResponse { Description = "the Idempotency-Key was used with another request (code 422)" });
    }
}