using System.Text.Json.Nodes;

namespace MetaService.Docs.Tests;

/// <summary>The OpenAPI document a running server serves at <c>/openapi/v1.json</c>, saved to a file for the tools
/// that read one (redocly, Kiota).</summary>
public static class ServedDocument
{
    /// <summary>Where README says the server listens by default; the document's server is pinned to it where the
    /// output must not depend on the test server's port (the generated client's base URL).</summary>
    public const string DefaultServer = "http://127.0.0.1:31182";

    public static async Task<JsonObject> ReadAsync(ServerProcess server, CancellationToken cancellationToken)
    {
        using var client = new HttpClient();
        var text = await client.GetStringAsync(new Uri(server.Url + "/openapi/v1.json"), cancellationToken);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Writes <paramref name="document"/> to <c>openapi.json</c> in <paramref name="folder"/>; its path.</summary>
    public static async Task<string> SaveAsync(JsonObject document, string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, "openapi.json");
        await File.WriteAllTextAsync(path, document.ToJsonString(), cancellationToken);
        return path;
    }
}