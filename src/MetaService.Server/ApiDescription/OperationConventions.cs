using System.Globalization;
using System.Text;

using MetaService.Server.Auth;

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MetaService.Server.ApiDescription;

/// <summary>
/// What every operation gets by rule, so that a new route is described completely by its <see cref="RouteDoc"/>:
/// an operationId made from its method and path, the credentials it takes, and the request body as a named schema.
/// </summary>
public static class OperationConventions
{
    /// <summary>The names of the security schemes: one per kind of credential the auth modes read.</summary>
    public const string Bearer = "bearer";
    public const string XAuth = "xAuth";
    public const string ClientCertificate = "clientCertificate";

    /// <summary>The method and the path's words in camel case: <c>GET /serverless/v1/functions/{name}/versions</c>
    /// is <c>getServerlessV1FunctionsNameVersions</c>, <c>GET /</c> is <c>getRoot</c>. Unique because method and
    /// path are.</summary>
    public static string OperationId(string method, string path)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        var words = path.Split(['/', '-', '_', '.', '{', '}'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var word in words.DefaultIfEmpty("root"))
        {
            id.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
        }

        return id.ToString();
    }

    public static async Task ApplyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        operation.OperationId ??= OperationId(description.HttpMethod ?? "get", description.RelativePath ?? "");
        var document = context.Document!;
        Secure(operation, document, AccessOf(description.ActionDescriptor.EndpointMetadata));

        if (description.ActionDescriptor.EndpointMetadata.OfType<RouteDoc>().LastOrDefault()?.RequestType is { } request)
        {
            var schema = await context.GetOrCreateSchemaAsync(request, null, cancellationToken);
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
            document.Components.Schemas.TryAdd(request.Name, schema);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(request.Name, document) } },
            };
        }
    }

    /// <summary>The route's access, as the auth gate reads it: a route without <see cref="AccessMetadata"/> asks for a
    /// viewer or an editor.</summary>
    public static Access? AccessOf(IEnumerable<object> metadata) => metadata.OfType<AccessMetadata>().LastOrDefault()?.Access;

    /// <summary>An anonymous route takes no credential (<c>security: []</c>). Every other takes none with
    /// <c>Auth:Mode none</c> (the default, loopback only), else one of the modes' credentials.</summary>
    private static void Secure(OpenApiOperation operation, OpenApiDocument document, Access? access)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes.TryAdd(Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Auth:Mode token (a MetaService API token, yrm_…) or jwt (a token of the configured identity provider).",
        });
        document.Components.SecuritySchemes.TryAdd(XAuth, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Auth",
            Description = "Auth:Mode openyuanrong: the platform's own token.",
        });
        document.Components.SecuritySchemes.TryAdd(ClientCertificate, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.MutualTLS,
            Description = "Auth:Mode mtls: a client certificate of the configured CA naming tenant and role.",
        });

        operation.Security = access == Access.Anonymous
            ? []
            :
            [
                new OpenApiSecurityRequirement(),
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(XAuth, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ClientCertificate, document)] = [] },
            ];
    }

    /// <summary>Formats a status as the key of <c>responses</c>.</summary>
    public static string Key(int status) => status.ToString(CultureInfo.InvariantCulture);
}