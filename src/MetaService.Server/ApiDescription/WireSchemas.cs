using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace MetaService.Server.ApiDescription;

/// <summary>
/// Makes every schema say what the wire carries. The schema generator reads a type through the HTTP JSON options
/// (camelCase, numbers also read from strings), but each body is written and read through its own source-generated
/// context: the pools in snake_case, every context but the tokens' with numbers only as JSON numbers. This transformer
/// renames the members and narrows the numbers to what the type's own context (the first in the resolver chain that
/// knows the type, as for the generator) does, so a new type is described right without a line of its own.
/// </summary>
internal static class WireSchemas
{
    public static Task AlignAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // No pattern variables in the conditions: where Stryker mutates a condition, they are not definitely assigned.
        var described = context.JsonTypeInfo;
        var properties = schema.Properties;
        if (described.Kind != JsonTypeInfoKind.Object || properties is null || properties.Count == 0)
        {
            return Task.CompletedTask;
        }

        var own = OwnTypeInfo(context.ApplicationServices, described.Type);
        if (own is null)
        {
            return Task.CompletedTask;
        }

        var wireNames = own.Properties.ToDictionary(MemberName, p => p, StringComparer.Ordinal);
        var byName = described.Properties.ToDictionary(p => p.Name, p => wireNames.GetValueOrDefault(MemberName(p)), StringComparer.Ordinal);
        var aligned = new Dictionary<string, IOpenApiSchema>(properties.Count, StringComparer.Ordinal);
        foreach (var (name, member) in properties)
        {
            var wire = byName.GetValueOrDefault(name);
            if (wire is null)
            {
                aligned[name] = member;
                continue;
            }

            aligned[wire.Name] = member;
            if (schema.Required?.Remove(name) == true)
            {
                schema.Required.Add(wire.Name);
            }

            if ((wire.NumberHandling ?? own.NumberHandling ?? own.Options.NumberHandling) == JsonNumberHandling.Strict && member is OpenApiSchema inline)
            {
                NumbersOnly(inline);
            }
        }

        schema.Properties = aligned;
        return Task.CompletedTask;
    }

    /// <summary>The metadata of <paramref name="type"/> from its own context, with that context's options.</summary>
    private static JsonTypeInfo? OwnTypeInfo(IServiceProvider services, Type type) =>
        services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions.TypeInfoResolverChain
            .OfType<JsonSerializerContext>()
            .Select(c => c.GetTypeInfo(type))
            .FirstOrDefault(t => t is not null);

    private static string MemberName(JsonPropertyInfo property) => (property.AttributeProvider as MemberInfo)?.Name ?? property.Name;

    /// <summary>A number the generator also allowed as a string (type [integer, string] with a digits pattern): a
    /// number only, as the context reads and writes it.</summary>
    private static void NumbersOnly(OpenApiSchema schema)
    {
        var target = schema.AdditionalProperties as OpenApiSchema ?? schema.Items as OpenApiSchema ?? schema;
        if (target.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            target.Type = type & ~JsonSchemaType.String;
            target.Pattern = null;
        }
    }
}