using System.Text.Json.Nodes;

namespace MetaService.Server.Tests.ApiDescription;

/// <summary>The OpenAPI document a test server serves at <c>/openapi/v1.json</c>.</summary>
internal static class ServedDocument
{
    public static async Task<string> OpenApiTextAsync(this MetaServiceFactory factory)
    {
        using var client = factory.CreateClient();
        return await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
    }

    public static async Task<JsonNode> OpenApiAsync(this MetaServiceFactory factory) => JsonNode.Parse(await factory.OpenApiTextAsync())!;
}